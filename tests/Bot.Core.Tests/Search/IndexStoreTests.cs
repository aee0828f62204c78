using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.TestSupport;
using Lucene.Net.Index;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Search;

public class IndexStoreTests
{
    private static string CopySeeds(TempDir tmp)
    {
        var seeds = tmp.Sub("seeds");
        Directory.CreateDirectory(seeds);
        foreach (var f in Directory.GetFiles(RepoPaths.Seeds, "*.txt"))
        {
            File.Copy(f, Path.Combine(seeds, Path.GetFileName(f)));
        }

        return seeds;
    }

    [Fact]
    public void EnsureIndex_BuildsOnceThenReuses_RebuildsWhenSeedsChange()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using (var sp = EngineFixture.Build(seeds, tmp.Sub("index")))
        {
            var engine = sp.GetRequiredService<SearchEngine>();
            Assert.True(engine.EnsureIndex());
            Assert.False(engine.EnsureIndex());
            Assert.Equal(5, engine.Articles().Count);
        }

        using (var sp = EngineFixture.Build(seeds, tmp.Sub("index")))
        {
            var engine = sp.GetRequiredService<SearchEngine>();
            Assert.False(engine.EnsureIndex()); // a second process reuses the built index

            File.WriteAllText(Path.Combine(seeds, "900_new.txt"), "양자컴퓨터 스타트업 큐비트랩\n큐비트랩은 2026년에 양자컴퓨터 칩을 공개했습니다.\n");
            Assert.True(engine.RefreshIfSeedsChanged());
            Assert.Equal(6, engine.Articles().Count);
            var answer = sp.GetRequiredService<Bot.Core.Commands.QuestionHandler>().Ask("큐비트랩은 무엇을 공개했나요?", 3);
            Assert.Equal("900_new", answer.Best!.DocId);
        }
    }

    [Fact]
    public void Build_FailsMidway_PreviousIndexIntactAndReadable()
    {
        using var tmp = RepoPaths.NewTempDir();
        var corpus = CorpusLoader.Load(RepoPaths.Seeds);
        using var dir = IndexStore.Open(tmp.Sub("index"));
        var first = IndexStore.Build(dir, corpus, TimeProvider.System);

        // A reader opened on the first generation.
        using var reader = DirectoryReader.Open(dir);
        var docsBefore = reader.NumDocs;

        var bigger = corpus with { SeedsHash = "other", Articles = [.. corpus.Articles, .. corpus.Articles.Select(a => a with { DocId = a.DocId + "_copy" })] };
        Assert.Throws<InvalidOperationException>(() =>
            IndexStore.Build(dir, bigger, TimeProvider.System, (done, _) =>
            {
                if (done >= 100)
                {
                    throw new InvalidOperationException("simulated crash");
                }
            }));

        // The interrupted build left the last commit as it was.
        var manifest = IndexStore.ReadManifest(dir);
        Assert.Equal(first.SeedsHash, manifest!.SeedsHash);
        using var after = DirectoryReader.Open(dir);
        Assert.Equal(docsBefore, after.NumDocs);
        Assert.Equal(docsBefore, reader.NumDocs);
    }

    [Fact]
    public void Rebuild_OpenReaderKeepsOldGenerationUntilRefresh()
    {
        using var tmp = RepoPaths.NewTempDir();
        var corpus = CorpusLoader.Load(RepoPaths.Seeds);
        using var dir = IndexStore.Open(tmp.Sub("index"));
        IndexStore.Build(dir, corpus, TimeProvider.System);
        using var reader = DirectoryReader.Open(dir);
        var before = reader.NumDocs;

        var smaller = corpus with { SeedsHash = "smaller", Articles = corpus.Articles.Take(2).ToList() };
        IndexStore.Build(dir, smaller, TimeProvider.System);

        Assert.Equal(before, reader.NumDocs); // the running reader still sees a complete old index
        using var fresh = DirectoryReader.OpenIfChanged(reader);
        Assert.NotNull(fresh);
        Assert.True(fresh!.NumDocs < before);
        Assert.Equal("smaller", IndexStore.ReadManifest(dir)!.SeedsHash);
    }

    [Fact]
    public void ReadManifest_GarbageFolder_TreatedAsMissing()
    {
        using var tmp = RepoPaths.NewTempDir();
        var folder = IndexStore.LuceneFolder(tmp.Sub("index"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "segments_1"), "not a lucene file");
        using var dir = IndexStore.Open(tmp.Sub("index"));
        Assert.Null(IndexStore.ReadManifest(dir));
        Assert.True(IndexStore.IsStale(null, "x"));
    }

    [Fact]
    public void Build_WhileBuildLockHeld_ThrowsBusyAndLeavesIndexAlone()
    {
        using var tmp = RepoPaths.NewTempDir();
        var corpus = CorpusLoader.Load(RepoPaths.Seeds);
        using var dir = IndexStore.Open(tmp.Sub("index"));
        IndexStore.Build(dir, corpus, TimeProvider.System);
        using (IndexStore.AcquireBuildLock(IndexStore.LuceneFolder(tmp.Sub("index"))))
        {
            var ex = Assert.Throws<IndexBusyException>(() => IndexStore.Build(dir, corpus with { SeedsHash = "second" }, TimeProvider.System));
            Assert.Contains("another process is building", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(corpus.SeedsHash, IndexStore.ReadManifest(dir)!.SeedsHash);
        IndexStore.Build(dir, corpus with { SeedsHash = "after" }, TimeProvider.System); // the lock went with its holder
        Assert.Equal("after", IndexStore.ReadManifest(dir)!.SeedsHash);
    }

    [Fact]
    public void Build_FolderNotWritable_SaysSoNotBusy()
    {
        using var tmp = RepoPaths.NewTempDir();
        var folder = IndexStore.LuceneFolder(tmp.Sub("index"));
        Directory.CreateDirectory(Path.Combine(folder, IndexStore.BuildLockName)); // the lock file cannot be created
        using var dir = IndexStore.Open(tmp.Sub("index"));
        var ex = Assert.Throws<IndexNotWritableException>(() => IndexStore.Build(dir, CorpusLoader.Load(RepoPaths.Seeds), TimeProvider.System));
        Assert.Contains("cannot write the index", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("another process", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".tim")]
    [InlineData(".doc")]
    [InlineData("segments_")]
    [InlineData(".si")]
    public void EnsureIndex_TruncatedFile_RebuildsAndAnswers(string which)
    {
        using var tmp = RepoPaths.NewTempDir();
        using (var sp = EngineFixture.Build(RepoPaths.Seeds, tmp.Sub("index")))
        {
            Assert.True(sp.GetRequiredService<SearchEngine>().EnsureIndex());
        }

        var file = Directory.GetFiles(IndexStore.LuceneFolder(tmp.Sub("index")))
            .Where(f => Path.GetFileName(f).Contains(which, StringComparison.Ordinal)).OrderByDescending(f => new FileInfo(f).Length).First();
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        using (var sp = EngineFixture.Build(RepoPaths.Seeds, tmp.Sub("index")))
        {
            var engine = sp.GetRequiredService<SearchEngine>();
            Assert.True(engine.EnsureIndex()); // unreadable: rebuilt from the seeds
            var answer = sp.GetRequiredService<Bot.Core.Commands.QuestionHandler>().Ask("딥시크 V3 훈련 비용은 얼마야?", 3);
            Assert.Equal(Bot.Core.Answers.AnswerStatus.Answered, answer.Status);
        }
    }
}
