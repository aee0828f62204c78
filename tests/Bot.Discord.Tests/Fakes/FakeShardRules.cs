using System.Globalization;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

/// <summary>What the fake's IDENTIFY check decided.</summary>
internal enum IdentifyVerdict
{
    /// <summary>Accepted: the session starts (READY).</summary>
    Ok,

    /// <summary>Too soon after another IDENTIFY of the same rate-limit bucket: op 9 Invalid Session (d=false), as documented.</summary>
    RateLimited,

    /// <summary>Close 4010 Invalid shard: the shard id is not below the count (or the count is below 1).</summary>
    InvalidShard,

    /// <summary>Close 4011 Sharding required: fewer shards than <see cref="FakeShardRules.RequiredShards"/>.</summary>
    ShardingRequired,
}

/// <summary>
/// Discord's sharding rules as the fake enforces them (discord-api-docs, Gateway › Sharding and Identifying):
/// <c>shard: [id, count]</c> in IDENTIFY (absent = [0, 1]); one IDENTIFY per 5 s per rate-limit bucket
/// <c>shard_id % max_concurrency</c>, more gets op 9 Invalid Session; an invalid shard closes with 4010, too few
/// shards with 4011; a guild's events go to shard <c>(guild_id &gt;&gt; 22) % num_shards</c>, events without a guild
/// (DMs) to shard 0.
/// </summary>
internal sealed class FakeShardRules
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, DateTimeOffset> _lastByBucket = [];
    private readonly List<(int Shard, int Count, DateTimeOffset At, IdentifyVerdict Verdict)> _identifies = [];
    private int _violations;

    /// <summary>The <c>shards</c> GET /gateway/bot recommends.</summary>
    public int RecommendedShards { get; set; } = 1;

    /// <summary><c>session_start_limit.max_concurrency</c>.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>When set, an IDENTIFY with a smaller shard count is closed with 4011.</summary>
    public int? RequiredShards { get; set; }

    /// <summary>IDENTIFYs answered with op 9 because their bucket had one less than 5 s earlier.</summary>
    public int RateLimitViolations => Volatile.Read(ref _violations);

    /// <summary>Every IDENTIFY: shard, count, when (the fake's clock) and the verdict.</summary>
    public IReadOnlyList<(int Shard, int Count, DateTimeOffset At, IdentifyVerdict Verdict)> Identifies
    {
        get
        {
            lock (_gate)
            {
                return _identifies.ToList();
            }
        }
    }

    /// <summary>The shard that receives events of <paramref name="guildId"/>; 0 for events without a guild.</summary>
    public static int ShardOf(string? guildId, int count) =>
        guildId is null ? 0 : (int)((ulong.Parse(guildId, CultureInfo.InvariantCulture) >> 22) % (ulong)count);

    /// <summary>Checks one IDENTIFY (its <c>d</c>) received at <paramref name="now"/>.</summary>
    public IdentifyVerdict Identify(JsonNode? d, DateTimeOffset now, out int shard, out int count)
    {
        shard = 0;
        count = 1;
        if (d?["shard"] is JsonArray { Count: 2 } pair)
        {
            shard = pair[0]!.GetValue<int>();
            count = pair[1]!.GetValue<int>();
        }

        lock (_gate)
        {
            var verdict = Decide(shard, count, now);
            _identifies.Add((shard, count, now, verdict));
            return verdict;
        }
    }

    private IdentifyVerdict Decide(int shard, int count, DateTimeOffset now)
    {
        if (count < 1 || shard < 0 || shard >= count)
        {
            return IdentifyVerdict.InvalidShard;
        }

        if (RequiredShards is { } required && count < required)
        {
            return IdentifyVerdict.ShardingRequired;
        }

        var bucket = shard % Math.Max(1, MaxConcurrency);
        if (_lastByBucket.TryGetValue(bucket, out var last) && now - last < TimeSpan.FromSeconds(5))
        {
            Interlocked.Increment(ref _violations);
            return IdentifyVerdict.RateLimited;
        }

        _lastByBucket[bucket] = now;
        return IdentifyVerdict.Ok;
    }
}
