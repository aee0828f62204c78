using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.TestSupport;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Fields = Bot.Core.Search.Fields;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Search;

/// <summary>
/// Incremental updates of a real on-disk index (only the changed articles re-indexed, one commit), searched through the
/// served searcher, against full builds of the same seeds.
/// </summary>
public class IncrementalIndexTests
{
    internal const string Penguin = """
        펭귄로봇 연구소, 남극 탐사용 인공지능 공개
        펭귄로봇 연구소는 남극 빙하를 스스로 탐사하는 인공지능 로봇을 공개했습니다. 이 로봇은 영하 40도에서도 작동합니다.
        연구소에 따르면 펭귄로봇은 태양광으로 충전되며 한 번 충전으로 일주일 동안 움직일 수 있습니다.
        """;

    internal const string Whale = """
        고래드론 연구소, 심해 탐사용 인공지능 공개
        고래드론 연구소는 심해 해구를 스스로 탐사하는 인공지능 드론을 공개했습니다. 이 드론은 수심 8천 미터에서도 작동합니다.
        연구소에 따르면 고래드론은 조류 발전으로 충전되며 한 번 충전으로 한 달 동안 움직일 수 있습니다.
        """;

    /// <summary>Questions about the seeds and the test articles (written for these tests, not taken from any eval file).</summary>
    private static readonly string[] Questions =
    [
        "딥시크 V3 훈련 비용은 얼마야?", "엔비디아 주가는 왜 떨어졌어?", "DeepSeek R1 reinforcement learning", "오픈소스 모델 공개",
        "미국의 수출 규제와 H800 칩", "글쓴이는 누구야?", "펭귄로봇은 어떻게 충전돼?", "고래드론은 어디를 탐사해?", "인공지능 연구소",
    ];

    /// <summary>Compaction only when a test asks for it (the background timer is tested in FastIndexUpdateTests).</summary>
    internal static readonly Dictionary<string, string?> NoTimer = new() { ["Index:CompactDelay"] = "1.00:00:00" };

    internal static string CopySeeds(TempDir tmp)
    {
        var seeds = tmp.Sub("seeds");
        Directory.CreateDirectory(seeds);
        foreach (var f in Directory.GetFiles(RepoPaths.Seeds, "*.txt"))
        {
            File.Copy(f, Path.Combine(seeds, Path.GetFileName(f)));
        }

        return seeds;
    }

    private static List<string> DocsFound(SearchEngine engine, string question) =>
        engine.Retrieve(question, 5).Hits.Select(h => h.DocId).ToList();

    [Fact]
    public void AddEditDelete_OnlyThatArticleReindexed_ServedSearcherFollowsWithoutRebuild()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var sp = EngineFixture.Build(seeds, tmp.Sub("index"), NoTimer);
        var engine = sp.GetRequiredService<SearchEngine>();
        Assert.True(engine.EnsureIndex());
        Assert.True(engine.Index.LastChange!.Full);
        Assert.DoesNotContain("900_robot", DocsFound(engine, "펭귄로봇은 어떻게 충전돼?"));
        var seedPassages = engine.Manifest!.Passages;

        // add: one article re-indexed, the served searcher moved to the new commit, a searcher held from before keeps the old one
        var old = engine.Index.Acquire();
        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
        Assert.True(engine.RefreshIfSeedsChanged());
        Assert.Equal(new IndexChange(false, 1, 0, 0), engine.Index.LastChange);
        Assert.Equal("900_robot", DocsFound(engine, "펭귄로봇은 어떻게 충전돼?")[0]);
        Assert.Equal(6, engine.Articles().Count);
        Assert.Equal(0, old.Search(new TermQuery(new Term(Fields.Doc, "900_robot")), 10).TotalHits);
        engine.Index.Release(old);
        var added = engine.Manifest!.Passages;
        Assert.True(added > seedPassages);

