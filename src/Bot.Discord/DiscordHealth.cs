using Bot.Discord.Gateway;

namespace Bot.Discord;

/// <summary>One shard's gateway, for health output.</summary>
/// <param name="Id">The shard id (<c>shard: [Id, count]</c>).</param>
/// <param name="State">Its connection's state.</param>
/// <param name="LastHeartbeatAck">When its gateway last acknowledged a heartbeat (injected clock).</param>
/// <param name="Identifies">Fresh sessions it started (IDENTIFY).</param>
/// <param name="Resumes">Its RESUME attempts.</param>
/// <param name="FatalCloseCode">The close code that stopped it, if any.</param>
/// <param name="Running">True while this process runs it (false after a lease was given up or lost).</param>
public sealed record DiscordShardHealth(int Id, GatewayState State, DateTimeOffset? LastHeartbeatAck, long Identifies, long Resumes,
    int? FatalCloseCode, bool Running);

/// <summary>A point-in-time view of the Discord adapter for health output.</summary>
/// <param name="State">Gateway state over this process's running shards: Ready when all are, else the first that is not.</param>
/// <param name="LastHeartbeatAck">When the gateway last acknowledged a heartbeat, any shard (injected clock).</param>
/// <param name="HeartbeatsSent">Heartbeats sent since start, all shards.</param>
/// <param name="AcksReceived">Heartbeat ACKs received since start, all shards.</param>
/// <param name="Identifies">Fresh sessions started (IDENTIFY) since start, all shards.</param>
/// <param name="Resumes">RESUME attempts since start, all shards.</param>
/// <param name="FatalCloseCode">The close code that stopped a shard, if any.</param>
/// <param name="InFlight">Answers being worked on (backlog).</param>
/// <param name="TokenRejected">True after Discord answered 401: no REST calls are made any more.</param>
/// <param name="ShardCount">The bot's total shard count, once known.</param>
/// <param name="Shards">Each shard this process runs or ran, by id.</param>
public sealed record DiscordHealth(
    GatewayState State,
    DateTimeOffset? LastHeartbeatAck,
    long HeartbeatsSent,
    long AcksReceived,
    long Identifies,
    long Resumes,
    int? FatalCloseCode,
    int InFlight,
    bool TokenRejected,
    int? ShardCount,
    IReadOnlyList<DiscordShardHealth> Shards);

/// <summary>Registered by AddDiscord when Discord is configured; <see cref="Snapshot"/> is cheap and thread-safe.</summary>
public sealed class DiscordHealthProbe
{
    private readonly DiscordShards _shards;
    private readonly DiscordBotService _service;
    private readonly Rest.DiscordRestClient _rest;

    internal DiscordHealthProbe(DiscordShards shards, DiscordBotService service, Rest.DiscordRestClient rest)
    {
        _shards = shards;
        _service = service;
        _rest = rest;
    }

    public DiscordHealth Snapshot()
    {
        var connections = _shards.Connections;
        var running = _shards.Running;
        var shards = connections.Select(c => new DiscordShardHealth(c.Shard.Id, c.State, c.LastAck, c.IdentifyCount, c.ResumeCount,
            c.FatalCloseCode, running.Contains(c.Shard.Id))).ToList();
        var live = shards.Where(s => s.Running).ToList();
        var state = _shards.FatalError is not null ? GatewayState.Failed
            : live.Count == 0 && _shards.Settings.AutoIds && _service.Running ? GatewayState.Ready // a standby replica: the others hold every shard
            : live.Count == 0 ? (shards.Count > 0 && shards.All(s => s.State == GatewayState.Failed) ? GatewayState.Failed
                : shards.Count > 0 && shards.All(s => s.State is GatewayState.Stopped or GatewayState.Failed) ? GatewayState.Stopped
                : GatewayState.Disconnected)
            : live.FirstOrDefault(s => s.State != GatewayState.Ready)?.State ?? GatewayState.Ready;
        return new DiscordHealth(
            state,
            connections.Max(c => c.LastAck),
            connections.Sum(c => c.HeartbeatsSent),
            connections.Sum(c => c.AcksReceived),
            connections.Sum(c => c.IdentifyCount),
            connections.Sum(c => c.ResumeCount),
            connections.Select(c => c.FatalCloseCode).FirstOrDefault(c => c is not null),
            _service.InFlight,
            _rest.IsUnauthorized,
            _shards.Count,
            shards);
    }
}
