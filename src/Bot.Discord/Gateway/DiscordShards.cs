using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// The shards this process runs (<c>Discord:ShardCount</c>, <c>Discord:ShardIds</c>): one
/// <see cref="DiscordGatewayConnection"/> per shard, each its own session with its own heartbeat, resume and backoff,
/// all pacing their IDENTIFYs through one <see cref="GatewayIdentifyGate"/>. Their dispatches are merged into
/// <see cref="Dispatches"/> (each stamped with its shard). A shard that stops for good (a fatal close code) does not stop
/// the others. With a fixed list (or every shard) <see cref="RunAsync"/> starts them all; with <c>ShardIds=auto</c> the
/// <see cref="ShardLeaseCoordinator"/> starts and stops shards as this replica wins and gives up their leases.
/// </summary>
internal sealed class DiscordShards
{
    private readonly GatewayIdentifyGate _gate;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random? _random;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<int, DiscordGatewayConnection> _connections = [];
    private readonly Dictionary<int, RunningShard> _running = [];
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateUnbounded<GatewayDispatch>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private int _count;

    public DiscordShards(GatewayIdentifyGate gate, DiscordOptions options, TimeProvider time, ILogger logger, Random? random = null)
    {
        _gate = gate;
        _options = options;
        _time = time;
        _logger = logger;
        _random = random;
        Settings = ShardSettings.Parse(options.ShardCount, options.ShardIds, []);
        _count = Settings.Count ?? 0;
        if (Settings.Count is { } count && !Settings.AutoIds)
        {
            // Known up front: the connections exist (not yet running) from the start, so health and tests see them at once.
            foreach (var id in Settings.IdsFor(count))
            {
                _connections[id] = Create(id, count);
            }
        }
    }

    public ShardSettings Settings { get; }

    /// <summary>The total shard count once known (configured, or recommended by GET /gateway/bot).</summary>
    public int? Count => Volatile.Read(ref _count) is > 0 and var count ? count : null;

    /// <summary>Every shard's dispatches, merged; completed when <see cref="RunAsync"/> ends.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    /// <summary>Why this process runs no shard at all (a bad setting found at run time, a rejected token), or null.</summary>
    public string? FatalError { get; private set; }

