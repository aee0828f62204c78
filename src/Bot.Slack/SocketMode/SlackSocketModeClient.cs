using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Events;
using Bot.Core.Chat;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.SocketMode;

/// <summary>
/// Socket Mode connection manager. Each of <see cref="SlackOptions.NumberOfConnections"/> slots (staggered) runs exactly
/// one reconnect loop: apps.connections.open (app token, fresh URL every time) → connect → hello → receive. Every envelope
/// is acked on the socket that delivered it in a <c>finally</c>, independent of the work it triggers. disconnect
/// warning / refresh_requested and a silent socket → a replacement is opened and hello'd before the old socket closes;
/// link_disabled and unrecoverable open errors stop the adapter with one log line; too_many_websockets → slow retry;
/// other failures → capped exponential backoff with jitter. Sockets are disposed on every path.
/// </summary>
internal sealed class SlackSocketModeClient
{
    private readonly SlackWebApiClient _api;
    private readonly SlackEventDispatcher _dispatcher;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackSocketModeClient> _logger;
    private readonly ConcurrentDictionary<int, SocketModeConnection> _live = new();
    private CancellationTokenSource? _stop;
    private int _stopped;

    public SlackSocketModeClient(
        SlackWebApiClient api,
        SlackEventDispatcher dispatcher,
        IOptions<SlackOptions> options,
        TimeProvider time,
        ILogger<SlackSocketModeClient> logger)
    {
        _api = api;
        _dispatcher = dispatcher;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Why the client stopped for good (link_disabled, invalid_auth…), or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Sockets currently open and hello'd (for health reports and tests).</summary>
    public int OpenSocketCount => _live.Count;

    /// <summary>Sockets opened (hello'd) since start.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Envelopes received since start (each acked on its socket).</summary>
    public long Envelopes => Interlocked.Read(ref _envelopes);

    /// <summary>When the last envelope arrived (injected clock).</summary>
    public DateTimeOffset? LastEnvelopeAt { get; private set; }

    private long _connects;
    private long _envelopes;

    /// <summary>Runs all connection slots until <paramref name="cancellationToken"/> fires or a fatal condition stops the client.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stop = stop;
        var slots = Enumerable.Range(0, _options.NumberOfConnections).Select(slot => RunSlotAsync(slot, stop.Token)).ToArray();
        await Task.WhenAll(slots).ConfigureAwait(false);
    }

