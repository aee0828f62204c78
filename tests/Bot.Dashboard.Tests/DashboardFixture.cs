using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.Dashboard;
using Bot.Host.Cli;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Bot.Dashboard.Tests;

/// <summary>A platform whose connection the test switches.</summary>
public sealed class SwitchablePlatformStatus : IPlatformStatus
{
    public bool Connected { get; set; } = true;

    public string Platform => "discord";

    public PlatformStatus Snapshot() => new(Platform, Connected, Connected ? "Ready" : "Resuming", 3, null);
}

/// <summary>
/// One dashboard for the whole test class: the real index over seeds/, a real SQLite file filled through the real stores
/// (30 days of questions, latencies and votes), Kestrel on 127.0.0.1:0 with a token, and (when Chromium is installed) one
/// shared headless browser.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Token = "test-dashboard-token-0123456789";
    public const string Hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> 딥시크 본사는 어디?";
    public const string Unanswered = "딥시크 본사 주소는 어디야?";
    public const string Answered = "딥시크 V3 훈련 비용은 얼마야?";

    private readonly TempDir _dir = RepoPaths.NewTempDir("bot-dashboard");
    private IPlaywright? _playwright;

    public ServiceProvider Services { get; private set; } = default!;

    public DashboardServer Server { get; private set; } = default!;

    public Uri Address => Server.Address!;

    public SwitchablePlatformStatus Platform { get; } = new();

    public IBrowser? Browser { get; private set; }

    public string? BrowserMissing { get; private set; }

    /// <summary>Expected per-day values, oldest first (30 days, today last).</summary>
    public int[] AnsweredPerDay { get; } = new int[30];

    public int[] DeclinedPerDay { get; } = new int[30];

    public int[] UpPerDay { get; } = new int[30];

    public int[] DownPerDay { get; } = new int[30];

    public string ArtifactDir { get; } = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "dashboard-screenshots");

    public HttpClient Http(bool withToken = true)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        }

        return client;
    }

    public int QueryLogRows() => Services.GetRequiredService<BotDatabase>().Run(c =>
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM query_log;";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });

    public async Task InitializeAsync()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = RepoPaths.Seeds,
            ["Corpus:WatchInterval"] = "00:00:00",
            ["Index:Path"] = Path.Combine(_dir.Path, "index"),
            ["Storage:Path"] = Path.Combine(_dir.Path, "bot.db"),
            ["Dashboard:ListenUrl"] = "http://127.0.0.1:0",
            ["Dashboard:Token"] = Token,
            ["Dashboard:PageSize"] = "20",
            ["Digest:Schedules:0:Name"] = "morning",
            ["Digest:Schedules:0:Cron"] = "0 9 * * *",
            ["Digest:Schedules:0:TimeZone"] = "Asia/Seoul",
            ["Digest:Schedules:0:Targets:0:Platform"] = "slack",
            ["Digest:Schedules:0:Targets:0:ChannelId"] = "C0123",
        }).Build();
        Services = DashboardCommand.BuildStandalone(config, LogLevel.Warning, s => s.AddSingleton<IPlatformStatus>(Platform));
        Services.GetRequiredService<BotDatabase>().Initialize();
        Fill();
        Server = await DashboardCommand.StartAsync(Services, CancellationToken.None);
        Directory.CreateDirectory(ArtifactDir);

        var chromium = Environment.GetEnvironmentVariable("BOT_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            BrowserMissing = $"Chromium not found at {chromium} (apt-get install chromium, or set BOT_CHROMIUM)";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>30 days of questions through <see cref="QueryLogStore.Insert"/> and votes through <see cref="FeedbackStore.RecordVote"/>.</summary>
    private void Fill()
    {
        var db = Services.GetRequiredService<BotDatabase>();
        var log = Services.GetRequiredService<QueryLogStore>();
        var clock = new FakeTimeProvider();
        var votes = new FeedbackStore(db, clock);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < 30; i++)
        {
            var day = today.AddDays(i - 29);
            var noon = new DateTimeOffset(day.ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero);
            var answered = (i % 5) + 1;
            var declined = i % 3;
            AnsweredPerDay[i] = answered;
            DeclinedPerDay[i] = declined;
            for (var k = 0; k < answered; k++)
            {
                var id = AnswerRecord.NewId();
                log.Insert(new QueryLogEntry(noon.AddMinutes(k), k % 2 == 0 ? "discord" : "slack", "C1", "ask", k == 0 ? Answered : $"딥시크 R1 질문 {i}-{k}",
                    AnswerStatus.Answered, null, "002_15df3019d8376f01", 1) { LatencyMs = 10 + k * 20 + i, AnswerId = id });
                clock.SetUtcNow(noon.AddMinutes(k + 1));
                if (k == 0)
                {
                    votes.RecordVote(id, "discord", "user-a", up: true);
                    UpPerDay[i]++;
                }
                else if (k == 1 && i % 2 == 0)
                {
                    votes.RecordVote(id, "slack", "user-b", up: false);
                    DownPerDay[i]++;
                }
            }

            for (var k = 0; k < declined; k++)
            {
                log.Insert(new QueryLogEntry(noon.AddMinutes(30 + k), "slack", "C2", "ask", Unanswered, AnswerStatus.NotFound,
                    "the articles never mention 본사", null, null) { LatencyMs = 5 + i });
            }
        }

        log.Insert(new QueryLogEntry(new DateTimeOffset(today.ToDateTime(new TimeOnly(0, 45)), TimeSpan.Zero), "discord", "C3", "ask", Hostile, AnswerStatus.NotFound,
            "<b>never</b> mentioned", null, null) { LatencyMs = 7 });
        DeclinedPerDay[29]++;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
