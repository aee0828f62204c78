using System.Text.Json;
using Bot.Host.Cli;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary><c>bot ask</c>: one question (text and JSON), <c>--batch</c> files, refused input with one clear line, a damaged index rebuilt; in process, and once as a real process.</summary>
public sealed class AskCommandTests : CliTestBase
{
    [Fact]
    public async Task Ask_Korean_PrintsSnippetCitationAndOtherSources()
    {
        var (code, output, err) = await Run("ask", "딥시크 V3 훈련 비용은 얼마야?");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("번째 단락", output, StringComparison.Ordinal);
        Assert.Contains("다른 출처:", output, StringComparison.Ordinal);
        Assert.Contains("“", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskJson_OneObjectWithResults()
    {
        var (code, output, _) = await Run("ask", "--json", "--explain", "엔비디아 주가는 얼마나 떨어졌나?");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("ko", root.GetProperty("language").GetString());
        Assert.True(root.GetProperty("answered").GetBoolean());
        var first = root.GetProperty("results")[0];
        Assert.True(first.GetProperty("snippet").GetString()!.Length <= 300);
        Assert.True(first.GetProperty("passage").GetInt32() >= 1);
        Assert.True(root.GetProperty("explain").GetProperty("words").GetArrayLength() > 0);
    }

    [Fact]
    public async Task AskBatch_EvalFormatOneLinePerQuestion()
    {
        var input = Tmp.Sub("q.jsonl");
        await File.WriteAllLinesAsync(input,
        [
            """{"id": "a", "question": "딥시크-V3는 운영 비용을 얼마나 절감했나요?"}""",
            "",
            """{"id": "b", "question": "스푸트니크 1호는 언제 발사됐어?"}""",
            """{"id": 3, "question": "How much did it cost to train DeepSeek-V3?"}""",
        ]);
        var outFile = Tmp.Sub("out.jsonl");
        var (code, _, _) = await Run("ask", "--batch", input, "--out", outFile);
        Assert.Equal(0, code);
        var lines = await File.ReadAllLinesAsync(outFile);
        Assert.Equal(3, lines.Length);
        using var a = JsonDocument.Parse(lines[0]);
        Assert.Equal("a", a.RootElement.GetProperty("id").GetString());
        Assert.False(a.RootElement.GetProperty("abstained").GetBoolean());
        var results = a.RootElement.GetProperty("results");
        Assert.InRange(results.GetArrayLength(), 1, 5);
        foreach (var name in new[] { "doc", "snippet", "score", "title", "passage" })
        {
            Assert.True(results[0].TryGetProperty(name, out _), name);
        }

        using var b = JsonDocument.Parse(lines[1]);
        Assert.True(b.RootElement.GetProperty("abstained").GetBoolean());
        using var c = JsonDocument.Parse(lines[2]);
        Assert.Equal(3, c.RootElement.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task AskBatch_EvalFeatures_OneLinePerCandidateWithTheRankerFeatures()
    {
        // What tests/eval/fit_ranker.py reads: per candidate passage, the question, the passage and every feature.
        const string question = "딥시크-V3는 운영 비용을 얼마나 절감했나요?";
        var input = Tmp.Sub("f.jsonl");
        await File.WriteAllLinesAsync(input, [JsonSerializer.Serialize(new { id = "a", question })]);
        var features = Tmp.Sub("features.jsonl");
        var (code, _, _) = await Run("ask", "--batch", input, "--out", Tmp.Sub("out.jsonl"), "--set", $"Eval:Features={features}");
        Assert.Equal(0, code);
        var lines = await File.ReadAllLinesAsync(features);
        Assert.InRange(lines.Length, 2, 50);
        var seen = new HashSet<(string, int)>();
        double bestBm25 = 0, bestCoverage = 0;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var c = doc.RootElement;
            Assert.Equal(question, c.GetProperty("q").GetString());
            Assert.True(seen.Add((c.GetProperty("doc").GetString()!, c.GetProperty("ord").GetInt32())));
            Assert.False(string.IsNullOrEmpty(c.GetProperty("text").GetString()));
            foreach (var name in new[] { "bm25", "cov", "cue", "win1", "win2", "len", "nounCov", "predCov", "nMatched", "titleCov", "lspans", "ord0" })
            {
                var v = c.GetProperty(name).GetDouble();
                Assert.True(name is "len" or "lspans" ? v >= 0 : v is >= 0 and <= 1.0001, $"{name} {v}");
            }

            Assert.True(c.GetProperty("win1").GetDouble() <= c.GetProperty("win2").GetDouble() + 1e-9);
            Assert.True(c.GetProperty("win2").GetDouble() <= c.GetProperty("cov").GetDouble() + 1e-9);
            bestBm25 = Math.Max(bestBm25, c.GetProperty("bm25").GetDouble());
            bestCoverage = Math.Max(bestCoverage, c.GetProperty("cov").GetDouble());
        }

        // BM25 is relative to the best candidate's, and some passage covers the whole question.
        Assert.Equal(1, bestBm25, 6);
        Assert.True(bestCoverage > 0.99);
    }

    [Fact]
    public async Task AskBatch_BadLine_ReportedKeepsGoing()
    {
        var input = Tmp.Sub("bad.jsonl");
        await File.WriteAllLinesAsync(input, ["{not json", """{"id": "ok", "question": "딥시크 설립"}"""]);
        var (code, output, err) = await Run("ask", "--batch", input);
        Assert.Equal(2, code);
        Assert.Contains("bad.jsonl:1", err, StringComparison.Ordinal);
        Assert.Equal(2, output.Trim().Split('\n').Length);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_OldLeverSetting_ExitTwoPointsToEvalDisable()
    {
        // the measurement levers left the production options: the old name must not silently measure with every lever on
        var (code, _, err) = await Run("ask", "--set", "Retrieval:Disable=maxscore", "딥시크");
        Assert.Equal(2, code);
        Assert.Contains("Eval:Disable", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Ask_TenThousandChars_ExitTwoClearMessage()
    {
        var (code, _, err) = await Run("ask", new string('가', 10_000));
        Assert.Equal(2, code);
        Assert.Contains("10000", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_MissingSeeds_ExitTwoNamesSetting()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BotCli.RunAsync(["ask", "--set", "Corpus:SeedsPath=/nonexistent/seeds", "--set", $"Index:Path={Tmp.Sub("i2")}", "딥시크"], stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("Corpus:SeedsPath", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskBatch_OutIsTheInput_ExitTwoFileUntouched()
    {
        var input = Tmp.Sub("same.jsonl");
        await File.WriteAllLinesAsync(input, ["""{"id": "a", "question": "딥시크 설립"}""", """{"id": "b", "question": "딥시크 비용"}"""]);
        var before = await File.ReadAllBytesAsync(input);
        Directory.CreateDirectory(Tmp.Sub("sub"));

        var (code, output, err) = await Run("ask", "--batch", input, "--out", Path.Combine(Tmp.Sub("sub"), "..", "same.jsonl"));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--out", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(before, await File.ReadAllBytesAsync(input));
        Assert.False(Directory.Exists(Tmp.Sub("index")), "nothing opened before refusing");
    }

    [Fact]
    public async Task Ask_TruncatedTermsFile_RebuildsAndAnswersNoStackTrace()
    {
        Assert.Equal(0, (await Run("index")).Code);
        var tim = Directory.GetFiles(Path.Combine(Tmp.Sub("index"), "lucene"), "*.tim").OrderByDescending(f => new FileInfo(f).Length).First();
        using (var stream = new FileStream(tim, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var (code, output, err) = await Run("ask", "딥시크 V3 훈련 비용은 얼마야?");
        Assert.True(code == 0, err);
        Assert.Contains("번째 단락", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealProcess_AskTwice_SecondReusesIndex()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "bot.dll");
        Assert.True(File.Exists(dll), dll);

        Task<(int, string, string)> Exec(params string[] args) => ExecBot(Tmp.Path, args);

        var (code, output, err) = await Exec(["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.True(code == 0, err);
        Assert.Contains("2023년", output, StringComparison.Ordinal);
        var stamp = Directory.GetFiles(Path.Combine(Tmp.Sub("index"), "lucene")).Max(File.GetLastWriteTimeUtc);
        (code, _, _) = await Exec(["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.Equal(0, code);
        Assert.Equal(stamp, Directory.GetFiles(Path.Combine(Tmp.Sub("index"), "lucene")).Max(File.GetLastWriteTimeUtc));

        (code, _, err) = await Exec(["ask", .. Paths, ""]);
        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
