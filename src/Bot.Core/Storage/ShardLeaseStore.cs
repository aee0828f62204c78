namespace Bot.Core.Storage;

/// <summary>One live lease: <see cref="Name"/> held by <see cref="Owner"/> until <see cref="Expires"/>.</summary>
public sealed record ShardLease(string Name, string Owner, DateTimeOffset Expires, DateTimeOffset Acquired);

/// <summary>
/// Named, expiring leases in the shared database, for work that exactly one replica must do at a time: Discord shards
/// (<c>discord-shard-0</c>, <c>discord-shard-1</c>, …, see <see cref="ShardName"/>), or a replica's own liveness
/// (<c>replica-{owner}</c>, so that others can count the live replicas with <see cref="LiveOwners"/>).
/// <para>
/// A lease belongs to one owner (a string unique per process, e.g. host name + process id + a random suffix) until it
/// expires. The owner renews it well within its time to live (e.g. every 10 s for a 30 s lease); when the owner dies, the
/// lease expires and another replica's <see cref="TryAcquire"/> takes it over. Every decision is one statement on the
/// lease's primary key, so the database, not timing, decides who holds it: of replicas acquiring at once, one wins.
/// </para>
/// <para>
/// Times come from each process's clock (<see cref="TimeProvider"/>): keep replicas' clocks in sync (NTP). A skew of s
/// makes a lease look expired s early to the process whose clock runs ahead; keep the time to live well above it.
/// </para>
/// </summary>
public interface IShardLeases
{
    /// <summary>
    /// Takes lease <paramref name="name"/> for <paramref name="owner"/> until now + <paramref name="ttl"/> when nobody holds
    /// it, it has expired, or <paramref name="owner"/> already holds it (which renews it). False when another owner holds it.
    /// </summary>
    bool TryAcquire(string name, string owner, TimeSpan ttl);

    /// <summary>
    /// Extends <paramref name="owner"/>'s lease to now + <paramref name="ttl"/>. False when the lease is not
    /// <paramref name="owner"/>'s (never taken, released, or taken over after expiring): stop the work it guards.
    /// A lease that expired but that nobody took over is still the owner's and renews.
    /// </summary>
    bool Renew(string name, string owner, TimeSpan ttl);

    /// <summary>Gives the lease up at once (only <paramref name="owner"/>'s own); false when it was not theirs.</summary>
    bool Release(string name, string owner);

    /// <summary>Unexpired leases whose name starts with <paramref name="prefix"/> (all when empty), by name.</summary>
    IReadOnlyList<ShardLease> Live(string prefix = "");

    /// <summary>The distinct owners of unexpired leases whose name starts with <paramref name="prefix"/>, sorted.</summary>
    IReadOnlyList<string> LiveOwners(string prefix = "");
}

/// <summary><see cref="IShardLeases"/> over the <c>leases</c> table, on either provider.</summary>
public sealed class ShardLeaseStore : IShardLeases
{
    private readonly BotDatabase _db;
    private readonly TimeProvider _time;

    public ShardLeaseStore(BotDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    /// <summary>The lease name of Discord shard <paramref name="shardId"/>: <c>discord-shard-{id}</c>.</summary>
    public static string ShardName(int shardId) => $"discord-shard-{shardId}";

    public bool TryAcquire(string name, string owner, TimeSpan ttl)
    {
        Check(name, owner, ttl);
        var now = _time.GetUtcNow();
        // Insert, or take over a row that has expired or is already ours; a live row of another owner stays and nothing returns.
        return _db.Run(c => c.Scalar(
            """
            INSERT INTO leases (name, owner, expires_utc, acquired_utc) VALUES (@n, @o, @e, @now)
            ON CONFLICT (name) DO UPDATE SET
                owner = excluded.owner,
                expires_utc = excluded.expires_utc,
                acquired_utc = CASE WHEN leases.owner = excluded.owner THEN leases.acquired_utc ELSE excluded.acquired_utc END
            WHERE leases.owner = excluded.owner OR leases.expires_utc <= @now
            RETURNING 1;
            """,
            ("@n", name), ("@o", owner), ("@e", Db.Time(now + ttl)), ("@now", Db.Time(now))) is not null);
    }

    public bool Renew(string name, string owner, TimeSpan ttl)
    {
        Check(name, owner, ttl);
        var now = _time.GetUtcNow();
        return _db.Run(c => c.Exec("UPDATE leases SET expires_utc = @e WHERE name = @n AND owner = @o;",
            ("@n", name), ("@o", owner), ("@e", Db.Time(now + ttl)))) == 1;
    }

    public bool Release(string name, string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return _db.Run(c => c.Exec("DELETE FROM leases WHERE name = @n AND owner = @o;", ("@n", name), ("@o", owner))) == 1;
    }

    public IReadOnlyList<ShardLease> Live(string prefix = "") => _db.Run(c =>
    {
        using var cmd = c.Command(
            "SELECT name, owner, expires_utc, acquired_utc FROM leases WHERE expires_utc > @now AND substr(name, 1, @len) = @prefix ORDER BY name;",
            ("@now", Db.Time(_time.GetUtcNow())), ("@len", prefix.Length), ("@prefix", prefix));
        using var r = cmd.ExecuteReader();
        var list = new List<ShardLease>();
        while (r.Read())
        {
            list.Add(new ShardLease(r.GetString(0), r.GetString(1), Db.ParseTime(r.GetString(2)), Db.ParseTime(r.GetString(3))));
        }

        return (IReadOnlyList<ShardLease>)list;
    });

    public IReadOnlyList<string> LiveOwners(string prefix = "") =>
        Live(prefix).Select(l => l.Owner).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static void Check(string name, string owner, TimeSpan ttl)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), "a lease lasts a positive time");
        }
    }
}
