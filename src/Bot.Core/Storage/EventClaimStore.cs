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
}

/// <summary>
/// <see cref="IEventClaims"/> over the <c>claims</c> table (key hash, expiry), on either provider. Expired rows are deleted
/// at most once a minute by the claim that finds them due. A database that cannot answer within about a second does not
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
            return _db.RunQuick(c =>
            {
                if (now.UtcTicks >= Interlocked.Read(ref _nextSweepTicks))
                {
                    Interlocked.Exchange(ref _nextSweepTicks, (now + SweepEvery).UtcTicks);
                    c.Exec("DELETE FROM claims WHERE expires_utc <= @now AND key LIKE 'event:%';", ("@now", Db.Time(now)));
                }

                return TryClaim(c, EventPrefix + Hash(key), now, now + ttl);
            });
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

    /// <summary>Deletes expired claims now; returns how many went.</summary>
    public int Sweep() => _db.Run(c => c.Exec("DELETE FROM claims WHERE expires_utc <= @now;", ("@now", Db.Time(_time.GetUtcNow()))));

    /// <summary>Hex SHA-256 of the key: event ids can embed user or channel ids, and the store keeps none.</summary>
    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event claim failed, answering without the shared check (another replica may answer too): {Reason}")]
    private static partial void LogClaimFailed(ILogger logger, string reason);
}
