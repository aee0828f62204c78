using System.Diagnostics;
using System.Globalization;
using System.Text;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Xunit.Abstractions;

namespace Bot.Discord.Tests;

/// <summary>
/// Benchmark, not a timed assertion: 200 slash commands and 200 mentions pushed through the fake gateway at a steady
/// 200 events/s (one every 5 ms, 2 s in all), on the real clock, with the real Core handler. Asserts every interaction is deferred and answered exactly
/// once and every mention answered exactly once; writes p50/p99 time-to-defer and time-to-answer to the test output and
/// to load-results.txt in a temp folder (path printed). It runs in the normal suite (a few seconds);
/// run it alone with: dotnet test tests/Bot.Discord.Tests --filter "Category=Load" --logger "console;verbosity=detailed"
/// </summary>
public sealed class DiscordLoadTests(ITestOutputHelper output)
{
    private const int Interactions = 200;
    private const int Mentions = 200;
    private const double EventsPerSecond = 200;

    private static readonly string[] Questions =
    [
        "딥시크는 어느 나라 기업이야?", "딥시크 모델은 오픈소스야?", "엔비디아 주가는 어떻게 됐어?", "딥시크의 훈련 비용은?",
        "미국의 반도체 수출 규제", "딥시크 R1 모델의 특징", "What is DeepSeek?", "오픈AI와 딥시크의 차이", "지식 증류란?", "딥시크 창업자",
    ];

    [Fact]
    [Trait("Category", "Load")]
    public async Task TwoHundredInteractionsAndTwoHundredMentions_AllDeferredAndAnsweredExactlyOnce()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:ShutdownTimeout"] = "00:00:30", realClock: true);
        await host.StartAsync();
        await host.WaitReadyAsync();

        // Warm the index so the first answers don't pay for opening it.
        await host.Questions.AskAsync("딥시크", new Bot.Core.Chat.QueryContext("discord", ""), 3, CancellationToken.None);

        var sentInteraction = new Dictionary<string, long>();
        var tokenToId = new Dictionary<string, string>();
        var sentMention = new Dictionary<string, long>();
        var gc0 = (Pause: GC.GetTotalPauseDuration(), G0: GC.CollectionCount(0), G1: GC.CollectionCount(1), G2: GC.CollectionCount(2));
        var batch = Stopwatch.StartNew();
        for (var i = 0; i < Interactions + Mentions; i++)
        {
            var wait = TimeSpan.FromSeconds(i / EventsPerSecond) - batch.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var q = Questions[i % Questions.Length];
            if (i % 2 == 0)
            {
                var interaction = Events.Command("ask", [Events.Option("question", q)]);
                var id = (string)interaction["id"]!;
                tokenToId[(string)interaction["token"]!] = id;
                sentInteraction[id] = Stopwatch.GetTimestamp();
                await host.Fake.DispatchAsync("INTERACTION_CREATE", interaction);
            }
            else
            {
                var message = Events.Guild($"<@{FakeDiscordServer.BotUserId}> {q}");
                sentMention[(string)message["id"]!] = Stopwatch.GetTimestamp();
                await host.Fake.DispatchAsync("MESSAGE_CREATE", message);
            }
        }

        var pushSeconds = batch.Elapsed.TotalSeconds;

        await FakeDiscordServer.WaitUntilAsync(
            () => host.Fake.Requests.Count(r => r.Method == "PATCH") >= Interactions && host.Fake.CreatedMessages.Count >= Mentions,
            "all answers",
            timeoutMs: 60_000);
        await Task.Delay(300);
        var wall = batch.Elapsed;

        var callbacks = host.Fake.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/interactions/", StringComparison.Ordinal)).ToList();
        var patches = host.Fake.Requests.Where(r => r.Method == "PATCH").ToList();
        var replies = host.Fake.CreatedMessages.ToList();
        var replyRequests = host.Fake.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)).ToList();

        // Exactly once each.
        Assert.Equal(Interactions, callbacks.Count);
        Assert.Equal(sentInteraction.Keys.Order(), callbacks.Select(c => c.Path.Split('/')[2]).Order());
        Assert.All(callbacks, c => Assert.Equal(5, c.Json!["type"]!.GetValue<int>()));
        Assert.Equal(Interactions, patches.Count);
        Assert.Equal(sentInteraction.Keys.Order(), patches.Select(p => tokenToId[p.Path.Split('/')[3]]).Order());
        Assert.Equal(Mentions, replies.Count);
        Assert.Equal(sentMention.Keys.Order(), replies.Select(r => r.Body["message_reference"]!["message_id"]!.GetValue<string>()).Order());

        var toDefer = callbacks.Select(c => Ms(sentInteraction[c.Path.Split('/')[2]], c.RealTimestamp)).ToList();
        var toAnswer = patches.Select(p => Ms(sentInteraction[tokenToId[p.Path.Split('/')[3]]], p.RealTimestamp)).ToList();
        var mentionAnswer = replyRequests.Select(r => Ms(sentMention[r.Json!["message_reference"]!["message_id"]!.GetValue<string>()], r.RealTimestamp)).ToList();
        var typing = host.Fake.Requests.Where(r => r.Path.EndsWith("/typing", StringComparison.Ordinal)).ToList();
        // Typing indicators carry no message id: the n-th indicator is matched to the n-th mention sent.
        var mentionSent = sentMention.Values.Order().ToList();
        var mentionTyping = typing.Select(t => t.RealTimestamp).Order().Zip(mentionSent, (at, sent) => Ms(sent, at)).ToList();

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Discord load test: {Interactions} /ask interactions + {Mentions} mentions pushed at {EventsPerSecond} events/s in {pushSeconds * 1000:F0} ms; all answered after {wall.TotalMilliseconds:F0} ms ({Environment.ProcessorCount} cores)")
            .AppendLine(CultureInfo.InvariantCulture, $"interaction time-to-defer  p50 {P(toDefer, 50):F1} ms  p99 {P(toDefer, 99):F1} ms  max {toDefer.Max():F1} ms  (within 3 s: {toDefer.Count(t => t < 3000)}/{toDefer.Count})")
            .AppendLine(CultureInfo.InvariantCulture, $"interaction time-to-answer p50 {P(toAnswer, 50):F1} ms  p99 {P(toAnswer, 99):F1} ms  max {toAnswer.Max():F1} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"test process (bot + fake server + load) during the run: GC pauses {(GC.GetTotalPauseDuration() - gc0.Pause).TotalMilliseconds:F0} ms in {GC.CollectionCount(0) - gc0.G0}/{GC.CollectionCount(1) - gc0.G1}/{GC.CollectionCount(2) - gc0.G2} gen0/1/2 collections; thread-pool threads {ThreadPool.ThreadCount}")
            .AppendLine(CultureInfo.InvariantCulture, $"mention     time-to-typing p50 {P(mentionTyping, 50):F1} ms  p99 {P(mentionTyping, 99):F1} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"mention     time-to-answer p50 {P(mentionAnswer, 50):F1} ms  p99 {P(mentionAnswer, 99):F1} ms  max {mentionAnswer.Max():F1} ms  (typing indicators: {typing.Count})")
            .ToString();
        output.WriteLine(report);

        var dir = Path.Combine(Path.GetTempPath(), "bot-discord-load");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "load-results.txt");
        await File.WriteAllTextAsync(file, report);
        output.WriteLine("written to " + file);
        _ = RepoPaths.Root;

        // A benchmark, not a timed assertion: the figures are reported above (the acceptance target is every defer < 3 s).
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
