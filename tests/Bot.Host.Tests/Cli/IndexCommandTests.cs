using Bot.Core.Search;
using Bot.Host.Cli;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary><c>bot index</c> after a seed file changed: the fast update, then the compaction (or not, with --no-compact).</summary>
public sealed class IndexCommandTests : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-index");

    private async Task<(int Code, string Out, string Err)> Index(string seeds, params string[] flags)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BotCli.RunAsync(["index", "--set", $"Corpus:SeedsPath={seeds}", "--set", $"Index:Path={_tmp.Sub("index")}", .. flags], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private bool Compacted()
    {
        using var dir = IndexStore.Open(_tmp.Sub("index"));
        return IndexStore.ReadManifest(dir)!.Compacted;
    }

    [Fact]
    public async Task Index_AfterAnEdit_UpdatesThenCompacts_NoCompactLeavesItForLater()
    {
        var seeds = _tmp.Sub("seeds");
        Directory.CreateDirectory(seeds);
        foreach (var f in Directory.GetFiles(RepoPaths.Seeds, "*.txt"))
        {
            File.Copy(f, Path.Combine(seeds, Path.GetFileName(f)));
        }

        Assert.StartsWith("indexed ", (await Index(seeds)).Out, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(seeds, "900_robot.txt"), "펭귄로봇 연구소 소식\n펭귄로봇 연구소는 남극 빙하를 탐사하는 로봇을 공개했습니다.\n");

        var (code, output, err) = await Index(seeds, "--no-compact");
        Assert.True(code == 0, err);
        Assert.StartsWith("updated the index: 1 added, 0 changed, 0 removed", output, StringComparison.Ordinal);
        Assert.Contains("not compacted (--no-compact)", output, StringComparison.Ordinal);
        Assert.False(Compacted());

        (code, output, err) = await Index(seeds);
        Assert.True(code == 0, err);
        Assert.StartsWith("index is up to date", output, StringComparison.Ordinal);
        Assert.Contains("compacted in", output, StringComparison.Ordinal);
        Assert.True(Compacted());

        File.Delete(Path.Combine(seeds, "900_robot.txt"));
        (code, output, _) = await Index(seeds);
        Assert.Equal(0, code);
        Assert.StartsWith("updated the index: 0 added, 0 changed, 1 removed", output, StringComparison.Ordinal);
        Assert.Contains("; compacted in", output, StringComparison.Ordinal);
        Assert.True(Compacted());
    }

    public void Dispose() => _tmp.Dispose();
}
