namespace Bot.Core.Search;

/// <summary>Per group: credit in [0,1] (share of the best form's terms present, 0 below half; for a phrase of several
/// words, the idf-weighted share) and the matched spans.</summary>
public sealed record PassageMatch(double[] Credit, List<MatchSpan> Spans);

/// <summary>
/// Finds a question's terms in passages: per group, the share of its best form's terms present (credit, 0 below half)
/// and the spans of those terms. Only the question's terms are looked up (span lookups, no per-bigram strings).
/// </summary>
public sealed class PassageMatcher
{
    private readonly IReadOnlyList<QueryGroup> _groups;
    private readonly Dictionary<string, int> _termIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<(int S, int E)>[] _positions;
    private readonly int[][][] _formTerms;
    private readonly List<Word> _words = new(128);

    private readonly double[] _termWeight;
    private readonly bool[][] _phrase;

    /// <param name="termWeight">A term's weight (its idf) for the partial match of a phrase of several words; null: all 1.</param>
    public PassageMatcher(IReadOnlyList<QueryGroup> groups, Func<string, double>? termWeight = null)
    {
        _groups = groups;
        _phrase = groups.Select(g => g.Forms.Select(f => f.Text.Contains(' ', StringComparison.Ordinal)).ToArray()).ToArray();
        _formTerms = new int[groups.Count][][];
        for (var gi = 0; gi < groups.Count; gi++)
        {
            var forms = groups[gi].Forms;
            _formTerms[gi] = new int[forms.Count][];
            for (var fi = 0; fi < forms.Count; fi++)
            {
                var terms = forms[fi].Terms;
                var ids = new int[terms.Count];
                for (var ti = 0; ti < terms.Count; ti++)
                {
                    if (!_termIndex.TryGetValue(terms[ti], out var id))
                    {
                        id = _termIndex.Count;
                        _termIndex[terms[ti]] = id;
                    }

                    ids[ti] = id;
                }

                _formTerms[gi][fi] = ids;
            }
        }

        _lookup = _termIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        _termWeight = new double[_termIndex.Count];
        foreach (var (term, id) in _termIndex)
        {
            _termWeight[id] = termWeight?.Invoke(term) ?? 1;
        }

        _positions = new List<(int, int)>[_termIndex.Count];
        for (var i = 0; i < _positions.Length; i++)
        {
            _positions[i] = [];
        }
    }

    public PassageMatch Match(string text)
    {
        foreach (var p in _positions)
        {
            p.Clear();
        }

        _words.Clear();
        KoreanWords.Split(text, _words, hangulText: false);
        foreach (var w in _words)
        {
            if (w.Kind == WordKind.Hangul)
            {
                var length = w.End - w.Start;
                if (length == 1)
                {
                    if (_lookup.TryGetValue(text.AsSpan(w.Start, 1), out var one))
                    {
                        _positions[one].Add((w.Start, w.End));
                    }

                    continue;
                }

                for (var i = w.Start; i + 1 < w.End; i++)
                {
                    if (_lookup.TryGetValue(text.AsSpan(i, 2), out var id))
                    {
                        _positions[id].Add((i, i + 2));
                    }
                }
            }
            else if (_lookup.TryGetValue(w.Text, out var id))
            {
                _positions[id].Add((w.Start, w.End));
            }
        }

        var credit = new double[_groups.Count];
        var spans = new List<MatchSpan>();
        for (var gi = 0; gi < _groups.Count; gi++)
        {
            var bestForm = -1;
            var bestShare = 0.0;
            var forms = _formTerms[gi];
            for (var fi = 0; fi < forms.Length; fi++)
            {
                var present = 0;
                double wPresent = 0, wAll = 0;
                foreach (var id in forms[fi])
                {
                    wAll += _termWeight[id];
                    if (_positions[id].Count > 0)
                    {
                        present++;
                        wPresent += _termWeight[id];
                    }
                }

                var share = (double)present / forms[fi].Length;
                // A phrase of several words ("수혜 기업") is weighed by what its present terms tell apart: its common word
                // alone ("기업") is no half match.
                if (share < 1 && wAll > 0 && _phrase[gi][fi])
                {
                    share = wPresent / wAll;
                }

                if (share >= 0.5 && share > bestShare)
                {
                    bestShare = share;
                    bestForm = fi;
                }
            }

            if (bestForm < 0)
            {
                continue;
            }

            credit[gi] = bestShare;
            foreach (var id in forms[bestForm])
            {
                foreach (var (s, e) in _positions[id])
                {
                    spans.Add(new MatchSpan(s, e, gi, id));
                }
            }
        }

        return new PassageMatch(credit, spans);
    }
}
