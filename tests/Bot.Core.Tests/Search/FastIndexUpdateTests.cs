using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.TestSupport;
using Lucene.Net.Index;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Bot.Core.Tests.Search.IncrementalIndexTests;
using IndexOptions = Bot.Core.Search.IndexOptions;

namespace Bot.Core.Tests.Search;

/// <summary>
/// The fast update path on a real on-disk index: the seed-file table that spares reading unchanged files, one commit
/// that only adds a segment and deletes, and the compaction (on its timer, or at once) back to a full build's index.
/// </summary>
public class FastIndexUpdateTests
{
    private static void AgeAll(string seeds)
    {
        foreach (var f in Directory.GetFiles(seeds))
        {
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(-1)); // well before any scan: not "racy"
        }
    }

    private static ServedIndex Served(string seeds, string index, TimeProvider time, TimeSpan compactDelay) =>
        new(new CorpusOptions { SeedsPath = seeds }, new IndexOptions { Path = index, CompactDelay = compactDelay }, time, NullLogger.Instance);

    private static List<string> SegmentNames(Lucene.Net.Store.Directory dir)
    {
        var infos = new SegmentInfos();
        infos.Read(dir);
        return infos.Select(s => s.Info.Name).ToList();
    }

    [Fact]
    public void Scan_TrustsUnchangedFilesBySizeAndTime_ReadsOnlyTheChangedOnes()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        AgeAll(seeds);
        var table = CorpusLoader.Load(seeds).Files!;

        var nothing = SeedScan.Run(seeds, table);
        Assert.Equal(0, nothing.Read);
        Assert.False(nothing.ContentChanged);
        Assert.Equal(table.Files, nothing.Files.Files);

        var files = Directory.GetFiles(seeds).Order(StringComparer.Ordinal).ToList();
        File.AppendAllText(files[0], "\n고래드론 연구소가 심해 탐사 결과를 발표했습니다.\n");
        File.SetLastWriteTimeUtc(files[1], DateTime.UtcNow.AddMinutes(-30)); // touched: same bytes, new time
        var scan = SeedScan.Run(seeds, table);
        Assert.Equal(2, scan.Read);
        Assert.Equal([Path.GetFileNameWithoutExtension(files[0])], scan.Articles.Select(a => a.Key));
        Assert.Equal((0, 1, 0), (scan.Added, scan.Changed, scan.Removed));

        // the new table is the one a full load writes (times aside), and so is the seeds hash
        var full = CorpusLoader.Load(seeds);
        Assert.Equal(full.Files!.Files, scan.Files.Files);
        Assert.Equal(full.SeedsHash, scan.Files.Hash);
        Assert.Equal(CorpusLoader.HashSeeds(seeds), scan.Files.Hash);
    }

    [Fact]
    public void FastUpdate_OneCommitAddingASegment_OldSegmentsNotRewritten()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var served = Served(seeds, tmp.Sub("index"), TimeProvider.System, TimeSpan.FromDays(1));
        served.EnsureIndex();
        using var dir = IndexStore.Open(tmp.Sub("index"));
        var generation = SegmentInfos.GetLastCommitGeneration(dir);
        var before = SegmentNames(dir);

        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
        var first = Directory.GetFiles(seeds).Order(StringComparer.Ordinal).First();
        File.AppendAllText(first, "\n고래드론 연구소가 심해 탐사 결과를 발표했습니다.\n");
        Assert.True(served.EnsureIndex());
        Assert.Equal(new IndexChange(false, 1, 1, 0), served.LastChange);
        Assert.Equal(generation + 1, SegmentInfos.GetLastCommitGeneration(dir)); // one commit for the whole update
        var after = SegmentNames(dir);
        Assert.Superset(before.ToHashSet(), after.ToHashSet()); // the old segments kept (with deletions), one new segment
        Assert.Equal(before.Count + 1, after.Count);
        Assert.True(served.CompactionPending);

        // nothing changed: no commit at all
        Assert.False(served.EnsureIndex());
        Assert.Equal(generation + 1, SegmentInfos.GetLastCommitGeneration(dir));
    }

    [Fact]
    public void FastUpdate_TwoFilesOneId_SkipsAndTakesOverAsAFullLoadDoes()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var served = Served(seeds, tmp.Sub("index"), TimeProvider.System, TimeSpan.FromDays(1));
        served.EnsureIndex();

        void AgreesWithFullLoad()
        {
            var full = CorpusLoader.Load(seeds);
            var m = served.Manifest!;
            Assert.Equal(full.SeedsHash, m.SeedsHash);
            Assert.Equal(full.Skipped, m.Skipped);
            Assert.Equal(full.Articles.Count, m.Articles);
            Assert.Equal(full.PassageCount, m.Passages);
        }

        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
        File.WriteAllText(Path.Combine(seeds, "900_robot.md"), "# 고래드론 연구소\n\n" + Whale);
        File.WriteAllBytes(Path.Combine(seeds, "901_binary.txt"), [0x41, 0x00, 0x42]);
        Assert.True(served.EnsureIndex());
        Assert.Equal(new IndexChange(false, 1, 0, 0), served.LastChange);
        Assert.Contains("900_robot.md: document id '900_robot' is already 900_robot.txt's; rename one of them", served.Manifest!.Skipped!);
        AgreesWithFullLoad();

        File.Delete(Path.Combine(seeds, "900_robot.txt")); // the .md now owns the id
        Assert.True(served.EnsureIndex());
        Assert.Equal(new IndexChange(false, 0, 1, 0), served.LastChange);
        AgreesWithFullLoad();
        Assert.Equal("고래드론 연구소", served.Articles().Single(a => a.DocId == "900_robot").Title);
    }

    [Fact]
    public void Compaction_RunsCompactDelayAfterTheFirstFastUpdate_AlsoForAnIndexLeftUncompacted()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using (var first = Served(seeds, tmp.Sub("index"), time, TimeSpan.FromSeconds(30)))
        {
            first.EnsureIndex();
            File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
            Assert.True(first.EnsureIndex());
            Assert.True(first.CompactionPending); // the process stops before its compaction is due
        }

        using var served = Served(seeds, tmp.Sub("index"), time, TimeSpan.FromSeconds(30));
        Assert.False(served.EnsureIndex());
        Assert.True(served.CompactionPending);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(served.CompactionPending);
        time.Advance(TimeSpan.FromSeconds(1)); // the timer's callback runs on this thread, under the index gate
        Assert.False(served.CompactionPending);
        var searcher = served.Acquire();
        try
        {
            Assert.Equal(0, searcher.IndexReader.NumDeletedDocs);
            Assert.Single(searcher.IndexReader.Leaves);
        }
        finally
        {
            served.Release(searcher);
        }
    }

    [Fact]
    public void CompactDelayZero_CompactsWithinTheUpdate()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using var served = Served(seeds, tmp.Sub("index"), TimeProvider.System, TimeSpan.Zero);
        served.EnsureIndex();
        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
        Assert.True(served.EnsureIndex());
        Assert.Equal(new IndexChange(false, 1, 0, 0), served.LastChange);
        Assert.False(served.CompactionPending);
        Assert.True(served.Manifest!.Compacted);
        using var dir = IndexStore.Open(tmp.Sub("index"));
        Assert.True(IndexStore.ReadManifest(dir)!.Compacted);
    }

    [Fact]
    public void IndexWithoutSeedTable_GetsTheExactUpdateOnce_ThenFastOnes()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = CopySeeds(tmp);
        using (var dir = IndexStore.Open(tmp.Sub("index")))
        {
            IndexStore.Build(dir, CorpusLoader.Load(seeds), TimeProvider.System);
            using var writer = new IndexWriter(dir, IndexStore.WriterConfig(OpenMode.APPEND));
            var data = new Dictionary<string, string>(writer.CommitData) { ["seedsHash"] = "an older definition" };
            data.Remove("seedFiles");
            data.Remove("seedsScannedAt");
            data.Remove("compacted");
            writer.SetCommitData(data);
            writer.Commit();
        }

        using var served = Served(seeds, tmp.Sub("index"), TimeProvider.System, TimeSpan.FromDays(1));
        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Penguin);
        Assert.True(served.EnsureIndex());
        Assert.Equal(new IndexChange(false, 1, 0, 0), served.LastChange);
        Assert.NotNull(served.Manifest!.Files);
        Assert.True(served.Manifest.Compacted); // the in-order merge is exact

        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), Whale);
        Assert.True(served.EnsureIndex());
        Assert.Equal(new IndexChange(false, 0, 1, 0), served.LastChange);
        Assert.True(served.CompactionPending);
    }

    [Fact]
    public void NegativeCompactDelay_IsAProblem()
    {
        Assert.Contains("Index:CompactDelay must not be negative.", new IndexOptions { CompactDelay = TimeSpan.FromSeconds(-1) }.Problems());
        Assert.Empty(new IndexOptions().Problems());
    }
}
