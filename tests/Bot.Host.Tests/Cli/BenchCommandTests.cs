using System.Text.Json;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary><c>bot bench</c> over a tiny corpus: the ours, baseline and ratio rows, measured in child processes.</summary>
public sealed class BenchCommandTests : CliTestBase
{
    [Fact]
    public async Task Bench_TinyCorpus_PrintsOursBaselineAndRatioRowsMeasuredInChildProcesses()
    {
        var corpus = Tmp.Sub("perf");
        Directory.CreateDirectory(corpus);
        var seedLines = File.ReadLines(Path.Combine(RepoPaths.Seeds, Directory.GetFiles(RepoPaths.Seeds, "*.txt").Select(Path.GetFileName).Order().First()!))
            .Where(l => l.Trim().Length > 20).Take(40).ToList();
        await File.WriteAllLinesAsync(Path.Combine(corpus, "corpus_1k.jsonl"),
            seedLines.Select((l, i) => JsonSerializer.Serialize(new { id = $"p{i:D7}", src = i % 3, text = l })));
        await File.WriteAllLinesAsync(Path.Combine(corpus, "queries.jsonl"),
            ["""{"qid": 0, "kind": "phrase", "q": "딥시크 모델은 무엇인가요?"}""", """{"qid": 1, "kind": "nomatch", "q": "김치찌개 레시피"}"""]);

        var (code, output, err) = await Run("bench", "--corpus", corpus, "--sizes", "1k,5k", "--queries", "2", "--warmup", "0");

        Assert.Equal(0, code);
        Assert.Contains("skipping 5k", err, StringComparison.Ordinal);
        var rows = output.Split('\n').Where(l => l.StartsWith("| 1k |", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains("ours", rows[0], StringComparison.Ordinal);
        Assert.Contains("baseline", rows[1], StringComparison.Ordinal);
        Assert.Contains("ratio", rows[2], StringComparison.Ordinal);
        // passages indexed, and a serving peak RSS read from the child process (a positive number of MB)
        Assert.Contains($"| {seedLines.Count} |", rows[0], StringComparison.Ordinal);
        var memory = rows[0].Split('|', StringSplitOptions.TrimEntries)[^2].Split('/', StringSplitOptions.TrimEntries);
        Assert.True(int.Parse(memory[1], System.Globalization.CultureInfo.InvariantCulture) > 10);

        // warmed builds: the same passages counted (the untimed warm-up indexes are not the measured ones)
        var warmed = await Run("bench", "--corpus", corpus, "--sizes", "1k", "--index-only", "--build-warmup", "10");
        Assert.Equal(0, warmed.Code);
        var warmedRows = warmed.Out.Split('\n').Where(l => l.StartsWith("| 1k |", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, warmedRows.Count);
        Assert.All(warmedRows.Take(2), r => Assert.Contains($"| {seedLines.Count} |", r, StringComparison.Ordinal));
    }
}
