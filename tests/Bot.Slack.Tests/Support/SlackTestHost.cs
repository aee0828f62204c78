using Bot.Core.Commands;
using Bot.Slack.Tests.Fakes;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.Support;

/// <summary>
/// The real adapter wired through AddSlack against a <see cref="FakeSlack"/>, with a FakeTimeProvider, the Core handler
/// wrapped in a <see cref="RecordingQuestionHandler"/>, and captured logs.
/// </summary>
internal sealed class SlackTestHost : IAsyncDisposable
{
    public const string BotToken = "xoxb-test";
    public const string AppToken = "xapp-test";
    public const string SigningSecret = "test-signing-secret";

    private SlackTestHost(FakeSlack fake, FakeTimeProvider clock, ServiceProvider services, RecordingQuestionHandler handler, LogSink logs)
    {
        Fake = fake;
        Clock = clock;
        Services = services;
        Handler = handler;
        Logs = logs;
        Hosted = services.GetRequiredService<SlackHostedService>();
    }

    public FakeSlack Fake { get; }

    public FakeTimeProvider Clock { get; }

    public ServiceProvider Services { get; }

    public RecordingQuestionHandler Handler { get; }

    public LogSink Logs { get; }

    internal SlackHostedService Hosted { get; }

    public SlackHealth Health => Services.GetRequiredService<SlackHealthProbe>().Snapshot();

    /// <summary>
    /// The adapter over the real Core with a SQLite database in <paramref name="folder"/> (storage, conversations), one
    /// Socket Mode connection open: what the follow-up and answer-button tests start from.
    /// </summary>
    public static async Task<(SlackTestHost Host, FakeSlackSocket Socket)> StartWithStorageAsync(string folder, string? contextTtl = null)
    {
        var host = await StartAsync(TestCore.Handler, c =>
        {
            c["Storage:Path"] = Path.Combine(folder, "bot.db");
            c["Storage:BusyTimeout"] = "00:00:02";
            if (contextTtl is not null)
            {
                c["Conversation:ContextTtl"] = contextTtl;
            }
        }, addServices: (s, config) => s.AddStorageAndConversations(config));
        return (host, await host.Fake.WaitForSocketAsync(1));
    }

    public static async Task<SlackTestHost> StartAsync(
        IQuestionHandler core,
        Action<Dictionary<string, string?>>? configure = null,
        bool socketMode = true,
        bool start = true,
        Action<FakeSlack>? beforeStart = null,
        bool systemClock = false,
        Action<IServiceCollection, IConfiguration>? addServices = null)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var fake = await FakeSlack.StartAsync(clock);
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:ApiBaseUrl"] = fake.ApiBaseUrl.ToString(),
            ["Slack:NumberOfConnections"] = "1",
            ["Slack:KeepAliveInterval"] = "00:00:00",
            ["Slack:SilenceTimeout"] = "01:00:00",
            ["Slack:HelloTimeout"] = "01:00:00",
        };
        if (socketMode)
        {
            settings["Slack:AppToken"] = AppToken;
        }

        configure?.Invoke(settings);
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogSink();
        var handler = new RecordingQuestionHandler(core);
        var services = AdapterTestServices.Create(config, logs, LogLevel.Debug, systemClock ? TimeProvider.System : clock, handler).AddSlack(config);
        addServices?.Invoke(services, config);
        // ConversationService (with storage) and the answer buttons read passages with the real engine's planner
        services.TryAddSingleton(TestCore.Engine); // an instance: the host never disposes the shared engine
        var provider = AdapterTestServices.Build(services, handler);
        var host = new SlackTestHost(fake, clock, provider, handler, logs);
        beforeStart?.Invoke(fake);
        if (start)
        {
            await host.StartHostedAsync();
        }

        return host;
    }

    public async Task StartHostedAsync()
    {
        foreach (var hosted in Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        await Hosted.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Advances the fake clock in small steps while waiting (for backoffs, staggering, silence windows).</summary>
    public Task WaitWithClockAsync(Func<bool> condition, string what, TimeSpan step, TimeSpan? timeout = null) =>
        Fake.WaitUntilAsync(condition, what, timeout, () => Clock.Advance(step));

    /// <summary>Stops the adapter (hosted services) but keeps the fake running for inspection.</summary>
    public async Task StopHostedAsync(bool releaseHandler = true)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (releaseHandler)
        {
            Handler.Release();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        foreach (var hosted in Services.GetServices<IHostedService>())
        {
            await hosted.StopAsync(cts.Token);
        }
    }

    private bool _stopped;

    public async ValueTask DisposeAsync()
    {
        await StopHostedAsync();

        // checklist 49 (partly): no secret ever reaches a log line
        AdapterTestServices.AssertNoSecretLogged(Logs, BotToken, AppToken, SigningSecret);

        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
