using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.TestSupport;
using Lucene.Net.Index;

namespace Bot.Core.Tests.Search;

/// <summary>A full build analysing on several threads writes the same index, document for document, as the writer alone.</summary>
public class ParallelBuildTests
{
    [Fact]
    public void Build_ParallelAnalysis_SameIndexAsWriterAlone()
    {
        using var tmp = RepoPaths.NewTempDir();
        var corpus = CorpusLoader.Load(RepoPaths.Seeds);
        using var serial = IndexStore.Open(tmp.Sub("serial"));
        using var parallel = IndexStore.Open(tmp.Sub("parallel"));
        IndexStore.Build(serial, corpus, TimeProvider.System, threads: 1);
        IndexStore.Build(parallel, corpus, TimeProvider.System, threads: 3, segmentPassages: 20); // several segments

        using var a = DirectoryReader.Open(serial);
        using var b = DirectoryReader.Open(parallel);
        Assert.True(b.Leaves.Count > 1);
        var expected = IndexDump.Everything(a);
        Assert.True(expected.Count > 1000);
        Assert.Equal(expected, IndexDump.Everything(b));
    }

    [Fact]
    public void BuildFromPassages_ParallelAnalysis_SameIndexAsWriterAlone()
    {
        using var tmp = RepoPaths.NewTempDir();
        var passages = CorpusLoader.Load(RepoPaths.Seeds).Articles.SelectMany(a => a.Passages).ToList();
        var many = Enumerable.Range(0, 4).SelectMany(r => passages.Select(p => p with { Id = $"{p.Id}/{r}" })).ToList(); // several batches
        using var serial = IndexStore.Open(tmp.Sub("serial"));
        using var parallel = IndexStore.Open(tmp.Sub("parallel"));
        IndexStore.BuildFromPassages(serial, many, d => d, "x", TimeProvider.System, threads: 1);
        var m = IndexStore.BuildFromPassages(parallel, many, d => d, "x", TimeProvider.System, threads: 2, segmentPassages: 50);
        Assert.Equal(many.Count, m.Passages);

        using var a = DirectoryReader.Open(serial);
        using var b = DirectoryReader.Open(parallel);
        Assert.Equal(IndexDump.Everything(a), IndexDump.Everything(b));
    }

    [Theory]
    [InlineData(100_000, 2, 25_000)] // 4 batches, 2 per thread, rather than 5 with the fifth on one thread
    [InlineData(30_000, 2, 15_000)] // one each
    [InlineData(1_000_000, 2, 20_000)]
    [InlineData(100_000, 3, 33_334)]
    [InlineData(15_000, 2, 20_000)] // one batch: a small corpus stays one segment
    [InlineData(100_000, 1, 20_000)]
    public void BalancedBatch_SplitsTheKnownTotalEvenlyAcrossThreads(int total, int threads, int expected) =>
        Assert.Equal(expected, IndexStore.BalancedBatch(total, threads, IndexStore.SegmentPassages));

    [Fact]
    public void BuildFromPassages_KnownCount_OneSegmentPerBatch_BalancedAcrossThreads()
    {
        using var tmp = RepoPaths.NewTempDir();
        var passages = CorpusLoader.Load(RepoPaths.Seeds).Articles.SelectMany(a => a.Passages).ToList();
        var many = Enumerable.Range(0, 5).SelectMany(r => passages.Select(p => p with { Id = $"{p.Id}/{r}" })).ToList();
        using var dir = IndexStore.Open(tmp.Sub("balanced"));
        IndexStore.BuildFromPassages(dir, many.Select(p => p), d => d, "x", TimeProvider.System, threads: 2, segmentPassages: many.Count / 5, expectedPassages: many.Count);
        using var reader = DirectoryReader.Open(dir);
        Assert.Equal(4, reader.Leaves.Count); // 5 batches' worth in 4 equal segments, 2 per thread
        Assert.Equal(many.Count, reader.NumDocs);
    }

    [Fact]
    public void Build_FailsInParallelBuild_NothingCommittedAndLockReleased()
    {
        using var tmp = RepoPaths.NewTempDir();
        var corpus = CorpusLoader.Load(RepoPaths.Seeds);
        using var dir = IndexStore.Open(tmp.Sub("index"));
        var first = IndexStore.Build(dir, corpus, TimeProvider.System, threads: 2);
        var bigger = corpus with { SeedsHash = "other", Articles = [.. corpus.Articles, .. corpus.Articles.Select(a => a with { DocId = a.DocId + "_copy" })] };
        Assert.Throws<InvalidOperationException>(() => IndexStore.Build(dir, bigger, TimeProvider.System, (done, _) =>
        {
            if (done >= 100)
            {
                throw new InvalidOperationException("simulated crash");
            }
        }, threads: 2, segmentPassages: 30));
        Assert.Equal(first.SeedsHash, IndexStore.ReadManifest(dir)!.SeedsHash);
        Assert.Empty(((Lucene.Net.Store.FSDirectory)dir).Directory.GetDirectories()); // the failed build's scratch segments are gone
        Assert.Equal("other", IndexStore.Build(dir, bigger, TimeProvider.System, threads: 2, segmentPassages: 30).SeedsHash); // lock and writer released
        Assert.Empty(((Lucene.Net.Store.FSDirectory)dir).Directory.GetDirectories()); // and so are the copied ones
    }

    [Fact]
    public void OrderedPipeline_KeepsSourceOrder_AndRethrowsTheFirstFailure()
    {
        var seen = new List<int>();
        OrderedPipeline.Run(Enumerable.Range(0, 10_000), batchSize: 7, workers: 4, i =>
        {
            if (i % 97 == 0)
            {
                Thread.Sleep(1); // some batches finish late
            }

            return i * 2;
        }, seen.Add);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => i * 2), seen);

        var consumed = 0;
        var ex = Assert.Throws<FormatException>(() => OrderedPipeline.Run(Enumerable.Range(0, 10_000), 16, 3,
            i => i == 5000 ? throw new FormatException("bad item") : i, _ => consumed++));
        Assert.Equal("bad item", ex.Message);
        Assert.Equal(5000 / 16 * 16, consumed); // every batch before the failing item's, nothing after

        static IEnumerable<int> FailingSource()
        {
            yield return 1;
            throw new IOException("source broke");
        }

        Assert.Throws<IOException>(() => OrderedPipeline.Run(FailingSource(), 4, 2, i => i, _ => { }));
    }
}
