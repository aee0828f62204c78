using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Bot.Core.Search;

/// <summary>One clause of a weighted disjunction: a term of <see cref="Fields.Text"/>, its statistics and its boost.</summary>
internal readonly record struct WeightedTerm(string Text, TermContext Context, float Boost);

/// <summary>
/// Top-k of a disjunction of term queries under BM25, with the same scores as Lucene's
/// <c>BooleanQuery(disableCoord: true)</c> of boosted <see cref="TermQuery"/>s and <see cref="BM25Similarity"/> defaults,
/// but without scoring every posting: MaxScore (Turtle &amp; Flood, 1995). Terms are ordered by the most they can add to
/// a passage's score; once the k-th best score exceeds what the weakest terms can add together, those terms only
/// <see cref="DocIdSetIterator.Advance"/> to passages the other terms found, instead of being read in full. The
/// "essential" terms are scored a window of passages at a time into an accumulator (as Lucene's BooleanScorer does).
/// <para>A common term's bound in a segment is the largest BM25 term-frequency factor any of its postings reaches; it is
/// computed once per term and reader (a full read of that term's postings, the cost the plain disjunction pays every
/// time) and cached with the reader's norms, so the cache lives exactly as long as the served index generation. A rare
/// term (fewer than 256 passages in the segment) keeps the loose bound, idf × boost × (k1 + 1).</para>
/// </summary>
internal static class MaxScoreSearcher
{
    private const int Window = 4096;
    private const int TightBoundMinDocFreq = 256;
    private const float K1 = 1.2f;
    private const float B = 0.75f;

    private static readonly ConditionalWeakTable<IndexReader, ReaderScoringCache> Caches = new();

    /// <summary>The top <paramref name="k"/> passages, best first (ties: lower doc id first), as Lucene orders them.</summary>
    public static ScoreDoc[] Search(IndexSearcher searcher, IReadOnlyList<WeightedTerm> terms, int k)
    {
        var reader = searcher.IndexReader;
        var stats = searcher.CollectionStatistics(Fields.Text);
        var cache = Caches.GetValue(reader, _ => new ReaderScoringCache(stats));
        var maxDoc = stats.MaxDoc;
        var weights = new float[terms.Count];
        var bytes = new BytesRef[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            var df = terms[i].Context.DocFreq;
            var idf = (float)Math.Log(1 + ((maxDoc - df + 0.5D) / (df + 0.5D)));
            weights[i] = idf * terms[i].Boost * (K1 + 1); // BM25Similarity: idf × boost × (k1 + 1), in float as Lucene
            bytes[i] = new BytesRef(terms[i].Text);
        }

        var heap = new TopK(k);
        var leaves = reader.Leaves;
        var scratch = new LeafScratch();
        for (var li = 0; li < leaves.Count; li++)
        {
            SearchLeaf(leaves[li], cache, terms, bytes, weights, heap, scratch);
        }

        return heap.ToSortedArray();
    }

    /// <summary>The window accumulator, shared by the segments of one search (left zeroed after each).</summary>
    private sealed class LeafScratch
    {
        public readonly float[] Acc = new float[Window];
        public readonly ulong[] Bits = new ulong[Window / 64];
    }

    private static void SearchLeaf(AtomicReaderContext leaf, ReaderScoringCache cache, IReadOnlyList<WeightedTerm> terms, BytesRef[] bytes, float[] weights, TopK heap, LeafScratch scratch)
    {
        var reader = leaf.AtomicReader;
        var fieldTerms = reader.GetTerms(Fields.Text);
        if (fieldTerms is null)
        {
            return;
        }

        var leafCache = cache.Leaf(leaf);
        var norms = leafCache.Norms;
        var lengthNorm = cache.LengthNorm;
        var liveDocs = reader.LiveDocs;
        TermsEnum? te = null;

        // Open the terms present in this segment, with their bounds; order them by bound, weakest first.
        var m = 0;
        var enums = new DocsEnum[terms.Count];
        var w = new float[terms.Count];
        var ub = new float[terms.Count];
        for (var i = 0; i < terms.Count; i++)
        {
            var state = terms[i].Context.Get(leaf.Ord);
            if (state is null)
            {
                continue;
            }

            te ??= fieldTerms.GetEnumerator();
            te.SeekExact(bytes[i], state);
            var docs = te.Docs(liveDocs, null, DocsFlags.FREQS);
            if (docs is null)
            {
                continue;
            }

            enums[m] = docs;
            w[m] = weights[i];
            // A rare term keeps the loose bound (its factor is below 1): it is cheap to read and nearly always essential,
            // so only common terms are scanned for a tight bound, which also bounds the cache by the common vocabulary.
            ub[m] = te.DocFreq < TightBoundMinDocFreq ? weights[i] : weights[i] * leafCache.MaxFactor(terms[i].Text, te, lengthNorm);
            m++;
        }

        if (m == 0)
        {
            return;
        }

        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            order[i] = i;
        }

        Array.Sort(ub, order, 0, m);
        var sortedEnums = new DocsEnum[m];
        var sortedW = new float[m];
        var prefix = new float[m]; // prefix[i]: the most terms 0..i can add together
        var cur = new int[m];
        var sum = 0f;
        for (var i = 0; i < m; i++)
        {
            sortedEnums[i] = enums[order[i]];
            sortedW[i] = w[order[i]];
            sum += ub[i];
            prefix[i] = sum * 1.0001f; // float sums are rounded: keep the bound safely above any reachable score
            cur[i] = sortedEnums[i].NextDoc();
        }

