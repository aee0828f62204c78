using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Digests;
using Bot.Core.Storage;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Support;

/// <summary>
/// One bot process for digest posting end to end: the real Core (handler over the repository's seeds, temporary index),
/// the real SQLite storage and digest runner/scheduler (AddBotStorage + AddDigests), and the real Discord adapter
/// (AddDiscord, so <c>IChatPlatform</c> is DiscordPlatform) posting to <see cref="FakeDiscordServer"/>, on a fake clock.
/// Adapted from tests/Bot.Core.Tests/Digests/DigestHarness.cs, with the recording platform doubles replaced by the real adapter.
/// </summary>
internal sealed class DiscordDigestHarness : IAsyncDisposable
{
    public const string Schedule = "morning";
    public const string Channel = Events.ChannelId;

    private DiscordDigestHarness(TempDir dir, FakeDiscordServer fake, FakeTimeProvider time, ServiceProvider services, LogSink logs)
    {
        Dir = dir;
        Fake = fake;
        Time = time;
        Services = services;
        Logs = logs;
    }

    public TempDir Dir { get; }

    public FakeDiscordServer Fake { get; }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Services { get; }

    public LogSink Logs { get; }

    public DigestRunner Runner => Services.GetRequiredService<DigestRunner>();

    public DigestScheduler Scheduler => Services.GetRequiredService<DigestScheduler>();

    public DigestRunStore Runs => Services.GetRequiredService<DigestRunStore>();

    public QueryLogStore QueryLog => Services.GetRequiredService<QueryLogStore>();

    public DigestSchedule MorningSchedule => Runner.Find(Schedule)!;

    /// <summary>POSTs to the digest channel, in arrival order (including refused ones).</summary>
    public RecordedRequest[] Posts => Fake.RequestsTo("POST", $"/channels/{Channel}/messages").ToArray();

    public static async Task<DiscordDigestHarness> CreateAsync(DateTimeOffset start, Dictionary<string, string?>? extra = null)
    {
        var dir = RepoPaths.NewTempDir("bot-discord-digest");
        var time = new FakeTimeProvider(start);
        var fake = await FakeDiscordServer.StartAsync(time);
        var settings = new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = RepoPaths.Seeds,
            ["Index:Path"] = TestCore.IndexPath, // the index every adapter test shares (built once per test process)
            ["Corpus:WatchInterval"] = "00:00:00",
            ["Storage:Path"] = Path.Combine(dir.Path, "data", "bot.db"),
            ["Storage:BusyTimeout"] = "00:00:02",
            ["Digest:TopQuestionsCount"] = "20",
            [$"Digest:Schedules:0:Name"] = Schedule,
            [$"Digest:Schedules:0:Cron"] = "0 9 * * *",
            [$"Digest:Schedules:0:TimeZone"] = "Asia/Seoul",
            [$"Digest:Schedules:0:Sections:0"] = nameof(DigestSection.TopQuestions),
            [$"Digest:Schedules:0:Sections:1"] = nameof(DigestSection.Unanswered),
            [$"Digest:Schedules:0:Targets:0:Platform"] = "discord",
            [$"Digest:Schedules:0:Targets:0:ChannelId"] = Channel,
            ["Discord:Token"] = DiscordTestHost.Token,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
            ["Discord:RetryBaseDelay"] = "00:00:00",
        };
        foreach (var kv in extra ?? [])
        {
            settings[kv.Key] = kv.Value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogSink();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs))
            .AddSingleton<TimeProvider>(time);
        services.AddBotCore(config).AddBotStorage(config).AddDigests(config).AddDiscord(config);
        var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        sp.GetRequiredService<Bot.Core.Search.SearchEngine>().EnsureIndex(); // loads the shared index: it is up to date
        return new DiscordDigestHarness(dir, fake, time, sp, logs);
    }

    /// <summary>Logs <paramref name="question"/> <paramref name="times"/> times at <paramref name="at"/> (as the chat adapters' questions are logged).</summary>
    public void Log(string question, int times, DateTimeOffset at, AnswerStatus status = AnswerStatus.Answered, string? reason = null)
    {
        for (var i = 0; i < times; i++)
        {
            QueryLog.Insert(new QueryLogEntry(at + TimeSpan.FromSeconds(i), "discord", Channel, "ask", question, status, reason, null, null) { InChannel = true });
        }
    }

    public void AdvanceTo(DateTimeOffset to)
    {
        var by = to - Time.GetUtcNow();
        if (by > TimeSpan.Zero)
        {
            Time.Advance(by);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await Scheduler.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await Services.DisposeAsync();
        await Fake.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Dir.Dispose();
        AdapterTestServices.AssertNoSecretLogged(Logs, DiscordTestHost.Token);
    }
}
