using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bot.Core.Storage;
using Bot.Host.Cli;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Bot.Dashboard.Tests;

/// <summary>
/// Page latency with 100,000 query-log rows (90 days, ~8,000 distinct questions, 20% declined, 5,000 votes). Not part of
/// the normal run: <c>BOT_DASHBOARD_BENCH=1 dotnet test tests/Bot.Dashboard.Tests --filter DashboardBenchmark</c>;
/// the figures go to the test output and TestResults/dashboard-bench.txt.
/// </summary>
public sealed class DashboardBenchmark
{
    private readonly ITestOutputHelper _output;

    public DashboardBenchmark(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public async Task Pages_100kQueryLogRows_Latency()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("BOT_DASHBOARD_BENCH") == "1", "benchmark: set BOT_DASHBOARD_BENCH=1 to run");
        using var dir = RepoPaths.NewTempDir("bot-dashboard-bench");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = RepoPaths.Seeds,
            ["Index:Path"] = Path.Combine(dir.Path, "index"),
            ["Storage:Path"] = Path.Combine(dir.Path, "bot.db"),
            ["Dashboard:ListenUrl"] = "http://127.0.0.1:0",
        }).Build();
        await using var sp = DashboardCommand.BuildStandalone(config, LogLevel.Warning);
        var db = sp.GetRequiredService<BotDatabase>();
        db.Initialize();
        Fill(db, 100_000);
        var server = await DashboardCommand.StartAsync(sp, CancellationToken.None);
        try
        {
            using var http = new HttpClient { BaseAddress = server.Address };
            var report = new StringBuilder("page latency, 100,000 query-log rows (20 requests each after 3 warm-ups; ms)\n");
            foreach (var path in new[] { "/", "/questions", "/questions?unanswered=1", "/questions?down=1", "/questions?days=7&platform=slack",
                         "/questions?q=" + Uri.EscapeDataString("비용"), "/questions?page=50", "/questions/99999", "/metrics", "/readyz", "/articles", "/digests" })
            {
                for (var i = 0; i < 3; i++)
                {
                    (await http.GetAsync(path)).EnsureSuccessStatusCode();
                }

                var times = new List<double>();
                for (var i = 0; i < 20; i++)
                {
                    var sw = Stopwatch.StartNew();
                    var response = await http.GetAsync(path);
                    await response.Content.ReadAsByteArrayAsync();
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    response.EnsureSuccessStatusCode();
                }

                times.Sort();
                report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{path,-40} median {times[10],7:F1}  p95 {times[18],7:F1}  max {times[19],7:F1}"));
            }

            _output.WriteLine(report.ToString());
            var outDir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults");
            Directory.CreateDirectory(outDir);
            await File.WriteAllTextAsync(Path.Combine(outDir, "dashboard-bench.txt"), report.ToString());
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
            await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Bulk rows in one transaction (the stores write one row per call, too slow for 100k here).</summary>
    private static void Fill(BotDatabase db, int rows)
    {
        var random = new Random(16);
        var now = DateTimeOffset.UtcNow;
        db.Write(connection =>
        {
            var c = (Microsoft.Data.Sqlite.SqliteConnection)connection; // the benchmark fills a SQLite file
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO query_log (at_utc, platform, channel, kind, question, normalized, outcome, status, reason, top_doc, top_passage, latency_ms, answer_id)
                VALUES ($at, $p, 'C1', 'ask', $q, $n, $o, $s, $r, $d, 1, $l, $a);
                """;
            var at = cmd.Parameters.Add("$at", Microsoft.Data.Sqlite.SqliteType.Text);
            var p = cmd.Parameters.Add("$p", Microsoft.Data.Sqlite.SqliteType.Text);
            var q = cmd.Parameters.Add("$q", Microsoft.Data.Sqlite.SqliteType.Text);
            var n = cmd.Parameters.Add("$n", Microsoft.Data.Sqlite.SqliteType.Text);
            var o = cmd.Parameters.Add("$o", Microsoft.Data.Sqlite.SqliteType.Text);
            var s = cmd.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Text);
            var r = cmd.Parameters.Add("$r", Microsoft.Data.Sqlite.SqliteType.Text);
            var d = cmd.Parameters.Add("$d", Microsoft.Data.Sqlite.SqliteType.Text);
            var l = cmd.Parameters.Add("$l", Microsoft.Data.Sqlite.SqliteType.Real);
            var a = cmd.Parameters.Add("$a", Microsoft.Data.Sqlite.SqliteType.Text);
            using var vote = c.CreateCommand();
            vote.CommandText = "INSERT OR IGNORE INTO feedback (answer_id, user_hash, platform, vote, at_utc) VALUES ($a, $u, 'slack', $v, $t);";
            var va = vote.Parameters.Add("$a", Microsoft.Data.Sqlite.SqliteType.Text);
            var vu = vote.Parameters.Add("$u", Microsoft.Data.Sqlite.SqliteType.Text);
            var vv = vote.Parameters.Add("$v", Microsoft.Data.Sqlite.SqliteType.Integer);
            var vt = vote.Parameters.Add("$t", Microsoft.Data.Sqlite.SqliteType.Text);
            for (var i = 0; i < rows; i++)
            {
                var when = now.AddSeconds(-random.Next(0, 90 * 86400)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                var topic = (int)Math.Floor(Math.Pow(random.NextDouble(), 2) * 8000);
                var declined = topic % 5 == 0;
                var question = $"딥시크 질문 {topic} 비용은 얼마야?";
                var id = AnswerRecord.NewId();
                at.Value = when;
                p.Value = i % 2 == 0 ? "discord" : "slack";
                q.Value = question;
                n.Value = QueryLogStore.Normalize(question);
                o.Value = declined ? "declined" : "answered";
                s.Value = declined ? "NotFound" : "Answered";
                r.Value = declined ? "the articles never mention it" : DBNull.Value;
                d.Value = declined ? DBNull.Value : "002_15df3019d8376f01";
                l.Value = 5 + (random.NextDouble() * 80);
                a.Value = id;
                cmd.ExecuteNonQuery();
                if (i % 20 == 0)
                {
                    va.Value = id;
                    vu.Value = "u" + i.ToString(CultureInfo.InvariantCulture);
                    vv.Value = i % 40 == 0 ? -1 : 1;
                    vt.Value = when;
                    vote.ExecuteNonQuery();
                }
            }

            return 0;
        });
        db.Run(c =>
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "ANALYZE;";
            return cmd.ExecuteNonQuery();
        });
    }
}
