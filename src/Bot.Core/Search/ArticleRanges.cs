using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Bot.Core.Search;

/// <summary>
/// Where each article's documents are in an index: a full build (and an update) writes an article document followed by
/// its passages as one block, so an article is a range of consecutive documents of one segment. An update stitches such
/// ranges of the old index and of the changed articles together in corpus order (<see cref="IndexStore.Update"/>).
/// </summary>
internal static class ArticleRanges
{
    /// <summary>One article's documents: <c>[Start, End)</c> of segment <c>Leaf</c>, and the content hash it was indexed from.</summary>
    public sealed record Range(AtomicReader Leaf, int Start, int End, string Hash);

    /// <summary>Every live article of <paramref name="reader"/> by document id, or null when the layout is not the expected one.</summary>
    public static Dictionary<string, Range>? Of(IndexReader reader)
    {
        var result = new Dictionary<string, Range>(StringComparer.Ordinal);
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            var live = segment.LiveDocs;
            var docs = segment.GetTermDocsEnum(new Term(Fields.Kind, Fields.KindArticle));
            for (var d = docs?.NextDoc() ?? DocIdSetIterator.NO_MORE_DOCS; d != DocIdSetIterator.NO_MORE_DOCS; d = docs!.NextDoc())
            {
                if (live is not null && !live.Get(d))
                {
                    continue;
                }

                var doc = segment.Document(d);
                var passages = doc.GetField(Fields.PassageCount)?.GetInt32Value();
                if (doc.Get(Fields.Doc) is not { } id || doc.Get(Fields.Hash) is not { } hash || passages is not { } n || d + n >= segment.MaxDoc)
                {
                    return null;
                }

                // the block's last passage must belong to the article (cheap check that the block is whole)
                if (n > 0 && segment.Document(d + n).Get(Fields.Doc) != id)
                {
                    return null;
                }

                if (!result.TryAdd(id, new Range(segment, d, d + 1 + n, hash)))
                {
                    return null;
                }
            }
        }

        return result;
    }

    /// <summary>Consecutive ranges of the same segment joined into one slice each, in the given order.</summary>
    public static List<AtomicReader> Slices(IEnumerable<Range> ordered)
    {
        var slices = new List<AtomicReader>();
        Range? run = null;
        foreach (var r in ordered)
        {
            if (run is not null && ReferenceEquals(run.Leaf, r.Leaf) && run.End == r.Start)
            {
                run = run with { End = r.End };
                continue;
            }

            if (run is not null)
            {
                slices.Add(SliceOf(run));
            }

            run = r;
        }

        if (run is not null)
        {
            slices.Add(SliceOf(run));
        }

        return slices;
    }

    /// <summary>A whole segment is merged as itself (Lucene then copies its compressed stored fields in bulk).</summary>
    private static AtomicReader SliceOf(Range r) =>
        r.Start == 0 && r.End == r.Leaf.MaxDoc ? r.Leaf : new Slice(r);

    /// <summary>A segment seen through a window: only the documents of the range are live (a merge copies only those).</summary>
    private sealed class Slice : FilterAtomicReader
    {
        private readonly Window _live;

        public Slice(Range range)
            : base(range.Leaf)
        {
            _live = new Window(range.Start, range.End, range.Leaf.LiveDocs, range.Leaf.MaxDoc);
        }

        public override IBits LiveDocs => _live;

        public override int NumDocs => _live.Count;
    }

    private sealed class Window(int start, int end, IBits? inner, int length) : IBits
    {
        public int Count { get; } = Enumerable.Range(start, end - start).Count(d => inner is null || inner.Get(d));

        public int Length => length;

        public bool Get(int index) => index >= start && index < end && (inner is null || inner.Get(index));
    }
}
