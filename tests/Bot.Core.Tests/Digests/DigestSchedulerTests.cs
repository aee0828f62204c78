using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Storage;

namespace Bot.Core.Tests.Digests;

public sealed class DigestSchedulerTests
{
    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi, int s = 0) => new(y, mo, d, h, mi, s, TimeSpan.Zero);

    /// <summary>Drives the scheduler through <paramref name="ticks"/>: wait until armed for each, move the clock there, wait for the posts.</summary>
    private static async Task DriveAsync(DigestHarness h, string schedule, IEnumerable<DateTimeOffset> ticks, int postsPerTick)
    {
        foreach (var tick in ticks)
        {
            var before = h.AllPosts.Count();
            await h.WaitForArmed(schedule, tick);
            h.AdvanceTo(tick);
            await DigestHarness.WaitUntil(() => h.AllPosts.Count() >= before + postsPerTick, $"posts for {tick:o}");
        }
    }

    [Fact]
    public async Task Scheduler_Seoul_PostsAtNineLocalEachDayToEveryTarget()
    {
        await using var h = DigestHarness.Create(Utc(2026, 11, 23, 1, 0), DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul"));
        await h.StartAsync();

        await DriveAsync(h, "morning", [Utc(2026, 11, 24, 0, 0), Utc(2026, 11, 25, 0, 0)], postsPerTick: 2);
        await h.WaitForArmed("morning", Utc(2026, 11, 26, 0, 0));

        Assert.Equal([Utc(2026, 11, 24, 0, 0), Utc(2026, 11, 25, 0, 0)], h.Discord.Posts.Select(p => p.At));
        Assert.Equal([Utc(2026, 11, 24, 0, 0), Utc(2026, 11, 25, 0, 0)], h.Slack.Posts.Select(p => p.At));
        Assert.Equal("morning 다이제스트 · 2026년 11월 24일", h.Discord.Posts.First().Message.Title);
        Assert.All(h.Runs.Runs(), r => Assert.Equal(DigestRunState.Posted, r.State));
    }

    [Fact]
    public async Task Scheduler_NewYork_AcrossBothDstTransitions_OnePostPerLocalDay()
    {
        await using (var fall = DigestHarness.Create(Utc(2026, 10, 30, 12, 0), DigestHarness.Schedule("ny", "30 1 * * *", "America/New_York", slackChannel: "")))
        {
            await fall.StartAsync();
            var ticks = new[] { Utc(2026, 10, 31, 5, 30), Utc(2026, 11, 1, 5, 30), Utc(2026, 11, 2, 6, 30) };
            await DriveAsync(fall, "ny", ticks, postsPerTick: 1);
            await fall.WaitForArmed("ny", Utc(2026, 11, 3, 6, 30));
            // The repeated 01:30 (06:30Z on Nov 1) passed without a second post.
            Assert.Equal(ticks, fall.Discord.Posts.Select(p => p.At));
        }

        await using var spring = DigestHarness.Create(Utc(2026, 3, 6, 12, 0), DigestHarness.Schedule("ny", "30 2 * * *", "America/New_York", slackChannel: ""));
        await spring.StartAsync();
        var springTicks = new[] { Utc(2026, 3, 7, 7, 30), Utc(2026, 3, 8, 7, 0), Utc(2026, 3, 9, 6, 30) };
        await DriveAsync(spring, "ny", springTicks, postsPerTick: 1);
        Assert.Equal(springTicks, spring.Discord.Posts.Select(p => p.At));
    }

    [Fact]
    public async Task Scheduler_AfterDowntime_PostsOneCatchUpDigestThenContinues()
    {
        var settings = DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul");
        await using var h = DigestHarness.Create(Utc(2026, 11, 19, 0, 0), settings);
        var last = Utc(2026, 11, 19, 0, 0);
        foreach (var target in new[] { new ChannelRef("discord", "D1"), new ChannelRef("slack", "C1") })
        {
            var id = h.Runs.TryBegin("morning", last, target, DigestRunStore.TriggerSchedule, last.AddDays(-1))!.Value;
            h.Runs.Complete(id, DigestRunState.Posted, ["old"]);
        }

        // A question asked during the downtime must appear in the catch-up digest.
        h.QueryLog.Insert(new QueryLogEntry(Utc(2026, 11, 20, 3, 0), "slack", "C1", "ask", "딥시크 창업자는 누구야?", AnswerStatus.Answered, null, "x", 1) { InChannel = true });
        h.AdvanceTo(Utc(2026, 11, 23, 2, 0));   // down for four ticks (20th–23rd)
        await h.StartAsync();

        await h.WaitForArmed("morning", Utc(2026, 11, 24, 0, 0));
        Assert.Single(h.Discord.Posts);
        Assert.Single(h.Slack.Posts);
        var catchUp = h.Runs.Runs("morning").Where(r => r.Tick > last).ToList();
        Assert.Equal(2, catchUp.Count);
        Assert.All(catchUp, r => Assert.Equal(Utc(2026, 11, 23, 0, 0), r.Tick));
        Assert.All(catchUp, r => Assert.Equal(last, r.PeriodStart));
        var text = Bot.Core.Digests.DigestPlainText.Render(h.Slack.Posts.Single().Message);
        Assert.Contains("딥시크 창업자는 누구야?", text, StringComparison.Ordinal);

        await DriveAsync(h, "morning", [Utc(2026, 11, 24, 0, 0)], postsPerTick: 2);
        Assert.Equal(2, h.Discord.Posts.Count);
    }

    [Fact]
    public async Task Scheduler_RestartMidRun_PostsNothingTwice()
    {
        var settings = DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul");
        var tick1 = Utc(2026, 11, 24, 0, 0);
        var tick2 = Utc(2026, 11, 25, 0, 0);
        var first = DigestHarness.Create(Utc(2026, 11, 23, 12, 0), settings);
        await using var _ = first;

        // Process 1: Slack accepts the post but the process dies before recording the result (the call never returns).
        first.Slack.Behavior = (_, _) => new TaskCompletionSource().Task;
        await first.StartAsync();
        await DriveAsync(first, "morning", [tick1], postsPerTick: 2);
        await DigestHarness.WaitUntil(() => first.Runs.Runs().Any(r => r.Target.Platform == "discord" && r.State == DigestRunState.Posted), "discord recorded");
        Assert.Equal(DigestRunState.Intent, first.Runs.Runs().Single(r => r.Target.Platform == "slack").State);
        first.Crash();

        // Process 2 starts a minute later on the same database, with healthy platforms.
        await using var second = first.Restart(Utc(2026, 11, 24, 0, 1), settings);
        await second.StartAsync();
        await second.WaitForArmed("morning", tick2);
        Assert.Empty(second.AllPosts);
        var states = second.Runs.Runs().Where(r => r.Tick == tick1).ToDictionary(r => r.Target.Platform, r => r.State);
        Assert.Equal(DigestRunState.Posted, states["discord"]);
        Assert.Equal(DigestRunState.Unknown, states["slack"]);

        await DriveAsync(second, "morning", [tick2], postsPerTick: 2);
        await second.WaitForArmed("morning", tick2.AddDays(1));
        Assert.Equal(1, first.Discord.Posts.Count + second.Discord.Posts.Count(p => p.At < tick2));
        Assert.Single(second.Discord.Posts);
        Assert.Single(second.Slack.Posts);
        Assert.Single(first.Slack.Posts);
    }

    [Fact]
    public async Task Scheduler_PostTimesOut_RecordedUnknownAndNotRepostedThatTick()
    {
        var settings = DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul");
        settings["Digest:PostTimeout"] = "00:00:10";
        await using var h = DigestHarness.Create(Utc(2026, 11, 23, 12, 0), settings);
        h.Slack.Behavior = (_, ct) => Task.Delay(Timeout.Infinite, ct);
        await h.StartAsync();
        await DriveAsync(h, "morning", [Utc(2026, 11, 24, 0, 0)], postsPerTick: 2);
        h.AdvanceTo(Utc(2026, 11, 24, 0, 0, 11));
        await DigestHarness.WaitUntil(() => h.Runs.Runs().Any(r => r.State == DigestRunState.Unknown), "slack timed out");

        var slack = h.Runs.Runs().Single(r => r.Target.Platform == "slack");
        Assert.Contains("no answer within", slack.Error, StringComparison.Ordinal);
        await h.WaitForArmed("morning", Utc(2026, 11, 25, 0, 0));
        Assert.Single(h.Slack.Posts);
    }

    [Fact]
    public async Task Scheduler_FailingTarget_DoesNotBlockOthersAndIsRetriedNextTick()
    {
        await using var h = DigestHarness.Create(Utc(2026, 11, 23, 12, 0), DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul", postWhenEmpty: false));
        var calls = 0;
        h.Slack.Behavior = (_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new ChatPlatformException("slack", "not_in_channel", "the bot is not in the channel", permanent: true)
            : Task.CompletedTask;
        h.QueryLog.Insert(new QueryLogEntry(Utc(2026, 11, 23, 13, 0), "discord", "D1", "ask", "엔비디아 주가는 어떻게 됐어?", AnswerStatus.Answered, null, "x", 1) { InChannel = true });
        h.QueryLog.Insert(new QueryLogEntry(Utc(2026, 11, 23, 13, 0), "slack", "C1", "ask", "엔비디아 주가는 어떻게 됐어?", AnswerStatus.Answered, null, "x", 1) { InChannel = true });
        await h.StartAsync();

        await DriveAsync(h, "morning", [Utc(2026, 11, 24, 0, 0)], postsPerTick: 2);
        await h.WaitForArmed("morning", Utc(2026, 11, 25, 0, 0));
        var tick1 = h.Runs.Runs().ToDictionary(r => r.Target.Platform);
        Assert.Equal(DigestRunState.Posted, tick1["discord"].State);
        Assert.Equal(DigestRunState.Failed, tick1["slack"].State);
        Assert.StartsWith("not_in_channel", tick1["slack"].Error, StringComparison.Ordinal);

        // Tick 2: nothing new for Discord (empty, not posted); Slack is retried and still gets the question from tick 1's period.
        h.AdvanceTo(Utc(2026, 11, 25, 0, 0));
        await DigestHarness.WaitUntil(() => h.Slack.Posts.Count == 2, "slack retried");
        await h.WaitForArmed("morning", Utc(2026, 11, 26, 0, 0));
        Assert.Single(h.Discord.Posts);
        var retried = Bot.Core.Digests.DigestPlainText.Render(h.Slack.Posts.Last().Message);
        Assert.Contains("엔비디아 주가는 어떻게 됐어?", retried, StringComparison.Ordinal);
        var tick2 = h.Runs.Runs().Where(r => r.Tick == Utc(2026, 11, 25, 0, 0)).ToDictionary(r => r.Target.Platform, r => r.State);
        Assert.Equal(DigestRunState.Empty, tick2["discord"]);
        Assert.Equal(DigestRunState.Posted, tick2["slack"]);
    }

    [Fact]
    public async Task Scheduler_PartlyPostedSplitDigest_RecordedUnknownNotRepostedThatTick()
    {
        await using var h = DigestHarness.Create(Utc(2026, 11, 23, 12, 0), DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul", postWhenEmpty: true));
        h.Slack.Behavior = (_, _) => throw new ChatPlatformException("slack", "ratelimited", "page 2 refused", permanent: false, uncertain: false, postedMessageIds: ["1.0001"]);
        await h.StartAsync();

        await DriveAsync(h, "morning", [Utc(2026, 11, 24, 0, 0)], postsPerTick: 2);
        await h.WaitForArmed("morning", Utc(2026, 11, 25, 0, 0));
        var runs = h.Runs.Runs().ToDictionary(r => r.Target.Platform);
        Assert.Equal(DigestRunState.Unknown, runs["slack"].State); // page 1 is out: never posted twice
        Assert.Equal(DigestRunState.Posted, runs["discord"].State);
    }

    [Fact]
    public async Task Scheduler_TwoSchedulesSameChannel_PostsAtLeastOneSecondApart()
    {
        var settings = DigestHarness.Schedule("a", "0 9 * * *", "Asia/Seoul", slackChannel: "");
        foreach (var kv in DigestHarness.Schedule("b", "0 9 * * *", "Asia/Seoul", index: 1, slackChannel: ""))
        {
            settings[kv.Key] = kv.Value;
        }

        await using var h = DigestHarness.Create(Utc(2026, 11, 23, 12, 0), settings);
        await h.StartAsync();
        var tick = Utc(2026, 11, 24, 0, 0);
        await h.WaitForArmed("a", tick);
        await h.WaitForArmed("b", tick);
        h.AdvanceTo(tick);
        await DigestHarness.WaitUntil(() => h.Discord.Posts.Count >= 1, "first post");
        await Task.Delay(50);
        Assert.Single(h.Discord.Posts);   // the second waits for its turn on the fake clock
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await DigestHarness.WaitUntil(() => h.Discord.Posts.Count == 2, "second post");

        var at = h.Discord.Posts.Select(p => p.At).ToList();
        Assert.True(at[1] - at[0] >= TimeSpan.FromSeconds(1), $"{at[0]:o} then {at[1]:o}");
        Assert.NotEqual(h.Discord.Posts.First().Message.Title, h.Discord.Posts.Last().Message.Title);
    }

    [Fact]
    public async Task Scheduler_NothingToSay_NotPostedUnlessPostWhenEmpty()
    {
        await using var quiet = DigestHarness.Create(Utc(2026, 11, 23, 12, 0), DigestHarness.Schedule("m", "0 9 * * *", "Asia/Seoul", postWhenEmpty: false));
        await quiet.StartAsync();
        await quiet.WaitForArmed("m", Utc(2026, 11, 24, 0, 0));
        quiet.AdvanceTo(Utc(2026, 11, 24, 0, 0));
        await quiet.WaitForArmed("m", Utc(2026, 11, 25, 0, 0));
        Assert.Empty(quiet.AllPosts);
        Assert.All(quiet.Runs.Runs(), r => Assert.Equal(DigestRunState.Empty, r.State));

        await using var loud = DigestHarness.Create(Utc(2026, 11, 23, 12, 0), DigestHarness.Schedule("m", "0 9 * * *", "Asia/Seoul", postWhenEmpty: true));
        await loud.StartAsync();
        await DriveAsync(loud, "m", [Utc(2026, 11, 24, 0, 0)], postsPerTick: 2);
        var msg = loud.Discord.Posts.Single().Message;
        Assert.Equal("이번 기간에는 새 기사도, 질문도 없었습니다.", Assert.Single(Assert.Single(msg.Sections).Items).Text);
    }

    [Fact]
    public async Task RunTick_TwoProcessesRaceOnTheSameTick_EachTargetPostedOnce()
    {
        var settings = DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul");
        await using var a = DigestHarness.Create(Utc(2026, 11, 24, 0, 0), settings);
        a.Get<Bot.Core.Search.SearchEngine>().EnsureIndex();   // one index on disk; the second process finds it current
        await using var b = a.Restart(Utc(2026, 11, 24, 0, 0), settings);
        var tick = Utc(2026, 11, 24, 0, 0);
        var ra = a.Get<Bot.Core.Digests.DigestRunner>();
        var rb = b.Get<Bot.Core.Digests.DigestRunner>();

        var results = await Task.WhenAll(
            Task.Run(() => ra.RunTickAsync(ra.Schedules[0], tick, DigestRunStore.TriggerSchedule, CancellationToken.None)),
            Task.Run(() => rb.RunTickAsync(rb.Schedules[0], tick, DigestRunStore.TriggerSchedule, CancellationToken.None)));

        Assert.Equal(1, a.Discord.Posts.Count + b.Discord.Posts.Count);
        Assert.Equal(1, a.Slack.Posts.Count + b.Slack.Posts.Count);
        var outcomes = results.SelectMany(r => r).Select(r => r.Outcome).ToList();
        Assert.Equal(2, outcomes.Count(o => o == Bot.Core.Digests.TargetOutcome.Posted));
        Assert.Equal(2, outcomes.Count(o => o == Bot.Core.Digests.TargetOutcome.AlreadyHandled));
    }

    [Fact]
    public async Task Scheduler_DiedBetweenTargets_OnlyTheMissingTargetPostsThatTick()
    {
        var settings = DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul");
        await using var h = DigestHarness.Create(Utc(2026, 11, 24, 0, 5), settings);
        var discord = new ChannelRef("discord", "D1");
        var slack = new ChannelRef("slack", "C1");
        foreach (var (target, tick) in new[] { (discord, Utc(2026, 11, 23, 0, 0)), (slack, Utc(2026, 11, 23, 0, 0)), (discord, Utc(2026, 11, 24, 0, 0)) })
        {
            h.Runs.Complete(h.Runs.TryBegin("morning", tick, target, DigestRunStore.TriggerSchedule, tick.AddDays(-1))!.Value, DigestRunState.Posted, ["m"]);
        }

        await h.StartAsync();
        await h.WaitForArmed("morning", Utc(2026, 11, 25, 0, 0));

        Assert.Empty(h.Discord.Posts);
        var post = Assert.Single(h.Slack.Posts);
        var run = h.Runs.Runs().Single(r => r.Target == slack && r.Tick == Utc(2026, 11, 24, 0, 0));
        Assert.Equal(DigestRunState.Posted, run.State);
        Assert.Equal(Utc(2026, 11, 23, 0, 0), run.PeriodStart);
        Assert.Equal("morning 다이제스트 · 2026년 11월 24일", post.Message.Title);
    }

    [Fact]
    public async Task Scheduler_TargetAddedLater_DoesNotTriggerACatchUp()
    {
        var settings = DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul");
        await using var h = DigestHarness.Create(Utc(2026, 11, 24, 3, 0), settings);
        var tick = Utc(2026, 11, 24, 0, 0);
        h.Runs.Complete(h.Runs.TryBegin("morning", tick, new ChannelRef("discord", "D1"), DigestRunStore.TriggerSchedule, tick.AddDays(-1))!.Value, DigestRunState.Posted, ["m"]);

        await h.StartAsync();
        await h.WaitForArmed("morning", Utc(2026, 11, 25, 0, 0));
        Assert.Empty(h.AllPosts);
    }
}
