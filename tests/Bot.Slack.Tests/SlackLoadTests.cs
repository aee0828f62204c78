using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

using Bot.TestSupport;

namespace Bot.Slack.Tests;

/// <summary>
/// Benchmark (not a timed assertion): 200 app_mention events and 200 slash commands arrive at a steady 200 envelopes/s
/// (one every 5 ms, 2 s in all) over two Socket Mode connections; every envelope must be acked and answered exactly once. Time-to-ack and time-to-answer
/// p50/p99 (real clock, adapter on TimeProvider.System, real Core handler) go to the test output and to
/// $TMPDIR/bot-slack-load.txt. Run alone: dotnet test tests/Bot.Slack.Tests --filter Category=Load
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SlackLoadTests(ITestOutputHelper output)
{
    private const double EnvelopesPerSecond = 200;

    private static readonly string[] Questions =
    [
        "딥시크 모델은 오픈소스로 공개되었나요?", "딥시크는 어느 나라 기업인가요?", "딥시크의 비용 효율성은 어떤가요?",
        "미국과 중국의 AI 격차는 얼마나 줄었나요?", "지식 증류 기술이 무엇인가요?", "What is DeepSeek-R1?",
        "딥시크가 AI 시장에 미친 영향은?", "엔비디아 주가는 어떻게 되었나요?", "데이터 무단 수집 의혹이 있나요?", "딥시크 V3 성능",
    ];

    [Fact]
    [Trait("Category", "Load")]
    public async Task FourHundredEnvelopesAtTwoHundredPerSecond_AllAckedAndAnsweredExactlyOnce()
    {
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Slack:NumberOfConnections"] = "2";
            c["Slack:ConnectionStagger"] = "00:00:00.050";
        }, systemClock: true);
        var first = await host.Fake.WaitForSocketAsync(1);
        var second = await host.Fake.WaitForSocketAsync(2);
        var sockets = new[] { first, second };
        var sentAt = new ConcurrentDictionary<string, long>();
        var gc0 = (Pause: GC.GetTotalPauseDuration(), G0: GC.CollectionCount(0), G1: GC.CollectionCount(1), G2: GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();

        const int events = 200;
        const int commands = 200;
        var total = events + commands;
        var sends = new List<Task>();
        for (var lane = 0; lane < 2; lane++)
        {
            var socket = sockets[lane];
            var laneIndex = lane;
            sends.Add(Task.Run(async () =>
            {
                for (var i = laneIndex; i < total; i += 2)
                {
                    var due = TimeSpan.FromSeconds(i / EnvelopesPerSecond);
                    var wait = due - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }

                    var question = Questions[i % Questions.Length];
                    var n = i.ToString("D4", CultureInfo.InvariantCulture);
                    sentAt[n] = clock.ElapsedTicks;
                    if (i % 4 < 2)
                    {
                        await socket.SendAsync(FakeSlack.EventEnvelope(n, "Ev-load-" + n,
                            FakeSlack.Mention("<@U_BOT> " + question, ts: "1754001000." + n.PadLeft(6, '0'), channel: "C_LOAD")));
                    }
                    else
                    {
                        await socket.SendAsync(FakeSlack.SlashEnvelope(n, FakeSlack.SlashPayload("/ask", question, host.Fake.ResponseUrl("load-" + n).ToString())));
                    }
                }
            }));
        }

        await Task.WhenAll(sends);
        var sendWindow = clock.Elapsed;
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count >= total && host.Fake.Posts.Count + host.Fake.ResponsePosts.Count >= total,
            "all acked and answered", TimeSpan.FromSeconds(60));
        await Task.Delay(300); // catch duplicates that would arrive late

        var eventIds = sentAt.Keys.Where(k => !host.Fake.ResponsePosts.Any(p => p.Id == "load-" + k)).ToHashSet();
        Assert.Equal(total, host.Fake.Acks.Count);
        Assert.Equal(total, host.Fake.Acks.Select(a => a.EnvelopeId).Distinct().Count());
        var postedThreads = host.Fake.CallsTo("chat.postMessage").Select(c => c.Json!["thread_ts"]!.GetValue<string>()).ToList();
        Assert.Equal(postedThreads.Count, postedThreads.Distinct().Count());
        Assert.Equal(host.Fake.ResponsePosts.Count, host.Fake.ResponsePosts.Select(p => p.Id).Distinct().Count());
        Assert.Equal(total, postedThreads.Count + host.Fake.ResponsePosts.Count);
        Assert.Equal(events, postedThreads.Count);
        Assert.Equal(commands, host.Fake.ResponsePosts.Count);

        // time-to-ack and time-to-answer, real clock
        var origin = DateTimeOffset.UtcNow - clock.Elapsed;
        double Ms(string id, DateTimeOffset at) => (at - origin).TotalMilliseconds - (sentAt[id] * 1000.0 / Stopwatch.Frequency);
        var ackMs = host.Fake.Acks.Select(a => Ms(a.EnvelopeId, a.At)).ToList();
        var answerMs = host.Fake.CallsTo("chat.postMessage").Select(c => Ms(c.Json!["thread_ts"]!.GetValue<string>()[13..], c.At))
            .Concat(host.Fake.ResponsePosts.Select(p => Ms(p.Id["load-".Length..], p.At))).ToList();
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Slack load: {events} events + {commands} slash commands sent at {EnvelopesPerSecond} envelopes/s in {sendWindow.TotalMilliseconds:F0} ms over 2 sockets (real Core handler, MaxConcurrentQuestions {host.Services.GetRequiredService<Bot.Core.Commands.QuestionExecutor>().Workers})")
            .AppendLine(CultureInfo.InvariantCulture, $"test process (bot + fake server + load) during the run: GC pauses {(GC.GetTotalPauseDuration() - gc0.Pause).TotalMilliseconds:F0} ms in {GC.CollectionCount(0) - gc0.G0}/{GC.CollectionCount(1) - gc0.G1}/{GC.CollectionCount(2) - gc0.G2} gen0/1/2 collections; thread-pool threads {ThreadPool.ThreadCount}")
            .AppendLine(CultureInfo.InvariantCulture, $"time-to-ack    p50 {Percentile(ackMs, 50):F1} ms  p99 {Percentile(ackMs, 99):F1} ms  max {ackMs.Max():F1} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"time-to-answer p50 {Percentile(answerMs, 50):F1} ms  p99 {Percentile(answerMs, 99):F1} ms  max {answerMs.Max():F1} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"Core handler per question p50 {Percentile(host.Handler.InnerMilliseconds.ToList(), 50):F1} ms  p99 {Percentile(host.Handler.InnerMilliseconds.ToList(), 99):F1} ms ({Environment.ProcessorCount} cores)")
            .AppendLine(CultureInfo.InvariantCulture, $"acked within 3 s: {ackMs.Count(m => m < 3000)}/{total}; answered exactly once: {answerMs.Count}/{total}")
            .ToString();
        output.WriteLine(report);
        var slowest = host.Fake.Acks.Select(a => (Id: a.EnvelopeId, Ms: Ms(a.EnvelopeId, a.At))).OrderByDescending(x => x.Ms).Take(5).ToList();
        output.WriteLine("slowest acks (envelope id = send order; even ids on socket 1, odd on socket 2): " + string.Join(", ", slowest.Select(x => $"{x.Id}:{x.Ms:F0} ms")));
        var health = host.Health;
        Assert.Equal(total, health.Envelopes);
        Assert.Equal(0, health.Duplicates);
        Assert.Equal(0, health.InFlight);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "bot-slack-load.txt"), report);
    }

    private static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}

/// <summary>The load benchmark runs alone (no other test class in parallel), so it neither disturbs nor is disturbed by
/// the timing-sensitive tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load (not parallel)";
}
