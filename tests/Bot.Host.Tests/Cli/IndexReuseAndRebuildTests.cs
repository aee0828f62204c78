using Bot.Host.Cli;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary><c>bot index</c>: an index reused when up to date, rebuilt with <c>--force</c> or when a file is damaged, seed files that are not UTF-8, and a build lock held by another process (real processes).</summary>
public sealed class IndexReuseAndRebuildTests : CliTestBase
{
    [Fact]
    public async Task Index_SecondRunReusesIndex_ForceRebuilds()
    {
        var first = await Run("index");
        Assert.Equal(0, first.Code);
        Assert.StartsWith("indexed ", first.Out, StringComparison.Ordinal);
        var second = await Run("index");
        Assert.Contains("up to date", second.Out, StringComparison.Ordinal);
        var forced = await Run("index", "--force");
        Assert.StartsWith("indexed ", forced.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_TruncatedSegmentsFile_ForceRebuilds()
    {
        Assert.Equal(0, (await Run("index")).Code);
        var segments = Directory.GetFiles(Path.Combine(Tmp.Sub("index"), "lucene"), "segments_*").Single();
        using (var stream = new FileStream(segments, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var (code, output, err) = await Run("index", "--force");
        Assert.True(code == 0, err);
        Assert.StartsWith("indexed ", output, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("ask", "딥시크 설립은 언제 발표되었나요?")).Code);
    }

    [Fact]
    public async Task Index_SeedFilesNotUtf8_WarnsNamingEachFileIndexesTheRest()
    {
        var seeds = Tmp.Sub("seeds");
        Directory.CreateDirectory(seeds);
        File.Copy(Directory.GetFiles(RepoPaths.Seeds, "*.txt").Order().First(), Path.Combine(seeds, "001_good.txt"));
        await File.WriteAllBytesAsync(Path.Combine(seeds, "002_euckr.txt"), [0xB5, 0xF6, 0xBD, 0xC3, 0xC5, 0xA9]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BotCli.RunAsync(["index", "--set", $"Corpus:SeedsPath={seeds}", "--set", $"Index:Path={Tmp.Sub("index")}"], stdout, stderr);
        Assert.Equal(0, code);
        Assert.Contains("from 1 articles", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning: seed file skipped: 002_euckr.txt: not UTF-8", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_FolderNotWritable_OneLineNotBusy()
    {
        Directory.CreateDirectory(Path.Combine(Tmp.Sub("index"), "lucene", "build.lock")); // root ignores chmod; a folder in the lock file's place fails the same way
        var (code, _, err) = await Run("index", "--force");
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("cannot write the index", err, StringComparison.Ordinal);
        Assert.DoesNotContain("another process", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealProcess_IndexForceWhileAnotherProcessBuilds_ExitOneOneLine()
    {
        Assert.Equal(0, (await Run("index")).Code);
        var (code, _, err) = (0, "", "");
        using (Bot.Core.Search.IndexStore.AcquireBuildLock(Path.Combine(Tmp.Sub("index"), "lucene")))
        {
            (code, _, err) = await ExecBot(Tmp.Path, ["index", .. Paths, "--force"]);
        }

        Assert.Equal(1, code);
        Assert.Equal("error: another process is building the index in " + Path.Combine(Tmp.Sub("index"), "lucene") + "; try again when it has finished", err.Trim());
    }

    [Fact]
    public async Task RealProcess_TwoIndexForceTogether_NoCrashThenAskAnswers()
    {
        var first = ExecBot(Tmp.Path, ["index", .. Paths, "--force"]);
        var second = ExecBot(Tmp.Path, ["index", .. Paths, "--force"]);
        var results = await Task.WhenAll(first, second);
        Assert.Contains(results, r => r.Code == 0);
        foreach (var (code, _, err) in results)
        {
            Assert.True(code == 0 || (code == 1 && err.Trim().Split('\n').Length == 1 && err.Contains("another process is building", StringComparison.Ordinal)), err);
        }

        var (askCode, output, askErr) = await ExecBot(Tmp.Path, ["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.True(askCode == 0, askErr);
        Assert.Contains("2023년", output, StringComparison.Ordinal);
    }
}
