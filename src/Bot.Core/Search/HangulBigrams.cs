using System.Runtime.CompilerServices;
using Lucene.Net.Index;

namespace Bot.Core.Search;

/// <summary>
/// Every Hangul bigram term of one index reader, as a set of 32-bit keys (two UTF-16 units), built once per reader on
/// first use: "does this bigram occur anywhere?" without a terms-dictionary seek. Spelling repair asks it for hundreds
/// of candidate bigrams per unknown word (about 115,000 keys, under 3 MB, for a 100,000-passage index).
/// </summary>
internal sealed class HangulBigrams
{
    private static readonly ConditionalWeakTable<IndexReader, HangulBigrams> PerReader = new();
    private readonly HashSet<int> _keys = [];

    private HangulBigrams(IndexReader reader)
    {
        foreach (var leaf in reader.Leaves)
        {
            var terms = leaf.AtomicReader.GetTerms(Fields.Text);
            if (terms is null)
            {
                continue;
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
                        _keys.Add(Key(s[0], s[1]));
                    }
                }
            }
        }
    }

    public static HangulBigrams For(IndexReader reader) => PerReader.GetValue(reader, r => new HangulBigrams(r));

    public bool Contains(char a, char b) => _keys.Contains(Key(a, b));

    private static int Key(char a, char b) => (a << 16) | b;
}
