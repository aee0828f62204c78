using Bot.Slack.Events;
using Bot.Slack.SocketMode;
using Bot.Slack.WebApi;

namespace Bot.Slack;

/// <summary>A point-in-time view of the Slack adapter for health output.</summary>
/// <param name="OpenSockets">Socket Mode connections open and hello'd now.</param>
/// <param name="Connects">Socket Mode connections opened since start (refreshes and reconnects included).</param>
/// <param name="Envelopes">Socket Mode envelopes received (and acked) since start.</param>
/// <param name="LastEnvelopeAt">When the last envelope arrived (injected clock).</param>
/// <param name="Duplicates">Redeliveries dropped by event_id de-duplication.</param>
/// <param name="InFlight">Answers queued or being worked on (backlog).</param>
/// <param name="StopReason">Why the adapter stopped for good (link_disabled, invalid_auth…), or null while running.</param>
/// <param name="TokenRejected">True after Slack rejected the bot token: no Web API calls are made any more.</param>
public sealed record SlackHealth(
    int OpenSockets,
    long Connects,
    long Envelopes,
    DateTimeOffset? LastEnvelopeAt,
    long Duplicates,
    int InFlight,
    string? StopReason,
    bool TokenRejected);

/// <summary>Registered by AddSlack when Slack is configured; <see cref="Snapshot"/> is cheap and thread-safe.</summary>
public sealed class SlackHealthProbe
{
    private readonly SlackSocketModeClient _socketMode;
    private readonly SlackEventDispatcher _dispatcher;
    private readonly SlackHostedService _service;
    private readonly SlackWebApiClient _api;

    internal SlackHealthProbe(SlackSocketModeClient socketMode, SlackEventDispatcher dispatcher, SlackHostedService service, SlackWebApiClient api)
    {
        _socketMode = socketMode;
        _dispatcher = dispatcher;
        _service = service;
        _api = api;
    }

    public SlackHealth Snapshot() => new(
        _socketMode.OpenSocketCount,
        _socketMode.Connects,
        _socketMode.Envelopes,
        _socketMode.LastEnvelopeAt,
        _dispatcher.Duplicates,
        _dispatcher.InFlight,
        _service.StopReason ?? _socketMode.StopReason,
        _api.BotTokenRejected.IsCompleted);
}