        var docBase = leaf.DocBase;
        var acc = scratch.Acc;
        var bits = scratch.Bits;
        var theta = heap.Threshold;
        var e = FirstEssential(prefix, m, theta);
        while (e < m)
        {
            var minDoc = DocIdSetIterator.NO_MORE_DOCS;
            for (var j = e; j < m; j++)
            {
                if (cur[j] < minDoc)
                {
                    minDoc = cur[j];
                }
            }

            if (minDoc == DocIdSetIterator.NO_MORE_DOCS)
            {
                break;
            }

            var windowStart = minDoc & ~(Window - 1);
            var windowEnd = windowStart + Window;

            // Essential terms: every posting in the window, accumulated.
            for (var j = e; j < m; j++)
            {
                var d = cur[j];
                if (d >= windowEnd)
                {
                    continue;
                }

                var docs = sortedEnums[j];
                var wj = sortedW[j];
                do
                {
                    var f = (float)docs.Freq;
                    var idx = d - windowStart;
                    acc[idx] += wj * f / (f + lengthNorm[norms[d]]);
                    bits[idx >> 6] |= 1UL << idx;
                    d = docs.NextDoc();
                }
                while (d < windowEnd);

                cur[j] = d;
            }

            // Candidates in doc order: the weaker terms are looked up only while they could still lift the passage.
            for (var wi = 0; wi < bits.Length; wi++)
            {
                var word = bits[wi];
                if (word == 0)
                {
                    continue;
                }

                bits[wi] = 0;
                while (word != 0)
                {
                    var idx = (wi << 6) + BitOperations.TrailingZeroCount(word);
                    word &= word - 1;
                    var score = acc[idx];
                    acc[idx] = 0;
                    var doc = windowStart + idx;
                    for (var i = e - 1; i >= 0; i--)
                    {
                        if (score + prefix[i] <= theta)
                        {
                            break;
                        }

                        var d = cur[i];
                        if (d < doc)
                        {
                            d = cur[i] = sortedEnums[i].Advance(doc);
                        }

                        if (d == doc)
                        {
                            var f = (float)sortedEnums[i].Freq;
                            score += sortedW[i] * f / (f + lengthNorm[norms[doc]]);
                        }
                    }

                    if (score > theta && heap.Offer(score, docBase + doc))
                    {
                        theta = heap.Threshold;
                        e = FirstEssential(prefix, m, theta, e);
                    }
                }
            }
        }
    }

    /// <summary>The first term that is still essential: terms before it cannot, even all together, beat <paramref name="theta"/>.</summary>
    private static int FirstEssential(float[] prefix, int m, float theta, int from = 0)
    {
        var e = from;
        while (e < m && prefix[e] <= theta)
        {
            e++;
        }

        return e;
    }

    /// <summary>What scoring needs of one index generation: BM25's length factors, and per segment its norms and term bounds.</summary>
    private sealed class ReaderScoringCache
    {
        private readonly ConcurrentDictionary<object, LeafScoringCache> _leaves = new();

        public ReaderScoringCache(CollectionStatistics stats)
        {
            // BM25Similarity: avgdl = sumTotalTermFreq / maxDoc; length factor k1 * (1 - b + b * dl / avgdl) per norm byte.
            var avgdl = stats.SumTotalTermFreq <= 0 ? 1f : (float)(stats.SumTotalTermFreq / (double)stats.MaxDoc);
            var probe = new NormDecoder();
            LengthNorm = new float[256];
            for (var i = 0; i < 256; i++)
            {
                LengthNorm[i] = K1 * ((1 - B) + (B * probe.Decode((byte)i) / avgdl));
            }
        }

        /// <summary>k1 * (1 - b + b * dl / avgdl) by norm byte, as <see cref="BM25Similarity"/> computes it.</summary>
        public float[] LengthNorm { get; }

        public LeafScoringCache Leaf(AtomicReaderContext leaf) =>
            _leaves.GetOrAdd(leaf.AtomicReader.CoreCacheKey, static (_, l) => new LeafScoringCache(l.AtomicReader), leaf);
    }

    private sealed class LeafScoringCache
    {
        private readonly ConcurrentDictionary<string, float> _maxFactor = new(StringComparer.Ordinal);
        public LeafScoringCache(AtomicReader reader)
        {
            Norms = new byte[reader.MaxDoc];
            var values = reader.GetNormValues(Fields.Text);
            if (values is not null)
            {
                for (var d = 0; d < Norms.Length; d++)
                {
                    Norms[d] = (byte)values.Get(d);
                }
            }
        }

        /// <summary>The text field's norm byte per document of the segment (0 for documents without text).</summary>
        public byte[] Norms { get; }

        /// <summary>The largest freq / (freq + lengthNorm) of the term's postings in this segment (below 1).</summary>
        public float MaxFactor(string term, TermsEnum positioned, float[] lengthNorm)
        {
            if (_maxFactor.TryGetValue(term, out var max))
            {
                return max;
            }

            var docs = positioned.Docs(null, null, DocsFlags.FREQS);
            var norms = Norms;
            max = 0f;
            for (var d = docs.NextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = docs.NextDoc())
            {
                var f = (float)docs.Freq;
                var factor = f / (f + lengthNorm[norms[d]]);
                if (factor > max)
                {
                    max = factor;
                }
            }

            _maxFactor.TryAdd(term, max);
            return max;
        }
    }

    /// <summary>Exposes <see cref="BM25Similarity"/>'s norm decoding (document length from the norm byte).</summary>
    private sealed class NormDecoder : BM25Similarity
    {
        public float Decode(byte b) => DecodeNormValue(b);
    }
}
