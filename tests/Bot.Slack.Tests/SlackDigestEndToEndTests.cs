using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Digests;
using Bot.Core.Storage;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests;

/// <summary>
/// Issue 5 acceptance "posting end to end through the fake Slack": the real DigestScheduler / DigestRunner, composer and
/// SQLite stores (AddBotStorage + AddDigests, as the Host wires them) posting through the real SlackPlatform (AddSlack) to
/// the fake Slack's chat.postMessage on 127.0.0.1, with a FakeTimeProvider.
/// </summary>
public sealed class SlackDigestEndToEndTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Tick = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero); // 09:00 Asia/Seoul
    private static readonly ChannelRef Target = new("slack", "C1");

    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-digest");
    private readonly FakeTimeProvider _time = new(Tick - TimeSpan.FromHours(1));
    private FakeSlack _fake = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSlack.StartAsync(_time);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = RepoPaths.Seeds,
            ["Index:Path"] = _tmp.Sub("index"),
            ["Storage:Path"] = Path.Combine(_tmp.Path, "data", "bot.db"),
            ["Storage:BusyTimeout"] = "00:00:02",
            ["Slack:BotToken"] = SlackTestHost.BotToken,
            ["Slack:ApiBaseUrl"] = _fake.ApiBaseUrl.ToString(),
            ["Digest:TopQuestionsCount"] = "12",
            ["Digest:UnansweredCount"] = "60",
            ["Digest:Schedules:0:Name"] = "morning",
            ["Digest:Schedules:0:Title"] = "아침",
            ["Digest:Schedules:0:Cron"] = "0 9 * * *",
            ["Digest:Schedules:0:TimeZone"] = "Asia/Seoul",
            ["Digest:Schedules:0:Targets:0:Platform"] = "slack",
            ["Digest:Schedules:0:Targets:0:ChannelId"] = "C1",
            ["Digest:Schedules:0:Sections:0"] = "TopQuestions",
            ["Digest:Schedules:0:Sections:1"] = "Unanswered",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(TestCore.Handler); // the shared real Core handler (index built once per test run)
        services.AddBotCore(config).AddBotStorage(config).AddDigests(config).AddSlack(config);
        _services = services.BuildServiceProvider();
        Seed();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private DigestRunner Runner => _services.GetRequiredService<DigestRunner>();

    private DigestRunStore Runs => _services.GetRequiredService<DigestRunStore>();

    /// <summary>Questions asked during the period: enough answered and unanswered ones for a digest of several Slack pages.</summary>
    private void Seed()
    {
        var log = _services.GetRequiredService<QueryLogStore>();
        var at = Tick - TimeSpan.FromHours(20);
        string[] answered = ["딥시크 본사는 어디에 있나요?", "딥시크 창업자는 누구야?", "딥시크 모델은 오픈소스로 공개되었나요?", "What is DeepSeek?", "딥시크 AI 모델"];
        for (var i = 0; i < answered.Length; i++)
        {
            for (var n = 0; n <= i; n++)
            {
                log.Insert(new QueryLogEntry(at.AddMinutes(i), "slack", "C1", "ask", answered[i], AnswerStatus.Answered, null, "x", 1) { InChannel = true });
            }
        }

        for (var i = 0; i < 60; i++)
        {
            var q = string.Create(CultureInfo.InvariantCulture, $"화성 식민지 {i}번 구역의 인구는?");
            log.Insert(new QueryLogEntry(at.AddMinutes(10 + i), "slack", "C1", "ask", q, AnswerStatus.NotFound, "기사에서 답을 찾지 못했습니다.", null, null) { InChannel = true });
        }
    }

    /// <summary>Lets a task run while the fake clock moves on in 250 ms steps (the adapter paces pages on the clock).</summary>
    private async Task<T> WithClockAsync<T>(Task<T> task)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }

        return await task;
    }

    private Task<IReadOnlyList<TargetResult>> RunTickAsync(DateTimeOffset tick) =>
        WithClockAsync(Runner.RunTickAsync(Runner.Find("morning")!, tick, DigestRunStore.TriggerManual, CancellationToken.None));

    private static string AllText(IEnumerable<JsonObject> posts) =>
        string.Join("\n", posts.SelectMany(p => SlackAssert.MrkdwnTexts(p)));

    [Fact]
    public async Task ScheduledTick_PostsPagedDigestToFakeSlack_InOrder_Paced_WithCitations_RecordedOnce()
    {
        var expected = (await Runner.PreviewAsync(Runner.Find("morning")!, Tick, CancellationToken.None)).Message;
        var scheduler = _services.GetRequiredService<DigestScheduler>();
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            await _fake.WaitUntilAsync(() => scheduler.Waiting.TryGetValue("morning", out var t) && t == Tick, "scheduler armed for the tick");
            _time.Advance(Tick - _time.GetUtcNow());
            await _fake.WaitUntilAsync(() => Runs.Runs("morning").Any(r => r.State != DigestRunState.Intent), "run recorded", TimeSpan.FromSeconds(30),
                () => _time.Advance(TimeSpan.FromMilliseconds(250)));
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }

        var calls = _fake.CallsTo("chat.postMessage");
        var posts = calls.Select(c => c.Json!).ToList();
        Assert.True(posts.Count >= 2, $"expected a split digest, got {posts.Count} message(s)");
        foreach (var (post, i) in posts.Select((p, i) => (p, i)))
        {
            SlackAssert.ValidMessage(post); // non-empty text, ≤ 50 blocks, per-block limits, no mention tokens
            Assert.Equal("C1", post["channel"]!.GetValue<string>());
            Assert.False(post["unfurl_links"]!.GetValue<bool>());
            Assert.False(post["unfurl_media"]!.GetValue<bool>());
            Assert.Null(post["thread_ts"]);
            var header = post["blocks"]!.AsArray()[0]!;
            Assert.Equal("header", header["type"]!.GetValue<string>());
            Assert.EndsWith($"({i + 1}/{posts.Count})", header["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("Bearer xoxb-test", calls[i].Authorization);
        }

        for (var i = 1; i < calls.Count; i++)
        {
            Assert.True(calls[i].ClockAt - calls[i - 1].ClockAt >= TimeSpan.FromSeconds(1), $"pages {i} and {i + 1} were {(calls[i].ClockAt - calls[i - 1].ClockAt).TotalMilliseconds} ms apart");
        }

        // every item in order, each citation after its item and before the next item
        var text = AllText(posts);
        var pos = 0;
        var cited = 0;
        foreach (var item in expected.Sections.SelectMany(s => s.Items))
        {
            var at = text.IndexOf(SlackText.Escape(item.Text.Split('\n')[0]), pos, StringComparison.Ordinal);
            Assert.True(at >= pos, $"item '{item.Text}' missing or out of order");
            pos = at;
            if (item.Citation is { } citation)
            {
                var line = text.IndexOf(SlackText.Escape(UiText.Korean.CitationLine(citation)), pos, StringComparison.Ordinal);
                Assert.True(line > pos, $"citation of '{item.Text}' missing");
                cited++;
            }
        }

        output.WriteLine($"{posts.Count} pages, blocks {string.Join("/", posts.Select(p => p["blocks"]!.AsArray().Count))}, " +
                         $"clock {string.Join(" ", calls.Select(c => c.ClockAt.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}, {cited} cited items, ts {string.Join(",", run0())}");
        IEnumerable<string> run0() => Runs.Runs("morning").Single().MessageIds;
        Assert.True(cited >= 3, $"only {cited} cited items");
        Assert.Contains(SlackText.Escape(expected.Footer!), text, StringComparison.Ordinal);

        var run = Assert.Single(Runs.Runs("morning"));
        Assert.Equal(DigestRunState.Posted, run.State);
        Assert.Equal(Tick, run.Tick);
        Assert.Equal(Target, run.Target);
        Assert.Equal(_fake.PostedTs, run.MessageIds);
        Assert.Equal(posts.Count, run.MessageIds.Count);

        // the same tick again (a restart, a manual re-run): nothing is posted twice
        var again = await RunTickAsync(Tick);
        Assert.Equal(TargetOutcome.AlreadyHandled, Assert.Single(again).Outcome);
        Assert.Equal(calls.Count, _fake.CallsTo("chat.postMessage").Count);
    }

    [Fact]
    public async Task NotInChannel_RecordedFailed_NotRetriedWithinTheTick_PostsAgainNextTick()
    {
        _time.Advance(Tick - _time.GetUtcNow());
        _fake.ScriptError("chat.postMessage", "not_in_channel");
        var result = Assert.Single(await RunTickAsync(Tick));
        Assert.Equal(TargetOutcome.Failed, result.Outcome);
        Assert.Single(_fake.CallsTo("chat.postMessage"));
        var run = Assert.Single(Runs.Runs("morning"));
        Assert.Equal(DigestRunState.Failed, run.State);
        Assert.Contains("not_in_channel", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.MessageIds);

        Assert.Equal(TargetOutcome.AlreadyHandled, Assert.Single(await RunTickAsync(Tick)).Outcome);
        Assert.Single(_fake.CallsTo("chat.postMessage"));

        // the next tick posts again (the bot was invited meanwhile), covering the whole period since the last delivery
        var next = Tick + TimeSpan.FromDays(1);
        _time.Advance(next - _time.GetUtcNow());
        Assert.Equal(TargetOutcome.Posted, Assert.Single(await RunTickAsync(next)).Outcome);
        Assert.Contains("화성 식민지 0번 구역", AllText(_fake.Posts), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorOnPageTwo_RecordedUnknown_NotRePosted()
    {
        _time.Advance(Tick - _time.GetUtcNow());
        _fake.ScriptPass("chat.postMessage");
        _fake.ScriptError("chat.postMessage", "invalid_blocks");
        var result = Assert.Single(await RunTickAsync(Tick));
        Assert.Equal(TargetOutcome.Unknown, result.Outcome);
        var calls = _fake.CallsTo("chat.postMessage");
        Assert.Equal(2, calls.Count); // page 1 posted, page 2 refused, page 3 never tried
        Assert.Contains("(1/", calls[0].Json!["blocks"]!.AsArray()[0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var run = Assert.Single(Runs.Runs("morning"));
        Assert.Equal(DigestRunState.Unknown, run.State);
        Assert.Contains("invalid_blocks", run.Error, StringComparison.Ordinal);

        Assert.Equal(TargetOutcome.AlreadyHandled, Assert.Single(await RunTickAsync(Tick)).Outcome);
        Assert.Equal(2, _fake.CallsTo("chat.postMessage").Count);
    }
}
