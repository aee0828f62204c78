using System.Runtime.CompilerServices;
using Lucene.Net.Index;

namespace Bot.Core.Search;

/// <summary>
/// Every Hangul bigram term of one index reader, as sets of 32-bit keys (two UTF-16 units), one per segment, each built
/// once per segment core on first use and shared by every reader that holds the segment (so after an update only the new
/// segment's terms are read): "does this bigram occur anywhere?" without a terms-dictionary seek. Spelling repair asks it
/// for hundreds of candidate bigrams per unknown word (about 115,000 keys, under 3 MB, for a 100,000-passage index).
/// A segment's set includes the terms of its deleted documents, as Lucene's own term dictionary does until a merge.
/// </summary>
internal sealed class HangulBigrams
{
    private static readonly ConditionalWeakTable<IndexReader, HangulBigrams> PerReader = new();
    private static readonly ConditionalWeakTable<object, HashSet<int>> PerSegment = new();
    private readonly List<HashSet<int>> _segments = [];

    private HangulBigrams(IndexReader reader)
    {
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            _segments.Add(PerSegment.GetValue(segment.CoreCacheKey, _ => Keys(segment)));
        }
    }

    private static HashSet<int> Keys(AtomicReader segment)
    {
        var keys = new HashSet<int>();
        var terms = segment.GetTerms(Fields.Text);
        if (terms is null)
        {
            return keys;
        }

        var te = terms.GetEnumerator();
        while (te.MoveNext())
        {
            var t = te.Term;
            // a Hangul syllable is 3 bytes in UTF-8 (EA..ED lead byte): a bigram is 6
            if (t.Length == 6 && t.Bytes[t.Offset] is >= 0xEA and <= 0xED)
            {
                var s = t.Utf8ToString();
                if (s.Length == 2)
                {
                    keys.Add(Key(s[0], s[1]));
                }
            }
        }

        return keys;
    }

    public static HangulBigrams For(IndexReader reader) => PerReader.GetValue(reader, r => new HangulBigrams(r));

    public bool Contains(char a, char b)
    {
        var key = Key(a, b);
        foreach (var keys in _segments)
        {
            if (keys.Contains(key))
            {
                return true;
            }
        }

        return false;
    }

    private static int Key(char a, char b) => (a << 16) | b;
}