    /// <summary>The latest connection of each shard this process ran or runs, by shard id.</summary>
    public IReadOnlyList<DiscordGatewayConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return _connections.Values.ToList();
            }
        }
    }

    /// <summary>The shards running now, by id.</summary>
    public IReadOnlyList<int> Running
    {
        get
        {
            lock (_lock)
            {
                return _running.Keys.Order().ToList();
            }
        }
    }

    /// <summary>Our own user id (from any shard's READY).</summary>
    public string? UserId => Connections.Select(c => c.UserId).FirstOrDefault(id => id is not null);

    /// <summary>Our application id (from any shard's READY).</summary>
    public string? ApplicationId => Connections.Select(c => c.ApplicationId).FirstOrDefault(id => id is not null);

    /// <summary>The connection of shard <paramref name="id"/>, or null.</summary>
    public DiscordGatewayConnection? Get(int id)
    {
        lock (_lock)
        {
            return _connections.GetValueOrDefault(id);
        }
    }

    /// <summary>Runs this process's shards until <paramref name="stoppingToken"/> fires or every shard stopped for good.</summary>
    public async Task RunAsync(Func<CancellationToken, Task>? coordinate, CancellationToken stoppingToken)
    {
        try
        {
            var count = await ResolveCountAsync(stoppingToken).ConfigureAwait(false);
            if (count is null)
            {
                return;
            }

            if (coordinate is not null)
            {
                await coordinate(stoppingToken).ConfigureAwait(false);
                return;
            }

            foreach (var id in Settings.IdsFor(count.Value))
            {
                Start(id, stoppingToken);
            }

            Task[] tasks;
            lock (_lock)
            {
                tasks = _running.Values.Select(r => r.Task).ToArray();
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAllAsync().ConfigureAwait(false);
            _dispatches.Writer.TryComplete();
        }
    }

    /// <summary>The shard count: the configured one, or (auto) the <c>shards</c> GET /gateway/bot recommends; null when that cannot be known.</summary>
    public async Task<int?> ResolveCountAsync(CancellationToken stoppingToken)
    {
        if (Count is { } known)
        {
            return known;
        }

        for (var attempt = 0; ; attempt++)
        {
            var info = await _gate.GetInfoAsync(stoppingToken).ConfigureAwait(false);
            if (info is not null)
            {
                var count = Math.Clamp(info.Shards, 1, ShardSettings.MaxShards);
                if (Settings.CheckIdsAgainst(count, "the shard count GET /gateway/bot recommends (Discord:ShardCount=auto)") is { } error)
                {
                    Fail(error);
                    return null;
                }

                Volatile.Write(ref _count, count);
                DiscordLog.ShardCountResolved(_logger, count, info.MaxConcurrency);
                return count;
            }

            if (_gate.Unauthorized)
            {
                Fail("Discord rejected the bot token (HTTP 401 on GET /gateway/bot): check Discord:Token");
                return null;
            }

            var delay = Bot.Core.Chat.Backoff.Delay(_options.ReconnectBaseDelay, _options.ReconnectMaxDelay, Math.Min(attempt, 20));
            await Task.Delay(delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts shard <paramref name="id"/> (a fresh session) unless it runs already.</summary>
    public void Start(int id, CancellationToken stoppingToken)
    {
        var count = Count ?? throw new InvalidOperationException("shard count not resolved");
        lock (_lock)
        {
            if (_running.ContainsKey(id))
            {
                return;
            }

            if (!_connections.TryGetValue(id, out var connection) || connection.Started || connection.Shard.Count != count)
            {
                connection = Create(id, count);
                _connections[id] = connection;
            }

            connection.Started = true;
            var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var run = Task.Run(() => connection.RunAsync(cts.Token), CancellationToken.None);
            var pump = Task.Run(() => PumpAsync(connection), CancellationToken.None);
            _running[id] = new RunningShard(connection, cts, Task.WhenAll(run, pump));
        }

        DiscordLog.ShardStarting(_logger, id, count);
    }

    /// <summary>Stops shard <paramref name="id"/> (closes its session with 1000) and waits until it has stopped.</summary>
    public async Task StopAsync(int id)
    {
        RunningShard? running;
        lock (_lock)
        {
            if (!_running.Remove(id, out running))
            {
                return;
            }
        }

        await running.StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every running shard.</summary>
    public Task StopAllAsync() => Task.WhenAll(Running.Select(StopAsync));

    /// <summary>True when no shard of this process can run any more: a fatal error, or every shard stopped with a fatal close code.</summary>
    public bool StoppedForGood(out string reason)
    {
        if (FatalError is { } error)
        {
            reason = error;
            return true;
        }

        var connections = Connections;
        if (connections.Count > 0 && connections.All(c => c.State == GatewayState.Failed))
        {
            var code = connections.Select(c => c.FatalCloseCode).FirstOrDefault(c => c is not null) ?? 0;
            reason = $"Discord closed the gateway with {code} ({GatewayCloseCodes.Fix(code)})";
            return true;
        }

        reason = "";
        return false;
    }

    /// <summary>"Ready" for one shard, else e.g. "0 Ready, 1 Resuming" (for logs).</summary>
    public string Summary()
    {
        var connections = Connections;
        return connections.Count == 1 ? connections[0].State.ToString()
            : string.Join(", ", connections.Select(c => $"{c.Shard.Id} {c.State}"));
    }

    private void Fail(string error)
    {
        FatalError = error;
        DiscordLog.ShardsFailed(_logger, error);
    }

    private DiscordGatewayConnection Create(int id, int count) =>
        new(_gate, _options, _time, _logger, new GatewayShard(id, count), _random);

    private async Task PumpAsync(DiscordGatewayConnection connection)
    {
        await foreach (var dispatch in connection.Dispatches.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _dispatches.Writer.TryWrite(dispatch);
        }
    }

    private sealed record RunningShard(DiscordGatewayConnection Connection, CancellationTokenSource Cts, Task Task)
    {
        public async Task StopAsync()
        {
            await Cts.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Cts.Dispose();
            }
        }
    }
}
