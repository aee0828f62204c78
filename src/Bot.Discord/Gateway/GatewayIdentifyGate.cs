using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// What every shard of this process shares before it may start a session: the cached <c>GET /gateway/bot</c> answer
/// (gateway URL, recommended shard count, <c>session_start_limit</c>), and the IDENTIFY pacing (§1.6):
/// one IDENTIFY per 5 s per rate-limit bucket (<c>shard_id % max_concurrency</c>), never past
/// <c>session_start_limit.remaining</c> (waits for <c>reset_after</c>), and at most
/// <see cref="DiscordOptions.MaxIdentifiesPerHour"/> per shard per rolling hour (a local guard against flapping).
/// A turn is taken (recorded) when granted, so two shards of one bucket never identify within 5 s of each other.
/// </summary>
internal sealed class GatewayIdentifyGate
{
    /// <summary>Discord's window per rate-limit bucket.</summary>
    public static readonly TimeSpan BucketWindow = TimeSpan.FromSeconds(5);

    private readonly DiscordRestClient _rest;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private readonly Dictionary<int, DateTimeOffset> _lastByBucket = [];
    private readonly Dictionary<int, Queue<DateTimeOffset>> _hourByShard = [];
    private readonly Dictionary<int, int> _held = []; // bucket -> shard holding its turn
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GatewayBotInfo? _info;
    private DateTimeOffset _infoFetchedAt;
    private int _remainingStarts;

    public GatewayIdentifyGate(DiscordRestClient rest, DiscordOptions options, TimeProvider time, ILogger logger)
    {
        _rest = rest;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>True after Discord rejected the token: no shard may keep trying.</summary>
    public bool Unauthorized => _rest.IsUnauthorized;

    /// <summary>The cached gateway info, if fetched.</summary>
    public GatewayBotInfo? Info
    {
        get
        {
            lock (_gate)
            {
                return _info;
            }
        }
    }

    /// <summary>The rate-limit bucket of <paramref name="shardId"/>: <c>shard_id % max_concurrency</c>.</summary>
    public int Bucket(int shardId) => Bucket(shardId, Info);

    /// <summary>
    /// The cached <c>GET /gateway/bot</c> answer, fetched when missing or when the session starts ran out and their
    /// reset time passed; null when the call failed (logged; the caller backs off).
    /// </summary>
    public async Task<GatewayBotInfo?> GetInfoAsync(CancellationToken cancellationToken)
    {
        await _fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_info is not null && (_remainingStarts > 0 || _time.GetUtcNow() < _infoFetchedAt + _info.ResetAfter))
                {
                    return _info;
                }
            }

            try
            {
                var info = await _rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _info = info;
                    _infoFetchedAt = _time.GetUtcNow();
                    _remainingStarts = info.Remaining;
                }

