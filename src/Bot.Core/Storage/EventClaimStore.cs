using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Storage;

/// <summary>
/// "Claimed once" records for chat events, shared by every process using the database: with several replicas on one
/// PostgreSQL database, each incoming event, command, shortcut or interaction is answered by the one replica whose
/// claim succeeded (Slack redelivers an envelope to another connection after a missed ack; Discord replays events after a
/// resume or a shard takeover).
/// </summary>
public interface IEventClaims
{
    /// <summary>
    /// Claims <paramref name="key"/> (an event, envelope, message, interaction or trigger id, with a prefix naming the
    /// platform) for <paramref name="ttl"/>. True for the first claim, in this process or any other, and again once an
    /// earlier claim has expired; false while another claim holds it. The database decides (one row per key, inserted by
    /// one caller only), never timing. Keys are stored only as SHA-256 hashes, so no platform id lands in the store.
    /// </summary>
    bool TryClaim(string key, TimeSpan ttl);

    /// <summary>
    /// Makes a claim this caller won last at least <paramref name="ttl"/> from now (its expiry only ever moves later): a
    /// claim taken short, to cover the time until the platform's ack is sent, gets its full lifetime once acked. When the short
    /// claim has already expired and nobody else took it, the key is claimed again. Never throws for a database
    /// that cannot answer (the claim then keeps its short life; logged).
    /// </summary>
    void Extend(string key, TimeSpan ttl);
}

/// <summary>
/// <see cref="IEventClaims"/> over the <c>claims</c> table (key hash, expiry), on either provider. Expired rows are deleted
/// at most once a minute, in the background, after the claim that finds a sweep due. A database that cannot answer within about a second does not
/// hold events up: the claim counts as won (answering twice in an outage beats answering never) and a warning is logged
/// at most once a minute.
/// </summary>
public sealed partial class EventClaimStore : IEventClaims
{
    /// <summary>Prefix of every event claim's stored key (other claims, such as the daily purge, use their own).</summary>
    internal const string EventPrefix = "event:";

    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly BotDatabase _db;
    private readonly TimeProvider _time;
    private readonly ILogger<EventClaimStore> _logger;
    private long _nextSweepTicks;
    private long _nextWarningTicks;

    public EventClaimStore(BotDatabase db, TimeProvider time, ILogger<EventClaimStore> logger)
    {
        _db = db;
        _time = time;
        _logger = logger;
    }

    /// <summary>Claims that failed on a database error and were let through (since start).</summary>
    public long FailedOpen => Interlocked.Read(ref _failedOpen);

    private long _failedOpen;

    public bool TryClaim(string key, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), "a claim lasts a positive time");
        }

        var now = _time.GetUtcNow();
        try
        {
            var won = _db.RunQuick(c => TryClaim(c, EventPrefix + Hash(key), now, now + ttl));
            if (now.UtcTicks >= Interlocked.Read(ref _nextSweepTicks))
            {
                // Off the receive path: the event's acknowledgement never waits for the sweep.
                Interlocked.Exchange(ref _nextSweepTicks, (now + SweepEvery).UtcTicks);
                _ = Task.Run(() => SweepEvents(now));
            }

            return won;
        }
        catch (StorageException ex)
        {
            Interlocked.Increment(ref _failedOpen);
            if (now.UtcTicks >= Interlocked.Read(ref _nextWarningTicks))
            {
                Interlocked.Exchange(ref _nextWarningTicks, (now + SweepEvery).UtcTicks);
                LogClaimFailed(_logger, ex.Message);
            }

            return true;
        }
    }

    public void Extend(string key, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), "a claim lasts a positive time");
        }

        var now = _time.GetUtcNow();
        try
        {
            _db.RunQuick(c => Extend(c, EventPrefix + Hash(key), now + ttl));
        }
        catch (StorageException ex)
        {
            Interlocked.Increment(ref _failedExtends);
            if (now.UtcTicks >= Interlocked.Read(ref _nextWarningTicks))
            {
                Interlocked.Exchange(ref _nextWarningTicks, (now + SweepEvery).UtcTicks);
                LogExtendFailed(_logger, ex.Message);
            }
        }
    }

    /// <summary>Extensions that failed on a database error (since start): those claims kept their short life.</summary>
    public long FailedExtends => Interlocked.Read(ref _failedExtends);

    private long _failedExtends;

    /// <summary>
    /// Sets the key's expiry to <paramref name="expires"/> unless it already lasts longer (upsert: the row may have been
    /// swept after it expired). One statement, so concurrent extends and claims of the key are decided by its unique index.
    /// </summary>
    internal static int Extend(DbConnection c, string storedKey, DateTimeOffset expires) => c.Exec(
        """
        INSERT INTO claims (key, expires_utc) VALUES (@k, @e)
        ON CONFLICT (key) DO UPDATE SET expires_utc = excluded.expires_utc WHERE claims.expires_utc < excluded.expires_utc;
        """,
        ("@k", storedKey), ("@e", Db.Time(expires)));

    /// <summary>
    /// One claim on <paramref name="c"/>: inserts the key, or takes over an expired row; true when this call's row is the
    /// one stored. Concurrent callers on PostgreSQL wait on the key's unique index for the first to commit, then see its
    /// live row and get false; on SQLite writers are serialised.
    /// </summary>
    internal static bool TryClaim(DbConnection c, string storedKey, DateTimeOffset now, DateTimeOffset expires) => c.Scalar(
        """
        INSERT INTO claims (key, expires_utc) VALUES (@k, @e)
        ON CONFLICT (key) DO UPDATE SET expires_utc = excluded.expires_utc WHERE claims.expires_utc <= @now
        RETURNING 1;
        """,
        ("@k", storedKey), ("@e", Db.Time(expires)), ("@now", Db.Time(now))) is not null;

    /// <summary>Live claims, for tests and the dashboard (stored keys are hashes).</summary>
    public int Count() => _db.Run(c => (int)c.Long("SELECT COUNT(*) FROM claims WHERE key LIKE 'event:%' AND expires_utc > @now;", ("@now", Db.Time(_time.GetUtcNow()))));

    private void SweepEvents(DateTimeOffset now)
    {
        try
        {
            _db.Run(c => c.Exec("DELETE FROM claims WHERE expires_utc <= @now AND key LIKE 'event:%';", ("@now", Db.Time(now))));
        }
        catch (StorageException ex)
        {
            LogClaimFailed(_logger, ex.Message);
        }
    }

    /// <summary>Deletes expired claims now; returns how many went.</summary>
    public int Sweep() => _db.Run(c => c.Exec("DELETE FROM claims WHERE expires_utc <= @now;", ("@now", Db.Time(_time.GetUtcNow()))));

    /// <summary>Hex SHA-256 of the key: event ids can embed user or channel ids, and the store keeps none.</summary>
    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event claim failed, answering without the shared check (another replica may answer too): {Reason}")]
    private static partial void LogClaimFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Extending an acknowledged event's claim failed; it keeps its short life (a redelivery after it could be answered twice): {Reason}")]
    private static partial void LogExtendFailed(ILogger logger, string reason);
}
