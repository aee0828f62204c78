using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// <c>Discord:ShardIds=auto</c>: replicas sharing one store split the shards through leases (<see cref="IShardLeases"/>).
/// Every <see cref="DiscordOptions.ShardLeaseRenewInterval"/> this replica renews its liveness lease
/// (<c>replica-{owner}</c>), renews the shard leases it holds (a renewal that fails stops that shard at once, so no two
/// replicas ever run one shard), counts the live replicas, and moves towards its fair share, ceil(shards / replicas):
/// it gives up its highest shards when it holds more (stop first, then release), or takes free and expired shard leases
/// when it holds fewer (acquire first, then start). A replica that dies stops renewing; its leases expire after
/// <see cref="DiscordOptions.ShardLeaseTtl"/>, and the survivors take its shards on their next tick.
/// </summary>
internal sealed class ShardLeaseCoordinator
{
    public const string ReplicaPrefix = "replica-";

    private readonly DiscordShards _shards;
    private readonly IShardLeases? _leases;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SortedSet<int> _held = [];
    private readonly Lock _gate = new();

    public ShardLeaseCoordinator(DiscordShards shards, IShardLeases? leases, DiscordOptions options, TimeProvider time, ILogger logger,
        string? owner = null)
    {
        _shards = shards;
        _leases = leases;
        _options = options;
        _time = time;
        _logger = logger;
        Owner = owner ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This replica's owner id in the leases (host name, process id, a random part).</summary>
    public string Owner { get; }

    /// <summary>When false, a stop leaves the leases to expire instead of releasing them (tests simulate SIGKILL with it).</summary>
    public bool ReleaseOnStop { get; set; } = true;

    /// <summary>The shards whose leases this replica holds.</summary>
    public IReadOnlyList<int> Held
    {
        get
        {
            lock (_gate)
            {
                return _held.ToList();
            }
        }
    }

    /// <summary>Ticks done (tests wait on it instead of sleeping).</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    private long _ticks;

    private string ReplicaName => ReplicaPrefix + Owner;

    /// <summary>Runs until <paramref name="stoppingToken"/> fires; then stops the shards and (normally) releases every lease.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_leases is null)
        {
            DiscordLog.ShardsFailed(_logger, "Discord:ShardIds=auto needs the shared store (Storage:Path, or Storage:Provider=postgres with Storage:ConnectionString)");
            return;
        }

        var count = _shards.Count ?? throw new InvalidOperationException("shard count not resolved");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await TickAsync(_leases, count, stoppingToken).ConfigureAwait(false);
                var next = Task.Delay(_options.ShardLeaseRenewInterval, _time, stoppingToken);
                Interlocked.Increment(ref _ticks); // after the timer exists: observers may advance a fake clock now
                await next.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await _shards.StopAllAsync().ConfigureAwait(false);
            if (ReleaseOnStop)
            {
                ReleaseAll(_leases);
            }
        }
    }

    private async Task TickAsync(IShardLeases leases, int count, CancellationToken stoppingToken)
    {
        try
        {
            await BalanceAsync(leases, count, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without the store we cannot know that nobody else took our shards: stop them all until it answers again.
            DiscordLog.ShardLeasesUnavailable(_logger, ex.GetType().Name, Held.Count);
            foreach (var id in Held)
            {
                await StopAsync(id).ConfigureAwait(false);
            }
        }
    }

    private async Task BalanceAsync(IShardLeases leases, int count, CancellationToken stoppingToken)
    {
        List<int> lost = [];
        leases.TryAcquire(ReplicaName, Owner, _options.ShardLeaseTtl);
        foreach (var id in Held)
        {
            if (!leases.Renew(ShardLeaseStore.ShardName(id), Owner, _options.ShardLeaseTtl))
            {
                lost.Add(id);
            }
        }

        var replicas = Math.Max(1, leases.LiveOwners(ReplicaPrefix).Count);

        foreach (var id in lost)
        {
            DiscordLog.ShardLeaseLost(_logger, id);
            await StopAsync(id).ConfigureAwait(false);
        }

        var share = (count + replicas - 1) / replicas;
        var held = Held;
        foreach (var id in held.Skip(share).Reverse())
        {
            // More than our share: another replica appeared. Stop the session first, then let the lease go.
            await StopAsync(id).ConfigureAwait(false);
            leases.Release(ShardLeaseStore.ShardName(id), Owner);
            DiscordLog.ShardLeaseReleased(_logger, id, replicas);
        }

        for (var id = 0; id < count && Held.Count < share && !stoppingToken.IsCancellationRequested; id++)
        {
            if (Held.Contains(id) || !leases.TryAcquire(ShardLeaseStore.ShardName(id), Owner, _options.ShardLeaseTtl))
            {
                continue;
            }

            lock (_gate)
            {
                _held.Add(id);
            }

            DiscordLog.ShardLeaseAcquired(_logger, id, count, replicas);
            _shards.Start(id, stoppingToken);
        }
    }

    private async Task StopAsync(int id)
    {
        lock (_gate)
        {
            _held.Remove(id);
        }

        await _shards.StopAsync(id).ConfigureAwait(false);
    }

    private void ReleaseAll(IShardLeases leases)
    {
        try
        {
            foreach (var id in Held)
            {
                leases.Release(ShardLeaseStore.ShardName(id), Owner);
            }

            leases.Release(ReplicaName, Owner);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DiscordLog.ShardLeasesUnavailable(_logger, ex.GetType().Name, Held.Count); // they expire by themselves
        }

        lock (_gate)
        {
            _held.Clear();
        }
    }
}
