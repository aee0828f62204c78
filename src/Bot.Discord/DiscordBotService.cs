using Bot.Core.Chat;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>
/// The Discord adapter's hosted service: runs this process's gateway shards (<see cref="DiscordShards"/>), reads their
/// dispatches and hands each one to a handler task (so no receive loop waits on retrieval), registers the commands after
/// shard 0's first READY (so only the process holding shard 0 does), and on stop closes every socket with 1000 and gives
/// in-flight answers until <see cref="DiscordOptions.ShutdownTimeout"/>.
/// </summary>
internal sealed class DiscordBotService : ChatAdapterService
{
    private readonly DiscordShards _shards;
    private readonly ShardLeaseCoordinator? _coordinator;
    private readonly DiscordRestClient _rest;
    private readonly DiscordMessageHandler _messages;
    private readonly DiscordInteractionHandler _interactions;
    private readonly DiscordOptions _options;
    private readonly ILogger<DiscordBotService> _logger;
    private readonly InFlightReplies _inFlight;
    private int _commandsRegistered;

    public DiscordBotService(
        DiscordShards shards,
        DiscordRestClient rest,
        DiscordMessageHandler messages,
        DiscordInteractionHandler interactions,
        IOptions<DiscordOptions> options,
        TimeProvider time,
        ILogger<DiscordBotService> logger,
        ShardLeaseCoordinator? coordinator = null)
        : base("discord")
    {
        _coordinator = coordinator;
        _shards = shards;
        _rest = rest;
        _messages = messages;
        _interactions = interactions;
        _options = options.Value;
        _logger = logger;
        _inFlight = new InFlightReplies("Discord", time, logger);
    }

    /// <summary>Answers still running.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Completes once the command list was PUT (or failed) after shard 0's first READY.</summary>
    public Task CommandsRegistered => _commandsTcs.Task;

    private readonly TaskCompletionSource<bool> _commandsTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _inFlight.Track("warm-up", ct => Task.Run(() => _messages.WarmUpAsync(ct), CancellationToken.None)); // alongside the gateway handshake
        var gateway = Task.Run(() => _shards.RunAsync(_coordinator is null ? null : _coordinator.RunAsync, stoppingToken), CancellationToken.None);
        await foreach (var dispatch in _shards.Dispatches.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            switch (dispatch.Type)
            {
                case "READY":
                    // Commands are global (or per guild), not per shard: registered once, by the process holding shard 0.
                    if (dispatch.Shard == 0 && Interlocked.Exchange(ref _commandsRegistered, 1) == 0)
                    {
                        _inFlight.Track("READY", RegisterCommandsAsync);
                    }

                    break;
                case "MESSAGE_CREATE":
                    _inFlight.Track(dispatch.Type, ct => Task.Run(() => _messages.HandleAsync(dispatch, ct), CancellationToken.None));
                    break;
                case "INTERACTION_CREATE":
                    _inFlight.Track(dispatch.Type, ct => Task.Run(() => _interactions.HandleAsync(dispatch, ct), CancellationToken.None));
                    break;
            }
        }

        try
        {
            await gateway.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never take the host (and the Slack adapter) down with us.
            DiscordLog.AdapterCrashed(_logger, ex);
            StopForGood(CrashReason("Discord", ex));
        }
        catch (OperationCanceledException)
        {
        }

        if (!stoppingToken.IsCancellationRequested && _shards.StoppedForGood(out var reason))
        {
            StopForGood(reason);
        }

        await _inFlight.DrainAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        DiscordLog.Stopped(_logger, _shards.Summary());
    }

    public override void Dispose()
    {
        _inFlight.Dispose();
        base.Dispose();
    }

    /// <summary>Bulk overwrite to Discord:GuildId when set, otherwise global.</summary>
    internal async Task RegisterCommandsAsync(CancellationToken cancellationToken)
    {
        var scope = string.IsNullOrEmpty(_options.GuildId) ? "global" : "guild " + _options.GuildId;
        try
        {
            var applicationId = _shards.ApplicationId ?? _options.ApplicationId;
            if (applicationId is null)
            {
                DiscordLog.CommandsRegistrationFailed(_logger, scope, "no application id in READY");
                return;
            }

            await _rest.BulkOverwriteCommandsAsync(applicationId, _options.GuildId, DiscordCommands.All, cancellationToken).ConfigureAwait(false);
            DiscordLog.CommandsRegistered(_logger, DiscordCommands.All.Count, scope);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.CommandsRegistrationFailed(_logger, scope, ex.Message);
        }
        finally
        {
            _commandsTcs.TrySetResult(true);
        }
    }
}
