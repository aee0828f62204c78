using Bot.TestSupport;
using Bot.Core.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.Fakes;

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
    public static async Task<(SlackTestHost Host, FakeSocket Socket)> StartWithStorageAsync(string folder, string? contextTtl = null)
    {
        var host = await StartAsync(TestCore.Handler, c =>
        {
            c["Storage:Path"] = Path.Combine(folder, "bot.db");
            c["Storage:BusyTimeout"] = "00:00:02";
            if (contextTtl is not null)
            {
                c["Conversation:ContextTtl"] = contextTtl;
            }
        }, addServices: (s, config) =>
        {
            Bot.Core.StorageServiceCollectionExtensions.AddBotStorage(s, config);
            s.AddOptions<Bot.Core.Conversations.ConversationOptions>().Bind(config.GetSection(Bot.Core.Conversations.ConversationOptions.Section));
        });
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
        IServiceCollection services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddSingleton<TimeProvider>(systemClock ? TimeProvider.System : clock)
            .AddSingleton<IQuestionHandler>(handler)
            .AddSlack(config);
        services.AddOptions<QuestionExecutorOptions>().Bind(config.GetSection(QuestionExecutorOptions.Section));
        services.AddSingleton<QuestionExecutor>();
        addServices?.Invoke(services, config);
        // with storage (AddBotStorage), ConversationService reads follow-ups with the real engine's planner
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton(services, TestCore.Engine); // an instance: the host never disposes the shared engine
        var provider = services
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        handler.UseExecutor(provider.GetRequiredService<QuestionExecutor>());
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
        foreach (var line in Logs.Lines)
        {
            Assert.DoesNotContain(BotToken, line, StringComparison.Ordinal);
            Assert.DoesNotContain(AppToken, line, StringComparison.Ordinal);
            Assert.DoesNotContain(SigningSecret, line, StringComparison.Ordinal);
        }

        await Services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
