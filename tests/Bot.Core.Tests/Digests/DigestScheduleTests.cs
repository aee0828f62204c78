using Bot.Core.Digests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Digests;

public sealed class DigestScheduleTests
{
    private static DigestSchedule Schedule(string cron, string zone) =>
        DigestSchedule.From(new DigestScheduleOptions { Name = "s", Cron = cron, TimeZone = zone, Targets = [new() { Platform = "slack", ChannelId = "C1" }] });

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    [Fact]
    public void NextTick_Seoul_NineAmIsMidnightUtc()
    {
        var s = Schedule("0 9 * * *", "Asia/Seoul");
        Assert.Equal(Utc(2026, 11, 24, 0, 0), s.NextTick(Utc(2026, 11, 23, 0, 0)));
        Assert.Equal(Utc(2026, 11, 23, 0, 0), s.NextTick(Utc(2026, 11, 22, 23, 59)));
    }

    [Fact]
    public void NextTick_NewYork_SpringForward_SkippedTimeRunsOnceAtThree()
    {
        // 2026-03-08 02:00 EST → 03:00 EDT: 02:30 does not exist that day.
        var s = Schedule("30 2 * * *", "America/New_York");
        var t1 = s.NextTick(Utc(2026, 3, 7, 0, 0))!.Value;
        var t2 = s.NextTick(t1)!.Value;
        var t3 = s.NextTick(t2)!.Value;
        Assert.Equal(Utc(2026, 3, 7, 7, 30), t1);   // 02:30 EST
        Assert.Equal(Utc(2026, 3, 8, 7, 0), t2);    // 03:00 EDT
        Assert.Equal(Utc(2026, 3, 9, 6, 30), t3);   // 02:30 EDT
    }

    [Fact]
    public void NextTick_NewYork_FallBack_RepeatedTimeRunsOnce()
    {
        // 2026-11-01 02:00 EDT → 01:00 EST: 01:30 happens twice, the digest runs once.
        var s = Schedule("30 1 * * *", "America/New_York");
        var t1 = s.NextTick(Utc(2026, 10, 31, 0, 0))!.Value;
        var t2 = s.NextTick(t1)!.Value;
        var t3 = s.NextTick(t2)!.Value;
        Assert.Equal(Utc(2026, 10, 31, 5, 30), t1);  // 01:30 EDT
        Assert.Equal(Utc(2026, 11, 1, 5, 30), t2);   // 01:30 EDT (first of the two)
        Assert.Equal(Utc(2026, 11, 2, 6, 30), t3);   // 01:30 EST
    }