        // edit: the article's passages replaced, the old text no longer found
        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Whale);
        Assert.True(engine.RefreshIfSeedsChanged());
        Assert.Equal(new IndexChange(false, 0, 1, 0), engine.Index.LastChange);
        Assert.Equal("900_robot", DocsFound(engine, "고래드론은 어디를 탐사해?")[0]);
        Assert.DoesNotContain("900_robot", DocsFound(engine, "펭귄로봇 남극 빙하"));
        Assert.Equal("고래드론 연구소, 심해 탐사용 인공지능 공개", engine.Articles().Single(a => a.DocId == "900_robot").Title);

        // delete: gone from the results and the article list; nothing else touched
        File.Delete(Path.Combine(seeds, "900_robot.txt"));
        Assert.True(engine.RefreshIfSeedsChanged());
        Assert.Equal(new IndexChange(false, 0, 0, 1), engine.Index.LastChange);
        Assert.DoesNotContain("900_robot", DocsFound(engine, "고래드론은 어디를 탐사해?"));
        Assert.Equal(5, engine.Articles().Count);
        Assert.Equal(seedPassages, engine.Manifest!.Passages);
        Assert.False(engine.RefreshIfSeedsChanged());

        // the fast updates' segments (all of whose documents are deleted now) are gone; the compaction rewrites the rest
        var searcher = engine.Index.Acquire();
        try
        {
            Assert.Equal(seedPassages + 5, searcher.IndexReader.NumDocs);
        }
        finally
        {
            engine.Index.Release(searcher);
        }

        Assert.True(engine.Index.CompactionPending);
        Assert.True(engine.Index.Compact());
        Assert.False(engine.Index.CompactionPending);
        Assert.False(engine.Index.Compact());
        searcher = engine.Index.Acquire();
        try
        {
            Assert.Equal(0, searcher.IndexReader.NumDeletedDocs);
            Assert.Equal(seedPassages + 5, searcher.IndexReader.NumDocs);
        }
        finally
        {
            engine.Index.Release(searcher);
        }
    }

    /// <summary>The brief's exactness check: fast updates, then the compaction, give a full build's index and results.</summary>
    [Fact]
    public void IncrementalUpdatesThenCompaction_SameResultsAndStatisticsAsFullBuild()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var incremental = EngineFixture.Build(seeds, tmp.Sub("inc"), NoTimer);
        var inc = incremental.GetRequiredService<SearchEngine>();
        inc.EnsureIndex();

        // an edit in the middle of an article, an added article, a removed one
        var files = Directory.GetFiles(seeds, "*.txt").Order(StringComparer.Ordinal).ToList();
        File.AppendAllText(files[1], "\n딥시크는 고래드론 연구소와 함께 심해 탐사 모델을 훈련했습니다.\n");
        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
        File.Delete(files[3]);
        Assert.True(inc.RefreshIfSeedsChanged());
        Assert.Equal(new IndexChange(false, 1, 1, 1), inc.Index.LastChange);
        Assert.Equal("900_robot", DocsFound(inc, "펭귄로봇은 어떻게 충전돼?")[0]); // searchable before the compaction
        Assert.True(inc.Index.CompactionPending);
        Assert.True(inc.Index.Compact());

        using var full = EngineFixture.Build(seeds, tmp.Sub("full"), NoTimer);
        var fresh = full.GetRequiredService<SearchEngine>();
        fresh.EnsureIndex();
        Assert.True(fresh.Index.LastChange!.Full);

        Assert.Equal(fresh.Manifest!.Passages, inc.Manifest!.Passages);
        Assert.Equal(fresh.Manifest.SeedsHash, inc.Manifest.SeedsHash);
        Assert.Equal(fresh.Articles(), inc.Articles());
        Assert.Equal(IndexDump.Everything(fresh.Index), IndexDump.Everything(inc.Index)); // document for document, in order
        foreach (var q in Questions)
        {
            var a = inc.Retrieve(q, 10);
            var b = fresh.Retrieve(q, 10);
            Assert.Equal(b.Status, a.Status);
            Assert.Equal(b.Evidence.Signals, a.Evidence.Signals);
            Assert.Equal(b.Hits.Select(h => (h.Id, h.Score, h.Bm25, h.Snippet.Text)), a.Hits.Select(h => (h.Id, h.Score, h.Bm25, h.Snippet.Text)));
        }
    }

    [Fact]
    public void UpdateFailsMidway_PreviousIndexStillServedAndIntact_NextCheckSucceeds()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var sp = EngineFixture.Build(seeds, tmp.Sub("index"), NoTimer);
        var engine = sp.GetRequiredService<SearchEngine>();
        engine.EnsureIndex();
        var before = engine.Manifest!;
        var answerBefore = DocsFound(engine, "딥시크 V3 훈련 비용은 얼마야?");

        // an exception while the changed article's passages are written (after the old ones were deleted in the writer)
        var first = Directory.GetFiles(seeds, "*.txt").Order(StringComparer.Ordinal).First();
        File.WriteAllText(first, Penguin);
        Assert.Throws<InvalidOperationException>(() => engine.EnsureIndex(progress: (_, _) => throw new InvalidOperationException("simulated crash")));
        Assert.Equal(before, engine.Manifest);
        Assert.Equal(answerBefore, DocsFound(engine, "딥시크 V3 훈련 비용은 얼마야?"));
        Assert.DoesNotContain(Path.GetFileNameWithoutExtension(first), DocsFound(engine, "펭귄로봇은 어떻게 충전돼?"));
        using (var dir = IndexStore.Open(tmp.Sub("index")))
        {
            Assert.Equal(before.SeedsHash, IndexStore.ReadManifest(dir)!.SeedsHash); // the last commit, readable
            using var reader = DirectoryReader.Open(dir);
            Assert.Equal(before.Passages + 5, reader.NumDocs);
        }

        // an unreadable seed file (a dangling link): the check fails with an I/O error, nothing changes
        var dangling = Path.Combine(seeds, "950_dangling.txt");
        File.CreateSymbolicLink(dangling, Path.Combine(tmp.Path, "nowhere.txt"));
        Assert.ThrowsAny<IOException>(() => engine.RefreshIfSeedsChanged());
        Assert.Equal(before, engine.Manifest);
        Assert.Equal(answerBefore, DocsFound(engine, "딥시크 V3 훈련 비용은 얼마야?"));

        File.Delete(dangling);
        Assert.True(engine.RefreshIfSeedsChanged());
        Assert.Equal(new IndexChange(false, 0, 1, 0), engine.Index.LastChange);
        Assert.Equal(Path.GetFileNameWithoutExtension(first), DocsFound(engine, "펭귄로봇은 어떻게 충전돼?")[0]);
    }

    [Fact]
    public void Update_OfAManySegmentIndex_EqualsFullBuild()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var dir = IndexStore.Open(tmp.Sub("inc"));
        IndexStore.Build(dir, CorpusLoader.Load(seeds), TimeProvider.System, threads: 2, segmentPassages: 15); // one article a segment, about
        var files = Directory.GetFiles(seeds, "*.txt").Order(StringComparer.Ordinal).ToList();
        File.AppendAllText(files[2], "\n고래드론 연구소가 심해 탐사 결과를 발표했습니다.\n");
        File.WriteAllText(Path.Combine(seeds, "001_9robot.txt"), Penguin);
        var corpus = CorpusLoader.Load(seeds);
        Assert.Equal(new IndexChange(false, 1, 1, 0), IndexStore.Update(dir, corpus, TimeProvider.System)!.Value.Change);

        using var full = IndexStore.Open(tmp.Sub("full"));
        IndexStore.Build(full, corpus, TimeProvider.System, threads: 1);
        using var a = DirectoryReader.Open(full);
        using var b = DirectoryReader.Open(dir);
        Assert.Equal(IndexDump.Everything(a), IndexDump.Everything(b));
    }

    [Fact]
    public void AnalysisVersionChanged_ForcesFullBuild()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using (var dir = IndexStore.Open(tmp.Sub("index")))
        {
            IndexStore.Build(dir, CorpusLoader.Load(seeds), TimeProvider.System);
            using var writer = new IndexWriter(dir, IndexStore.WriterConfig(OpenMode.APPEND));
            var data = new Dictionary<string, string>(writer.CommitData) { ["analysis"] = "ko-bigram-0", ["seedsHash"] = "older" };
            writer.SetCommitData(data);
            writer.Commit();
            Assert.Null(IndexStore.Update(dir, CorpusLoader.Load(seeds), TimeProvider.System)); // an update cannot mix analyses
        }

        using var sp = EngineFixture.Build(seeds, tmp.Sub("index"), NoTimer);
        var engine = sp.GetRequiredService<SearchEngine>();
        Assert.True(engine.EnsureIndex());
        Assert.True(engine.Index.LastChange!.Full);
        Assert.Equal(LuceneSettings.AnalysisVersion, engine.Manifest!.AnalysisVersion);
    }

    [Fact]
    public void Update_WhileBuildLockHeld_ThrowsBusy()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var dir = IndexStore.Open(tmp.Sub("index"));
        var built = IndexStore.Build(dir, CorpusLoader.Load(seeds), TimeProvider.System);
        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
        using (IndexStore.AcquireBuildLock(IndexStore.LuceneFolder(tmp.Sub("index"))))
        {
            Assert.Throws<IndexBusyException>(() => IndexStore.Update(dir, CorpusLoader.Load(seeds), TimeProvider.System));
        }

        Assert.Equal(built.SeedsHash, IndexStore.ReadManifest(dir)!.SeedsHash);
    }
}