    internal void StopFatal(string reason)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            StopReason = reason;
            SlackLog.AdapterStopped(_logger, reason);
            try
            {
                _stop?.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task RunSlotAsync(int slot, CancellationToken ct)
    {
        SocketModeConnection? current = null;
        var failures = 0;
        try
        {
            if (slot > 0)
            {
                await Task.Delay(_options.ConnectionStagger * slot, _time, ct).ConfigureAwait(false);
            }

            while (!ct.IsCancellationRequested)
            {
                if (current is null)
                {
                    current = await ConnectWithRetryAsync(slot, failures, ct).ConfigureAwait(false);
                    if (current is null)
                    {
                        return;
                    }
                }

                var signal = await current.Signal.WaitAsync(ct).ConfigureAwait(false);
                switch (signal)
                {
                    case SocketSignal.LinkDisabled:
                        StopFatal("Socket Mode is disabled for this Slack app (disconnect reason link_disabled)");
                        return;
                    case SocketSignal.ReplaceRequested or SocketSignal.Silent:
                        var replacement = await ConnectWithRetryAsync(slot, 0, ct).ConfigureAwait(false);
                        var old = current;
                        current = replacement;
                        await RetireAsync(old).ConfigureAwait(false);
                        if (replacement is null)
                        {
                            return;
                        }

                        SlackLog.SocketReplaced(_logger, old.Id, replacement.Id, signal.ToString());
                        failures = 0;
                        break;
                    case SocketSignal.TooManyWebsockets:
                        await RetireAsync(current).ConfigureAwait(false);
                        current = null;
                        SlackLog.ConnectFailed(_logger, slot, "too_many_websockets", _options.TooManyWebsocketsDelay.TotalSeconds);
                        await Task.Delay(_options.TooManyWebsocketsDelay, _time, ct).ConfigureAwait(false);
                        break;
                    default:
                        var lived = _time.GetUtcNow() - current.ConnectedAt;
                        await RetireAsync(current).ConfigureAwait(false);
                        current = null;
                        failures = lived < TimeSpan.FromSeconds(30) ? failures + 1 : 0;
                        if (failures > 0)
                        {
                            var delay = Backoff(failures);
                            SlackLog.ConnectFailed(_logger, slot, "socket closed soon after connecting", delay.TotalSeconds);
                            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            if (current is not null)
            {
                await RetireAsync(current).ConfigureAwait(false);
            }
        }
    }

    private async Task RetireAsync(SocketModeConnection connection)
    {
        _live.TryRemove(connection.Id, out _);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Opens a hello'd socket, retrying with backoff; null when the client must stop.</summary>
    private async Task<SocketModeConnection?> ConnectWithRetryAsync(int slot, int failures, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            string failure;
            var delay = TimeSpan.Zero;
            try
            {
                var url = await _api.OpenConnectionAsync(ct).ConfigureAwait(false);
                if (_options.DebugReconnects)
                {
                    url = new Uri(url + (url.Query.Length > 0 ? "&" : "?") + "debug_reconnects=true");
                }

                var connection = new SocketModeConnection(slot, OnEnvelopeAsync, _options, _time, _logger);
                try
                {
                    await connection.ConnectAsync(url, ct).ConfigureAwait(false);
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                _live[connection.Id] = connection;
                Interlocked.Increment(ref _connects);
                return connection;
            }
            catch (SlackApiException ex) when (SlackErrors.IsUnrecoverableOpenError(ex.Error))
            {
                StopFatal($"apps.connections.open failed with {ex.Error} (check Slack:AppToken and the app's Socket Mode setting)");
                return null;
            }
            catch (SlackApiException ex)
            {
                failure = ex.Error;
                if (ex.Error == "too_many_websockets")
                {
                    delay = _options.TooManyWebsocketsDelay;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // anything else (an https:// URL from apps.connections.open, a malformed URL) is retried with backoff too:
                // one slot's failure never ends the receive loop
                failure = ex.GetType().Name + ": " + ex.Message;
            }

            failures++;
            if (delay == TimeSpan.Zero)
            {
                delay = Backoff(failures);
            }

            SlackLog.ConnectFailed(_logger, slot, failure, delay.TotalSeconds);
            await Task.Delay(delay, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Capped exponential backoff with jitter: min(max, min * 2^(failures-1)) * [0.75, 1] (Core's <see cref="Bot.Core.Chat.Backoff"/>).</summary>
    private TimeSpan Backoff(int failures) =>
        Bot.Core.Chat.Backoff.Delay(_options.ReconnectDelayMin, _options.ReconnectDelayMax, Math.Min(failures - 1, 16), jitter: 0.25, sample: Random.Shared.NextDouble());

    /// <summary>Runs on the receive loop: hands the envelope to the dispatcher (fast, queues work) and always acks it on the
    /// same socket, even when parsing or queueing throws.</summary>
    private async Task OnEnvelopeAsync(SocketModeConnection connection, JsonElement envelope)
    {
        var envelopeId = envelope.GetString("envelope_id")!;
        Interlocked.Increment(ref _envelopes);
        LastEnvelopeAt = _time.GetUtcNow();
        JsonObject? ackPayload = null;
        var ack = new PendingAck();
        try
        {
            var type = envelope.GetString("type");
            var payload = envelope.GetObject("payload");
            switch (type)
            {
                case "events_api" when payload is { } p:
                    _dispatcher.AcceptEventCallback(p, envelopeId, ack);
                    break;
                case "slash_commands" when payload is { } p:
                    var working = _dispatcher.AcceptSlashCommand(SlackSlashCommand.FromJson(p), envelopeId, ack);
                    if (envelope.GetBool("accepts_response_payload"))
                    {
                        ackPayload = working;
                    }

                    break;
                case "interactive" when payload is { } p:
                    _dispatcher.AcceptInteractive(p, envelopeId, ack);
                    break;
                default:
                    SlackLog.UnknownEnvelope(_logger, type ?? "(none)");
                    break;
            }
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, "envelope");
        }
        finally
        {
            try
            {
                await connection.AckAsync(envelopeId, ackPayload).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                SlackLog.AckFailed(_logger, ex, connection.Id, envelopeId);
            }

            // this process lives past the ack (sent or failed), so it answers what it claimed: the claim may now last
            _ = _dispatcher.Acknowledged(ack);
        }
    }
}
