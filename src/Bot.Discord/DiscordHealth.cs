using Bot.Discord.Gateway;

namespace Bot.Discord;

/// <summary>A point-in-time view of the Discord adapter for health output.</summary>
/// <param name="State">Gateway state (Ready, Resuming, Failed, …).</param>
/// <param name="LastHeartbeatAck">When the gateway last acknowledged a heartbeat (injected clock).</param>
/// <param name="HeartbeatsSent">Heartbeats sent since start.</param>
/// <param name="AcksReceived">Heartbeat ACKs received since start.</param>
/// <param name="Identifies">Fresh sessions started (IDENTIFY) since start.</param>
/// <param name="Resumes">RESUME attempts since start.</param>
/// <param name="FatalCloseCode">The close code that stopped the adapter, if any.</param>
/// <param name="InFlight">Answers being worked on (backlog).</param>
/// <param name="TokenRejected">True after Discord answered 401: no REST calls are made any more.</param>
public sealed record DiscordHealth(
    GatewayState State,
    DateTimeOffset? LastHeartbeatAck,
    long HeartbeatsSent,
    long AcksReceived,
    long Identifies,
    long Resumes,
    int? FatalCloseCode,
    int InFlight,
    bool TokenRejected);

/// <summary>Registered by AddDiscord when Discord is configured; <see cref="Snapshot"/> is cheap and thread-safe.</summary>
public sealed class DiscordHealthProbe
{
    private readonly DiscordGatewayConnection _gateway;
    private readonly DiscordBotService _service;
    private readonly Rest.DiscordRestClient _rest;

    internal DiscordHealthProbe(DiscordGatewayConnection gateway, DiscordBotService service, Rest.DiscordRestClient rest)
    {
        _gateway = gateway;
        _service = service;
        _rest = rest;
    }

    public DiscordHealth Snapshot() => new(
        _gateway.State,
        _gateway.LastAck,
        _gateway.HeartbeatsSent,
        _gateway.AcksReceived,
        _gateway.IdentifyCount,
        _gateway.ResumeCount,
        _gateway.FatalCloseCode,
        _service.InFlight,
        _rest.IsUnauthorized);
}
