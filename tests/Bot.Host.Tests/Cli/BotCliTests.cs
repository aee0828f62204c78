using System.Diagnostics;
using System.Text.Json;
using Bot.Host.Cli;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary>The command line end to end, in process (fast) and once as a real process.</summary>
public sealed class BotCliTests : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-cli");

    private string[] Paths => ["--set", $"Corpus:SeedsPath={RepoPaths.Seeds}", "--set", $"Index:Path={_tmp.Sub("index")}"];

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var all = args.Length == 0 ? args : [args[0], .. Paths, .. args.Skip(1)];
        var code = await BotCli.RunAsync(all, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

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
    public async Task Bench_TinyCorpus_PrintsOursBaselineAndRatioRowsMeasuredInChildProcesses()
    {
        var corpus = _tmp.Sub("perf");
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
        var input = _tmp.Sub("q.jsonl");
        await File.WriteAllLinesAsync(input,
        [
            """{"id": "a", "question": "딥시크-V3는 운영 비용을 얼마나 절감했나요?"}""",
            "",
            """{"id": "b", "question": "스푸트니크 1호는 언제 발사됐어?"}""",
            """{"id": 3, "question": "How much did it cost to train DeepSeek-V3?"}""",
        ]);
        var outFile = _tmp.Sub("out.jsonl");
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
    public async Task AskBatch_BadLine_ReportedKeepsGoing()
    {
        var input = _tmp.Sub("bad.jsonl");
        await File.WriteAllLinesAsync(input, ["{not json", """{"id": "ok", "question": "딥시크 설립"}"""]);
        var (code, output, err) = await Run("ask", "--batch", input);
        Assert.Equal(2, code);
        Assert.Contains("bad.jsonl:1", err, StringComparison.Ordinal);
        Assert.Equal(2, output.Trim().Split('\n').Length);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ask")]
    [InlineData("ask", "")]
    [InlineData("ask", "?!?")]
    [InlineData("ask", "--top", "zero", "딥시크")]
    [InlineData("ask", "--batch", "/nonexistent/file.jsonl")]
    [InlineData("nonsense")]
    [InlineData("index", "extra")]
    [InlineData("ask", "--bogus", "딥시크")]
    public async Task BadUsage_ExitTwoOneLineNoStackTrace(params string[] args)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
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
        var code = await BotCli.RunAsync(["ask", "--set", "Corpus:SeedsPath=/nonexistent/seeds", "--set", $"Index:Path={_tmp.Sub("i2")}", "딥시크"], stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("Corpus:SeedsPath", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NothingConfigured_SaysWhatToSet()
    {
        var (code, _, err) = await Run("run");
        Assert.Equal(2, code);
        Assert.Contains("Discord:Token", err, StringComparison.Ordinal);
        Assert.Contains("Slack:BotToken", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscordInvite_WithApplicationId_PrintsUrlWithScopesAndPermissions()
    {
        var (code, output, _) = await Run("discord", "invite", "--set", "Discord:ApplicationId=123456789012345678");
        Assert.Equal(0, code);
        Assert.Contains("client_id=123456789012345678", output, StringComparison.Ordinal);
        Assert.Contains("scope=bot%20applications.commands", output, StringComparison.Ordinal);
        Assert.Contains("permissions=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscordInvite_NothingSet_OneLineError()
    {
        var (code, _, err) = await Run("discord", "invite");
        Assert.Equal(2, code);
        Assert.Contains("Discord:ApplicationId", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlackManifest_PrintsJsonWithScopesCommandsAndShortcut()
    {
        var (code, output, _) = await Run("slack", "manifest");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var text = doc.RootElement.ToString();
        foreach (var expected in new[] { "app_mentions:read", "im:history", "chat:write", "commands", "/ask", "/search", "/source", "/help", "find_sources", "socket_mode_enabled" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_BadSlackConfig_OneLineErrorNamingTheSetting()
    {
        var (code, _, err) = await Run("run", "--set", "Slack:BotToken=not-a-bot-token", "--set", "Slack:AppToken=xapp-test");
        Assert.Equal(2, code);
        Assert.Contains("Slack:BotToken", err, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-bot-token", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public async Task NoArgs_PrintsUsage()
    {
        var stdout = new StringWriter();
        var code = await BotCli.RunAsync([], stdout, new StringWriter());
        Assert.Equal(2, code);
        Assert.Contains("bot ask", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealProcess_AskTwice_SecondReusesIndex()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "bot.dll");
        Assert.True(File.Exists(dll), dll);

        Task<(int, string, string)> Exec(params string[] args) => ExecBot(_tmp.Path, args);

        var (code, output, err) = await Exec(["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.True(code == 0, err);
        Assert.Contains("2023년", output, StringComparison.Ordinal);
        var stamp = Directory.GetFiles(Path.Combine(_tmp.Sub("index"), "lucene")).Max(File.GetLastWriteTimeUtc);
        (code, _, _) = await Exec(["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.Equal(0, code);
        Assert.Equal(stamp, Directory.GetFiles(Path.Combine(_tmp.Sub("index"), "lucene")).Max(File.GetLastWriteTimeUtc));

        (code, _, err) = await Exec(["ask", .. Paths, ""]);
        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExampleSettings_BindCleanly()
    {
        // appsettings.example.json copied as appsettings.json: every value binds and validates, and with no tokens
        // `run` says what to set.
        var work = _tmp.Sub("work");
        Directory.CreateDirectory(work);
        File.Copy(Path.Combine(RepoPaths.Root, "appsettings.example.json"), Path.Combine(work, "appsettings.json"));

        Task<(int, string, string)> Exec(params string[] args) => ExecBot(work, args);

        var (code, output, err) = await Exec(["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.True(code == 0, err);
        Assert.Contains("2023년", output, StringComparison.Ordinal);
        (code, _, err) = await Exec(["run", .. Paths]);
        Assert.Equal(2, code);
        Assert.Contains("no chat platform is configured", err, StringComparison.Ordinal);
        (code, output, err) = await Exec(["digest", "preview", .. Paths, "--set", $"Storage:Path={_tmp.Sub("db/bot.db")}"]);
        Assert.True(code is 0 or 2, err);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskBatch_OutIsTheInput_ExitTwoFileUntouched()
    {
        var input = _tmp.Sub("same.jsonl");
        await File.WriteAllLinesAsync(input, ["""{"id": "a", "question": "딥시크 설립"}""", """{"id": "b", "question": "딥시크 비용"}"""]);
        var before = await File.ReadAllBytesAsync(input);
        Directory.CreateDirectory(_tmp.Sub("sub"));

        var (code, output, err) = await Run("ask", "--batch", input, "--out", Path.Combine(_tmp.Sub("sub"), "..", "same.jsonl"));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--out", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(before, await File.ReadAllBytesAsync(input));
        Assert.False(Directory.Exists(_tmp.Sub("index")), "nothing opened before refusing");
    }

    [Fact]
    public async Task Ask_TruncatedTermsFile_RebuildsAndAnswersNoStackTrace()
    {
        Assert.Equal(0, (await Run("index")).Code);
        var tim = Directory.GetFiles(Path.Combine(_tmp.Sub("index"), "lucene"), "*.tim").OrderByDescending(f => new FileInfo(f).Length).First();
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
    public async Task Index_TruncatedSegmentsFile_ForceRebuilds()
    {
        Assert.Equal(0, (await Run("index")).Code);
        var segments = Directory.GetFiles(Path.Combine(_tmp.Sub("index"), "lucene"), "segments_*").Single();
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
        var seeds = _tmp.Sub("seeds");
        Directory.CreateDirectory(seeds);
        File.Copy(Directory.GetFiles(RepoPaths.Seeds, "*.txt").Order().First(), Path.Combine(seeds, "001_good.txt"));
        await File.WriteAllBytesAsync(Path.Combine(seeds, "002_euckr.txt"), [0xB5, 0xF6, 0xBD, 0xC3, 0xC5, 0xA9]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BotCli.RunAsync(["index", "--set", $"Corpus:SeedsPath={seeds}", "--set", $"Index:Path={_tmp.Sub("index")}"], stdout, stderr);
        Assert.Equal(0, code);
        Assert.Contains("from 1 articles", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning: seed file skipped: 002_euckr.txt: not UTF-8", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_FolderNotWritable_OneLineNotBusy()
    {
        Directory.CreateDirectory(Path.Combine(_tmp.Sub("index"), "lucene", "build.lock")); // root ignores chmod; a folder in the lock file's place fails the same way
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
        using (Bot.Core.Search.IndexStore.AcquireBuildLock(Path.Combine(_tmp.Sub("index"), "lucene")))
        {
            (code, _, err) = await ExecBot(_tmp.Path, ["index", .. Paths, "--force"]);
        }

        Assert.Equal(1, code);
        Assert.Equal("error: another process is building the index in " + Path.Combine(_tmp.Sub("index"), "lucene") + "; try again when it has finished", err.Trim());
    }

    [Fact]
    public async Task RealProcess_TwoIndexForceTogether_NoCrashThenAskAnswers()
    {
        var first = ExecBot(_tmp.Path, ["index", .. Paths, "--force"]);
        var second = ExecBot(_tmp.Path, ["index", .. Paths, "--force"]);
        var results = await Task.WhenAll(first, second);
        Assert.Contains(results, r => r.Code == 0);
        foreach (var (code, _, err) in results)
        {
            Assert.True(code == 0 || (code == 1 && err.Trim().Split('\n').Length == 1 && err.Contains("another process is building", StringComparison.Ordinal)), err);
        }

        var (askCode, output, askErr) = await ExecBot(_tmp.Path, ["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.True(askCode == 0, askErr);
        Assert.Contains("2023년", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnlyPlatformTokenRejected_ExitsOneWithOneLineInsteadOfIdling()
    {
        // A Web API that says invalid_auth to everything: Slack is the only platform and cannot recover.
        using var api = new StubApi(200, """{"ok":false,"error":"invalid_auth"}""");
        var port = api.Port;
        var run = Run("run", "--set", "Slack:BotToken=xoxb-test", "--set", "Slack:AppToken=xapp-test", "--set", $"Slack:ApiBaseUrl=http://127.0.0.1:{port}/api/",
            "--set", $"Storage:Path={_tmp.Sub("db/bot.db")}", "--set", "Host:ShutdownTimeout=00:00:01");
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(run, finished);
        var (code, _, err) = await run;
        Assert.Equal(1, code);
        Assert.Contains("error: every configured chat platform stopped for good", err, StringComparison.Ordinal);
        Assert.Contains("invalid_auth", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnlyPlatformDiscordTokenRejected_ExitsOneInsteadOfIdling()
    {
        // A Discord REST API that answers 401 to everything: GET /gateway/bot fails like close 4004 (authentication failed).
        using var api = new StubApi(401, """{"message":"401: Unauthorized","code":0}""");
        var port = api.Port;

        var run = Run("run", "--set", "Discord:Token=not-a-real-token", "--set", $"Discord:ApiBaseUrl=http://127.0.0.1:{port}/api/v10",
            "--set", $"Storage:Path={_tmp.Sub("db/bot.db")}", "--set", "Host:ShutdownTimeout=00:00:01");
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(run, finished);
        var (code, _, err) = await run;
        Assert.Equal(1, code);
        Assert.Contains("error: every configured chat platform stopped for good", err, StringComparison.Ordinal);
        Assert.Contains("4004", err, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-token", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnopenableDatabase_OneLineBeforeTheIndexIsBuilt()
    {
        var db = _tmp.Sub("db.sqlite");
        await File.WriteAllTextAsync(db, new string('x', 5000));
        var (code, _, err) = await Run("run", "--set", "Slack:BotToken=xoxb-test", "--set", "Slack:AppToken=xapp-test", "--set", $"Storage:Path={db}");
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_tmp.Sub("index"), "lucene")), "storage is checked before the index is built");
    }

    /// <summary>Runs the built bot.dll as a real process in <paramref name="workingDirectory"/>.</summary>
    private static async Task<(int Code, string Out, string Err)> ExecBot(string workingDirectory, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bot.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o, await e);
    }

    public void Dispose() => _tmp.Dispose();
}

/// <summary>An HTTP API on a free loopback port that answers every request with one status and JSON body.</summary>
internal sealed class StubApi : IDisposable
{
    private readonly System.Net.HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public StubApi(int status, string json)
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        Port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/api/");
        _listener.Start();
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                System.Net.HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });
    }

    public int Port { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