                return info;
            }
            catch (DiscordApiException ex)
            {
                DiscordLog.GatewayInfoFailed(_logger, ex.ErrorName, ex.DiscordMessage);
                return null;
            }
        }
        finally
        {
            _fetch.Release();
        }
    }

    /// <summary>Forgets the cached gateway URL (connecting to it failed): the next start fetches it again.</summary>
    public void Forget()
    {
        lock (_gate)
        {
            _info = null;
        }
    }

    /// <summary>
    /// Waits until shard <paramref name="shardId"/> may IDENTIFY and holds its bucket's turn: no other shard of the bucket
    /// is granted one until this turn is <see cref="IdentifyTurn.Sent"/> (which starts the 5-s window) or disposed unused
    /// (the socket ended before HELLO: nothing was sent, nothing is counted).
    /// </summary>
    public async Task<IdentifyTurn> WaitTurnAsync(int shardId, CancellationToken cancellationToken)
    {
        var warned = false;
        while (true)
        {
            TimeSpan wait;
            int recent;
            int remaining;
            bool refetch;
            Task? released = null;
            lock (_gate)
            {
                var bucket = Bucket(shardId, _info);
                if (_held.TryGetValue(bucket, out var holder) && holder != shardId)
                {
                    released = _changed.Task;
                    (wait, refetch) = (Timeout.InfiniteTimeSpan, false);
                }
                else
                {
                    (wait, refetch) = NextWait(shardId, bucket, _time.GetUtcNow());
                    if (wait <= TimeSpan.Zero && !refetch)
                    {
                        _held[bucket] = shardId;
                        return new IdentifyTurn(this, shardId, bucket);
                    }
                }

                recent = Hour(shardId).Count;
                remaining = _remainingStarts;
            }

            if (released is not null)
            {
                await released.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (refetch)
            {
                Forget();
                if (await GetInfoAsync(cancellationToken).ConfigureAwait(false) is not null)
                {
                    continue;
                }

                var backoff = Bot.Core.Chat.Backoff.Delay(_options.ReconnectBaseDelay, _options.ReconnectMaxDelay, 3);
                wait = backoff > TimeSpan.FromSeconds(1) ? backoff : TimeSpan.FromSeconds(1); // never a hot loop of GET /gateway/bot
            }

            if (!warned && wait > BucketWindow)
            {
                warned = true;
                DiscordLog.IdentifyBudgetWait(_logger, wait.TotalSeconds, recent, remaining);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int Bucket(int shardId, GatewayBotInfo? info) => shardId % Math.Max(1, info?.MaxConcurrency ?? 1);

    private void Finish(IdentifyTurn turn, bool sent)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (sent)
            {
                var now = _time.GetUtcNow();
                Hour(turn.ShardId).Enqueue(now);
                _lastByBucket[turn.Bucket] = now;
                _remainingStarts--;
            }

            if (_held.TryGetValue(turn.Bucket, out var holder) && holder == turn.ShardId)
            {
                _held.Remove(turn.Bucket);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private (TimeSpan Wait, bool Refetch) NextWait(int shardId, int bucket, DateTimeOffset now)
    {
        var hour = Hour(shardId);
        while (hour.Count > 0 && hour.Peek() <= now - TimeSpan.FromHours(1))
        {
            hour.Dequeue();
        }

        if (hour.Count >= _options.MaxIdentifiesPerHour)
        {
            return (hour.Peek() + TimeSpan.FromHours(1) - now, false);
        }

        if (_info is not null && _remainingStarts <= 0)
        {
            var reset = _infoFetchedAt + _info.ResetAfter - now;
            return reset > TimeSpan.Zero ? (reset, false) : (TimeSpan.Zero, true);
        }

        if (_lastByBucket.TryGetValue(bucket, out var last) && last + BucketWindow > now)
        {
            return (last + BucketWindow - now, false);
        }

        return (TimeSpan.Zero, false);
    }

    private Queue<DateTimeOffset> Hour(int shardId)
    {
        if (!_hourByShard.TryGetValue(shardId, out var queue))
        {
            queue = new Queue<DateTimeOffset>();
            _hourByShard[shardId] = queue;
        }

        return queue;
    }

    /// <summary>One shard's granted turn to IDENTIFY (see <see cref="WaitTurnAsync"/>).</summary>
    public sealed class IdentifyTurn : IDisposable
    {
        private readonly GatewayIdentifyGate _owner;
        private int _done;

        internal IdentifyTurn(GatewayIdentifyGate owner, int shardId, int bucket)
        {
            _owner = owner;
            ShardId = shardId;
            Bucket = bucket;
        }

        public int ShardId { get; }

        public int Bucket { get; }

        /// <summary>The IDENTIFY went out now: counts it and starts the bucket's 5-s window.</summary>
        public void Sent()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                _owner.Finish(this, sent: true);
            }
        }

        /// <summary>Gives an unused turn back.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                _owner.Finish(this, sent: false);
            }
        }
    }
}
