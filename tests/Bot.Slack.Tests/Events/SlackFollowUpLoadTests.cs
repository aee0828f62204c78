using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Conversations;
using Bot.Slack.Events;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bot.Slack.Tests.Events;

/// <summary>
/// Benchmark (not a timed assertion) of follow-ups under channel traffic, with the real SQLite context store: 100
/// mentions open 100 threads, then 300 plain channel messages arrive at 200 envelopes/s over two sockets: 100 follow-ups
/// in those threads, 100 replies in threads the bot never answered, 100 top-level messages. Every envelope must be acked,
/// every follow-up answered exactly once in its thread, nothing else answered. Time-to-ack per kind and the follow-ups'
/// time-to-answer (p50/p99, real clock) go to the output and $TMPDIR/bot-slack-followup-load.txt.
/// Run alone: dotnet test tests/Bot.Slack.Tests --filter Category=Load
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SlackFollowUpLoadTests(ITestOutputHelper output) : IDisposable
{
    private const double EnvelopesPerSecond = 200;
    private const int Threads = 100;

    private static readonly string[] Firsts = ["딥시크 V3 훈련 비용은 얼마야?", "딥시크는 어느 나라 기업인가요?", "엔비디아 주가는 어떻게 되었나요?", "지식 증류 기술이 무엇인가요?"];
    private static readonly string[] FollowUps = ["그럼 R1은?", "몇 개?", "그럼 언제?", "그건 누가 만들었어?"];

    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-followup-load");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private static JsonObject Plain(string text, string ts, string? threadTs) => new()
    {
        ["type"] = "message", ["channel"] = "C_LOAD", ["user"] = "U8", ["text"] = text, ["ts"] = ts, ["event_ts"] = ts, ["channel_type"] = "channel",
        ["thread_ts"] = threadTs,
    };

    private static string ThreadTs(int n) => "1754002000." + n.ToString("D6", CultureInfo.InvariantCulture);

    [Fact]
    [Trait("Category", "Load")]
    public async Task ThreeHundredChannelMessagesAtTwoHundredPerSecond_FollowUpsAnsweredOnce_RestIgnored()
    {
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Slack:NumberOfConnections"] = "2";
            c["Slack:ConnectionStagger"] = "00:00:00.050";
            c["Storage:Path"] = Path.Combine(_tmp.Path, "bot.db");
        }, systemClock: true, addServices: (s, config) =>
        {
            s.AddBotStorage(config);
            s.AddOptions<ConversationOptions>().Bind(config.GetSection(ConversationOptions.Section));
        });
        var sockets = new[] { await host.Fake.WaitForSocketAsync(1), await host.Fake.WaitForSocketAsync(2) };

        // phase 1: the bot answers a mention in each of 100 threads
        for (var t = 0; t < Threads; t++)
        {
            await sockets[t % 2].SendAsync(FakeSlack.EventEnvelope("open-" + t, "Ev-open-" + t, FakeSlack.Mention("<@U_BOT> " + Firsts[t % Firsts.Length], ts: ThreadTs(t), channel: "C_LOAD")));
        }

        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == Threads && host.Health.InFlight == 0, "the threads opened", TimeSpan.FromSeconds(60));

        // phase 2: follow-ups, replies in unrelated threads and top-level chatter, interleaved, at a steady rate
        const int total = 3 * Threads;
        var sentAt = new ConcurrentDictionary<string, long>();
        var clock = Stopwatch.StartNew();
        var sends = Enumerable.Range(0, 2).Select(lane => Task.Run(async () =>
        {
            for (var i = lane; i < total; i += 2)
            {
                var wait = TimeSpan.FromSeconds(i / EnvelopesPerSecond) - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var t = i / 3;
                var ts = "1754003000." + i.ToString("D6", CultureInfo.InvariantCulture);
                var (kind, ev) = (i % 3) switch
                {
                    0 => ("fu", Plain(FollowUps[t % FollowUps.Length], ts, ThreadTs(t))),
                    1 => ("other", Plain(FollowUps[t % FollowUps.Length], ts, "1754009000." + i.ToString("D6", CultureInfo.InvariantCulture))),
                    _ => ("top", Plain("딥시크 얘기 들었어?", ts, null)),
                };
                if (kind == "top")
                {
                    ev.Remove("thread_ts");
                }

                var id = $"{kind}-{i:D4}";
                sentAt[id] = clock.ElapsedTicks;
                await sockets[lane].SendAsync(FakeSlack.EventEnvelope(id, "Ev-" + id, ev));
            }
        })).ToList();
        await Task.WhenAll(sends);
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count >= Threads + total && host.Fake.Posts.Count >= 2 * Threads,
            "all acked and the follow-ups answered", TimeSpan.FromSeconds(60));
        await host.Fake.WaitUntilAsync(() => host.Health.InFlight == 0, "nothing in flight", TimeSpan.FromSeconds(30));
        await Task.Delay(300);

        Assert.Equal(Threads + total, host.Fake.Acks.Count);
        Assert.Equal(2 * Threads, host.Fake.Posts.Count);
        var perThread = host.Fake.Posts.GroupBy(p => p["thread_ts"]!.GetValue<string>()).ToList();
        Assert.Equal(Threads, perThread.Count);
        Assert.All(perThread, g => Assert.Equal(2, g.Count()));
        Assert.Equal(0, host.Services.GetRequiredService<SlackEventDispatcher>().Duplicates);

        var origin = DateTimeOffset.UtcNow - clock.Elapsed;
        double Ms(string id, DateTimeOffset at) => (at - origin).TotalMilliseconds - (sentAt[id] * 1000.0 / Stopwatch.Frequency);
        var acks = host.Fake.Acks.Where(a => sentAt.ContainsKey(a.EnvelopeId)).Select(a => (Kind: a.EnvelopeId[..a.EnvelopeId.IndexOf('-', StringComparison.Ordinal)], Ms: Ms(a.EnvelopeId, a.At))).ToList();
        var followUpPosts = host.Fake.CallsTo("chat.postMessage").Skip(Threads).ToList();
        var answerMs = followUpPosts.Select(c =>
        {
            var t = int.Parse(c.Json!["thread_ts"]!.GetValue<string>()[11..], CultureInfo.InvariantCulture);
            return Ms($"fu-{3 * t:D4}", c.At);
        }).ToList();
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Slack follow-up load: {Threads} live threads, then {total} channel messages at {EnvelopesPerSecond}/s over 2 sockets (real Core, SQLite context store, {Environment.ProcessorCount} cores)");
        foreach (var kind in new[] { "fu", "other", "top" })
        {
            var ms = acks.Where(a => a.Kind == kind).Select(a => a.Ms).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"time-to-ack {kind,-5} p50 {Percentile(ms, 50):F1} ms  p99 {Percentile(ms, 99):F1} ms  max {ms.Max():F1} ms  (n={ms.Count})");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"follow-up time-to-answer p50 {Percentile(answerMs, 50):F1} ms  p99 {Percentile(answerMs, 99):F1} ms  max {answerMs.Max():F1} ms; answered {answerMs.Count}/{Threads}, other messages answered 0");
        output.WriteLine(report.ToString());
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "bot-slack-followup-load.txt"), report.ToString());
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
