using Bot.TestSupport;
using Bot.Core.Commands;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Support;

/// <summary>
/// The real Discord adapter (through AddDiscord) wired to a fake Discord on 127.0.0.1:0 and a fake clock.
/// </summary>
internal sealed class DiscordTestHost : IAsyncDisposable
{
    public const string Token = "test-bot-token";

    private readonly bool _ownsFake;

    private DiscordTestHost(FakeDiscordServer fake, FakeTimeProvider time, ServiceProvider services, LogSink logs, RecordingQuestionHandler questions, bool ownsFake)
    {
        _ownsFake = ownsFake;
        Fake = fake;
        Time = time;
        Services = services;
        Logs = logs;
        Questions = questions;
    }

    public FakeDiscordServer Fake { get; }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Services { get; }

    public LogSink Logs { get; }

    public RecordingQuestionHandler Questions { get; }

    public DiscordBotService Service => Services.GetRequiredService<DiscordBotService>();

    public DiscordShards Shards => Services.GetRequiredService<DiscordShards>();

    /// <summary>The connection of the lowest shard this process runs (shard 0 unless configured otherwise).</summary>
    public DiscordGatewayConnection Gateway => Shards.Connections[0];

    public DiscordRestClient Rest => Services.GetRequiredService<DiscordRestClient>();

    public static async Task<DiscordTestHost> CreateAsync(
        Action<Dictionary<string, string?>>? configure = null,
        Action<FakeDiscordServer>? setupFake = null,
        Random? random = null,
        IQuestionHandler? inner = null,
        bool realClock = false,
        string? storagePath = null,
        FakeDiscordServer? sharedFake = null,
        FakeTimeProvider? sharedTime = null)
    {
        var time = sharedTime ?? new FakeTimeProvider(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
        TimeProvider clock = realClock ? TimeProvider.System : time;
        var fake = sharedFake ?? await FakeDiscordServer.StartAsync(clock);
        setupFake?.Invoke(fake);
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Token"] = Token,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl,
            ["Discord:ReconnectBaseDelay"] = "00:00:00",
            ["Discord:ReconnectMaxDelay"] = "00:00:00",
            ["Discord:RetryBaseDelay"] = "00:00:00",
            ["Discord:ShutdownTimeout"] = "00:00:05",
        };
        if (storagePath is not null)
        {
            settings["Storage:Path"] = storagePath;
        }

        configure?.Invoke(settings);
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogSink();
        var questions = new RecordingQuestionHandler(inner ?? TestCore.CreateHandler()) { HoldIgnoresCancellation = true };
        var services = AdapterTestServices.Create(config, logs, LogLevel.Trace, clock, questions);
        if (random is not null)
        {
            services.AddSingleton(random);
        }

        if (storagePath is not null)
        {
            services.AddStorageAndConversations(config);
        }

        services.AddDiscord(config);
        var sp = AdapterTestServices.Build(services, questions);
        return new DiscordTestHost(fake, time, sp, logs, questions, ownsFake: sharedFake is null);
    }

    /// <summary>Creates, starts and waits for READY and the command registration.</summary>
    public static async Task<DiscordTestHost> StartReadyAsync(
        Action<Dictionary<string, string?>>? configure = null,
        Action<FakeDiscordServer>? setupFake = null,
        Random? random = null,
        string? storagePath = null)
    {
        var host = await CreateAsync(configure, setupFake, random, storagePath: storagePath);
        await host.StartAsync();
        await host.WaitReadyAsync();
        return host;
    }

    public Task StartAsync() => Service.StartAsync(CancellationToken.None);

    public async Task WaitReadyAsync()
    {
        await FakeDiscordServer.WaitUntilAsync(() => Shards.Connections is { Count: > 0 } all && all.All(c => c.State == GatewayState.Ready), "READY");
        if (Shards.Get(0) is not null)
        {
            await Service.CommandsRegistered.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Service.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }

        await Services.DisposeAsync();
        if (_ownsFake)
        {
            await Fake.DisposeAsync();
        }

        AdapterTestServices.AssertNoSecretLogged(Logs, Token, "interaction-token-");
    }
}
