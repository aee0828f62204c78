using Lucene.Net.Search;

namespace Bot.Core.Search;

/// <summary>A min-heap of the k best (score, doc); a later doc never displaces an equal score (Lucene's order).</summary>
internal sealed class TopK(int k)
{
    private readonly float[] _scores = new float[k];
    private readonly int[] _docs = new int[k];
    private int _count;

    /// <summary>The score a passage must exceed to enter (0 until k passages are held; BM25 scores are positive).</summary>
    public float Threshold => _count < _scores.Length ? 0f : _scores[0];

    public bool Offer(float score, int doc)
    {
        if (_count < _scores.Length)
        {
            var i = _count++;
            _scores[i] = score;
            _docs[i] = doc;
            SiftUp(i);
            return true;
        }

        if (score <= _scores[0])
        {
            return false;
        }

        _scores[0] = score;
        _docs[0] = doc;
        SiftDown(0);
        return true;
    }

    // "Less" = worse: lower score, or equal score and higher doc id.
    private bool Worse(int a, int b) => _scores[a] < _scores[b] || (_scores[a] == _scores[b] && _docs[a] > _docs[b]);

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_docs[a], _docs[b]) = (_docs[b], _docs[a]);
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Worse(i, parent))
            {
                break;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var l = (2 * i) + 1;
            if (l >= _count)
            {
                break;
            }

            var worst = l + 1 < _count && Worse(l + 1, l) ? l + 1 : l;
            if (!Worse(worst, i))
            {
                break;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    public ScoreDoc[] ToSortedArray()
    {
        var result = new ScoreDoc[_count];
        for (var i = 0; i < _count; i++)
        {
            result[i] = new ScoreDoc(_docs[i], _scores[i]);
        }

        Array.Sort(result, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Doc.CompareTo(b.Doc));
        return result;
    }
}