    [Fact]
    public void LatestDue_ManyMissedTicks_OnlyTheLatest()
    {
        var s = Schedule("0 9 * * *", "Asia/Seoul");
        Assert.Equal(Utc(2026, 11, 23, 0, 0), s.LatestDue(Utc(2026, 11, 1, 0, 0), Utc(2026, 11, 23, 5, 0)));
        Assert.Null(s.LatestDue(Utc(2026, 11, 23, 0, 0), Utc(2026, 11, 23, 5, 0)));
    }

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi, int sec) => new(y, mo, d, h, mi, sec, TimeSpan.Zero);

    [Fact]
    public void FiveFields_AreMinuteBased_EvenWhenTheFirstFieldWouldFitSeconds()
    {
        // "*/5 * * * *" is every five minutes (not seconds), "* * * * *" every minute on the minute
        var fiveMinutes = Schedule("*/5 * * * *", "UTC");
        Assert.Equal(Utc(2026, 11, 23, 0, 5, 0), fiveMinutes.NextTick(Utc(2026, 11, 23, 0, 0, 1)));
        var minutely = Schedule("* * * * *", "UTC");
        Assert.Equal(Utc(2026, 11, 23, 0, 1, 0), minutely.NextTick(Utc(2026, 11, 23, 0, 0, 0)));
        Assert.Equal(Utc(2026, 11, 23, 0, 1, 0), minutely.NextTick(Utc(2026, 11, 23, 0, 0, 59)));
    }

    [Fact]
    public void SixFields_TheFirstIsSeconds()
    {
        var everyFive = Schedule("*/5 * * * * *", "UTC");
        Assert.Equal(Utc(2026, 11, 23, 0, 0, 5), everyFive.NextTick(Utc(2026, 11, 23, 0, 0, 1)));
        Assert.Equal(Utc(2026, 11, 23, 0, 1, 0), everyFive.NextTick(Utc(2026, 11, 23, 0, 0, 55)));
        Assert.Equal(Utc(2026, 11, 23, 0, 0, 55), everyFive.LatestDue(Utc(2026, 11, 23, 0, 0, 1), Utc(2026, 11, 23, 0, 0, 58)));

        // seconds, then the five standard fields in their usual places: 09:00:30 in Seoul is 00:00:30 UTC
        var nineThirtySeconds = Schedule("30 0 9 * * *", "Asia/Seoul");
        Assert.Equal(Utc(2026, 11, 24, 0, 0, 30), nineThirtySeconds.NextTick(Utc(2026, 11, 23, 0, 0, 30)));
    }

    [Theory]
    [InlineData("0 9 * *", "Asia/Seoul", "digest schedule 'morning': bad Cron '0 9 * *' (4 fields, expected 5 (or 6 with seconds first))")]
    [InlineData("0 0 9 * * * 2026", "Asia/Seoul", "digest schedule 'morning': bad Cron '0 0 9 * * * 2026' (7 fields, expected 5 (or 6 with seconds first))")]
    [InlineData("60 0 9 * * *", "Asia/Seoul", "digest schedule 'morning': bad Cron '60 0 9 * * *'")]
    [InlineData("every five seconds", "Asia/Seoul", "digest schedule 'morning': bad Cron 'every five seconds' (3 fields, expected 5 (or 6 with seconds first))")]
    [InlineData("a b c d e f", "Asia/Seoul", "digest schedule 'morning': bad Cron 'a b c d e f'")]
    [InlineData("0 25 * * *", "Asia/Seoul", "digest schedule 'morning': bad Cron '0 25 * * *'")]
    [InlineData("0 9 * * *", "Asia/Sooul", "digest schedule 'morning': unknown TimeZone 'Asia/Sooul'")]
    public void Validate_BadCronOrZone_OneLineNamingTheSchedule(string cron, string zone, string expected)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Digest:Schedules:0:Name"] = "morning",
            ["Digest:Schedules:0:Cron"] = cron,
            ["Digest:Schedules:0:TimeZone"] = zone,
            ["Digest:Schedules:0:Targets:0:Platform"] = "slack",
            ["Digest:Schedules:0:Targets:0:ChannelId"] = "C1",
        }).Build();
        using var sp = new ServiceCollection().AddLogging().AddDigests(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<DigestOptions>>().Value);
        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure);
    }

    [Fact]
    public void Validate_DefaultsAndBinding()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Digest:Schedules:0:Name"] = "weekly",
            ["Digest:Schedules:0:Cron"] = "0 9 * * 1",
            ["Digest:Schedules:0:Targets:0:Platform"] = "discord",
            ["Digest:Schedules:0:Targets:0:ChannelId"] = "1200000000000000001",
            ["Digest:Schedules:0:Sections:0"] = "Unanswered",
            ["Digest:Schedules:0:Sections:1"] = "NewArticles",
            ["Digest:Schedules:1:Name"] = "bad",
            ["Digest:Schedules:1:Cron"] = "0 9 * * *",
            ["Digest:Schedules:1:Targets:0:Platform"] = "teams",
            ["Digest:Schedules:1:Targets:0:ChannelId"] = "x",
        }).Build();
        using var sp = new ServiceCollection().AddLogging().AddDigests(config).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<DigestOptions>>().Value);
        Assert.Equal("digest schedule 'bad': Targets:0: Platform must be \"discord\" or \"slack\" (got 'teams')", Assert.Single(ex.Failures));

        var ok = new DigestOptions { Schedules = [new() { Name = "weekly", Cron = "0 9 * * 1", Targets = [new() { Platform = "discord", ChannelId = "1" }], Sections = [DigestSection.Unanswered, DigestSection.NewArticles] }] };
        var s = DigestSchedule.From(ok).Single();
        Assert.Equal("Asia/Seoul", s.Zone.Id);
        Assert.Equal([DigestSection.NewArticles, DigestSection.Unanswered], s.Sections);
        Assert.Equal(Bot.Core.Answers.Language.Korean, s.Language);
    }
}
