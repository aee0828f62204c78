using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Storage;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.Storage;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-storage-di");

    private IHost BuildHost(Dictionary<string, string?> extra, FakeTimeProvider? time = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = RepoPaths.Seeds,
            ["Index:Path"] = _tmp.Sub("index"),
            ["Storage:Path"] = Path.Combine(_tmp.Path, "data", "bot.db"),
            ["Corpus:WatchInterval"] = "00:00:00",
        };
        foreach (var kv in extra)
        {
            values[kv.Key] = kv.Value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddLogging();
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        builder.Services.AddBotCore(builder.Configuration).AddBotStorage(builder.Configuration).AddDigests(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task Host_Start_MigratesAndHandlerLogsQuestionsThroughDi()
    {
        using var host = BuildHost([]);
        await host.StartAsync();
        var handler = host.Services.GetRequiredService<IQuestionHandler>();
        await handler.AskAsync("딥시크 창업자는 누구야?", new QueryContext("discord", "1"), 3, CancellationToken.None);
        var warm = await handler.AskAsync("딥시크 모델은 오픈소스야?", QueryContext.WarmUp, 3, CancellationToken.None); // never logged
        Assert.Equal(Bot.Core.Answers.AnswerStatus.Answered, warm.Status);
        var rows = host.Services.GetRequiredService<QueryLogStore>().Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal("딥시크 창업자는 누구야?", Assert.Single(rows).Question);
        await host.StopAsync();
    }

    [Fact]
    public async Task Host_Start_BadScheduleFailsWithOneLineNamingIt()
    {
        using var host = BuildHost(new()
        {
            ["Digest:Schedules:0:Name"] = "weekly",
            ["Digest:Schedules:0:Cron"] = "61 9 * * 1",
            ["Digest:Schedules:0:Targets:0:Platform"] = "slack",
            ["Digest:Schedules:0:Targets:0:ChannelId"] = "C1",
        });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.StartsWith("digest schedule 'weekly': bad Cron '61 9 * * 1'", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_Start_CorruptDatabaseStopsStartUpWithTheClearError()
    {
        var path = Path.Combine(_tmp.Path, "data", "bot.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, new string('#', 8192));
        using var host = BuildHost([]);
        var ex = await Assert.ThrowsAsync<StorageException>(() => host.StartAsync());
        Assert.Equal(StorageFailure.Corrupt, ex.Failure);
        Assert.Equal(new string('#', 8192), File.ReadAllText(path));
    }

    [Fact]
    public async Task Maintenance_PurgesAtStartAndDaily()
    {
        var time = new TimerWatchingClock(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
        using var host = BuildHost(new() { ["Storage:QueryLogDays"] = "30" }, time);
        var log = host.Services.GetRequiredService<QueryLogStore>();
        var now = time.GetUtcNow();
        log.Insert(new QueryLogEntry(now.AddDays(-31), "slack", "C1", "ask", "old", Bot.Core.Answers.AnswerStatus.Answered, null, null, null));
        log.Insert(new QueryLogEntry(now.AddDays(-29).AddHours(12), "slack", "C1", "ask", "young", Bot.Core.Answers.AnswerStatus.Answered, null, null, null));

        await host.StartAsync();
        Assert.Equal(["young"], log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).Select(e => e.Question));

        // Advance a day at a time, each time once the daily timer is armed (moving the clock before that would only
        // delay the run by a day), until a daily run has purged the young row (28.5 days old at the start).
        var daily = StorageMaintenanceService.PurgeInterval;
        int Rows() => log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).Count;
        for (var day = 1; day <= 3 && Rows() > 0; day++)
        {
            await Wait.UntilAsync(() => time.Armed(daily) >= day, $"daily purge {day} armed");
            time.Advance(daily);
            // that day's run has either purged the row or, done, armed the next day's
            await Wait.UntilAsync(() => Rows() == 0 || time.Armed(daily) > day, $"daily purge {day} run");
        }

        Assert.Empty(log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.True(time.GetUtcNow() - now <= TimeSpan.FromDays(3), $"purged only after {time.GetUtcNow() - now}");
        await host.StopAsync();
    }

    /// <summary>A fake clock that counts the timers armed on it, by due time (a <c>Task.Delay</c> on it arms one).</summary>
    private sealed class TimerWatchingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _dueTimes = new();

        public int Armed(TimeSpan dueTime) => _dueTimes.Count(d => d == dueTime);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _dueTimes.Enqueue(dueTime);
            return timer;
        }
    }

    public void Dispose() => _tmp.Dispose();
}
