using System.Text.Json;
using System.Threading.Channels;
using Bot.Core.Chat;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// The protocol side of one shard's connection: what each received frame means. HELLO starts the heartbeat and sends
/// IDENTIFY (<c>shard: [id, count]</c>) or RESUME; ACKs and requested beats go to the socket; op 7 and op 9 end the socket
/// with the §1.5 decision; dispatches advance the sequence (replayed duplicates are skipped), READY and RESUMED update the
/// <see cref="GatewaySession"/>, and every dispatch is written to the connection's channel for the handlers.
/// </summary>
internal sealed class GatewayFrameHandler
{
    private readonly GatewaySession _session;
    private readonly DiscordOptions _options;
    private readonly GatewayShard _shard;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ChannelWriter<GatewayDispatch> _dispatches;
    private readonly Func<double> _nextDouble;
    private readonly Func<string?> _gatewayUrl;

    /// <param name="session">The shard's session state (written here).</param>
    /// <param name="options">Token and intents.</param>
    /// <param name="shard">The shard IDENTIFY names.</param>
    /// <param name="time">The clock dispatches and ACKs are stamped with.</param>
    /// <param name="logger">Where READY, RESUMED, bad frames and skipped duplicates are logged.</param>
    /// <param name="dispatches">Where dispatches go.</param>
    /// <param name="nextDouble">A uniform random number in [0, 1): the delay after a non-resumable op 9.</param>
    /// <param name="gatewayUrl">The cached gateway URL, the resume URL when READY lacks one.</param>
    public GatewayFrameHandler(GatewaySession session, DiscordOptions options, GatewayShard shard, TimeProvider time, ILogger logger,
        ChannelWriter<GatewayDispatch> dispatches, Func<double> nextDouble, Func<string?> gatewayUrl)
    {
        _session = session;
        _options = options;
        _shard = shard;
        _time = time;
        _logger = logger;
        _dispatches = dispatches;
        _nextDouble = nextDouble;
        _gatewayUrl = gatewayUrl;
    }

    /// <summary>The intents IDENTIFY carries: 4609, or 37377 with MESSAGE_CONTENT.</summary>
    public int Intents => (int)(GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages |
                                (_options.EnableMessageContent ? GatewayIntents.MessageContent : GatewayIntents.None));

    /// <summary>Handles one frame; a result when the socket must end (and what to do next), else null.</summary>
    /// <param name="turn">The IDENTIFY turn granted for this socket (null on the resume path): marked sent with IDENTIFY.</param>
    public async Task<SocketResult?> HandleAsync(GatewaySocket socket, ReadOnlyMemory<byte> message, bool resume, GatewayIdentifyGate.IdentifyTurn? turn)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            DiscordLog.GatewayBadFrame(_logger, message.Length);
            return null;
        }

        using (doc)
        {
            var root = doc.RootElement;
            var op = (GatewayOpcode)(root.GetInt("op") ?? -1);
            switch (op)
            {
                case GatewayOpcode.Hello:
                {
                    var d = root.GetObject("d");
                    var intervalMs = d is { } data && data.TryGetProperty("heartbeat_interval", out var hi) && hi.TryGetDouble(out var ms) ? ms : 41250;
                    socket.StartHeartbeat(TimeSpan.FromMilliseconds(Math.Max(1, intervalMs)));
                    await (resume && _session.SessionId is not null ? SendResumeAsync(socket) : SendIdentifyAsync(socket, turn)).ConfigureAwait(false);
                    return null;
                }

                case GatewayOpcode.HeartbeatAck:
                    socket.Acked = true;
                    _session.Acked(_time.GetUtcNow());
                    return null;

                case GatewayOpcode.Heartbeat:
                    // Requested beat: queued on the socket's send lock so the receive loop never waits on the send budget.
                    socket.SendHeartbeatInBackground();
                    return null;

                case GatewayOpcode.Reconnect:
                    return new SocketResult(SocketOutcome.Resume, "op 7 reconnect", Established: socket.Established);

                case GatewayOpcode.InvalidSession:
                {
                    var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                    if (resumable)
                    {
                        return new SocketResult(SocketOutcome.Resume, "op 9 invalid session (resumable)", Established: socket.Established);
                    }

                    _session.Invalidate();
                    var delay = TimeSpan.FromSeconds(1 + (4 * _nextDouble()));
                    return new SocketResult(SocketOutcome.NewSession, "op 9 invalid session", Established: socket.Established, Delay: delay);
                }

                case GatewayOpcode.Dispatch:
                    HandleDispatch(socket, root);
                    return null;

                default:
                    return null;
            }
        }
    }

    private Task SendResumeAsync(GatewaySocket socket)
    {
        _session.State = GatewayState.Resuming;
        _session.Resuming();
        return socket.SendAsync(new GatewayFrame((int)GatewayOpcode.Resume,
            new ResumeData(_options.Token ?? "", _session.SessionId!, _session.LastSequence)));
    }

    private Task SendIdentifyAsync(GatewaySocket socket, GatewayIdentifyGate.IdentifyTurn? turn)
    {
        _session.State = GatewayState.Identifying;
        _session.Identifying();
        turn?.Sent();
        var os = OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux";
        return socket.SendAsync(new GatewayFrame((int)GatewayOpcode.Identify, new IdentifyData(
            _options.Token ?? "", Intents, new IdentifyProperties(os, "kbot", "kbot"), [_shard.Id, _shard.Count])));
    }

    private void HandleDispatch(GatewaySocket socket, JsonElement root)
    {
        // TryGetInt32: a fractional or out-of-range "s" must not throw out of the receive loop (found by fuzzing)
        int? seq = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var parsed) ? parsed : null;
        var type = root.GetString("t") ?? "";
        if (!_session.Advance(seq))
        {
            DiscordLog.DuplicateDispatch(_logger, type, seq ?? 0);
            return;
        }

        var data = root.TryGetProperty("d", out var d) ? d : default;
        if (type == "READY")
        {
            _session.Ready(data, _gatewayUrl());
            _session.State = GatewayState.Ready;
            socket.Established = true;
            DiscordLog.GatewayReady(_logger, _shard.Id, _shard.Count, _session.UserId ?? "", _session.ApplicationId ?? "");
        }
        else if (type == "RESUMED")
        {
            _session.State = GatewayState.Ready;
            socket.Established = true;
            DiscordLog.GatewayResumed(_logger, _shard.Id, _session.LastSequence ?? 0);
        }

        _dispatches.TryWrite(new GatewayDispatch(type, data.ValueKind == JsonValueKind.Undefined ? default : data.Clone(), seq,
            _time.GetUtcNow(), _shard.Id));
    }
}
