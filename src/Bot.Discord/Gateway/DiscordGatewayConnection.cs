using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>A shard: <c>shard: [Id, Count]</c> in IDENTIFY.</summary>
internal readonly record struct GatewayShard(int Id, int Count)
{
    public override string ToString() => $"[{Id},{Count}]";
}

/// <summary>
/// One shard's Discord Gateway v10 connection: connect, HELLO, IDENTIFY (<c>shard: [id, count]</c>, paced by the
/// process-wide <see cref="GatewayIdentifyGate"/>) or RESUME, and the §1.5 reconnect table with capped, jittered backoff.
/// Session state lives in <see cref="GatewaySession"/>, the socket (receive, sends, heartbeat) in <see cref="GatewaySocket"/>.
/// It knows nothing of what events mean: dispatches go to <see cref="Dispatches"/>, so handlers never block the one
/// awaited receive loop. Each shard has its own connection, session, heartbeat and backoff.
/// </summary>
internal sealed class DiscordGatewayConnection
{
    /// <summary>Client frames are closed with 4002 above this size.</summary>
    public const int MaxSendBytes = 4096;

    /// <summary>Discord allows 120 sends per 60 s; keep a margin like discord.js.</summary>
    public const int MaxSendsPerWindow = 115;

    public static readonly TimeSpan SendWindow = TimeSpan.FromSeconds(60);

    /// <summary>A close code other than 1000/1001, so Discord keeps the session resumable.</summary>
    internal const int CloseForResume = 4000;

    private readonly GatewayIdentifyGate _gate;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly GatewaySession _session = new();
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateUnbounded<GatewayDispatch>(
        new UnboundedChannelOptions { SingleWriter = true, SingleReader = false });

    private readonly GatewayFrameHandler _frames;

    public DiscordGatewayConnection(GatewayIdentifyGate gate, DiscordOptions options, TimeProvider time, ILogger logger, GatewayShard shard,
        Random? random = null)
    {
        _gate = gate;
        _options = options;
        _time = time;
        _logger = logger;
        Shard = shard;
        _random = random ?? Random.Shared;
        _frames = new GatewayFrameHandler(_session, options, shard, time, logger, _dispatches.Writer, NextDouble, () => _gate.Info?.Url);
    }

    public GatewayShard Shard { get; }

    /// <summary>Set by <see cref="DiscordShards"/> when it runs this connection (a connection runs once).</summary>
    public bool Started { get; set; }

    /// <summary>Dispatches (op 0) in arrival order, including READY and RESUMED; completed when the connection stops.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    public GatewayState State => _session.State;

    public string? UserId => _session.UserId;

    public string? ApplicationId => _session.ApplicationId;

    public string? SessionId => _session.SessionId;

    public int? LastSequence => _session.LastSequence;

    /// <summary>Fatal close code that stopped the connection, if any.</summary>
    public int? FatalCloseCode { get; private set; }

    public long HeartbeatsSent => _session.HeartbeatsSent;

    public long AcksReceived => _session.AcksReceived;

    public long IdentifyCount => _session.IdentifyCount;

    public long ResumeCount => _session.ResumeCount;

    public DateTimeOffset? LastAck => _session.LastAck;

    /// <summary>The intents IDENTIFY carries: 4609, or 37377 with MESSAGE_CONTENT.</summary>
    public int Intents => _frames.Intents;

    /// <summary>Runs until <paramref name="stoppingToken"/> fires (closing with 1000) or a fatal error.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var attempt = 0;
        var resumeConnectFailures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var resume = _session.CanResume;
                GatewayIdentifyGate.IdentifyTurn? turn = null;
                Uri uri;
                if (resume)
                {
                    uri = GatewayUri(_session.ResumeUrl!);
                }
                else
                {
                    _session.Drop();
                    var info = await _gate.GetInfoAsync(stoppingToken).ConfigureAwait(false);
                    if (info is null)
                    {
                        if (_gate.Unauthorized)
                        {
                            FatalStop(4004);
                            return;
                        }

                        await Task.Delay(Backoff(attempt++), _time, stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    turn = await _gate.WaitTurnAsync(Shard.Id, stoppingToken).ConfigureAwait(false);
                    uri = GatewayUri(info.Url);
                }

                SocketResult result;
                try
                {
                    using (turn)
                    {
                        result = await RunSocketAsync(uri, resume, turn, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A bug or an unexpected failure must not end the bot: log it and reconnect like after a dropped socket.
                    DiscordLog.GatewayUnexpected(_logger, ex);
                    result = new SocketResult(SocketOutcome.Resume, "unexpected " + ex.GetType().Name);
                }

                if (result.Outcome == SocketOutcome.Stopped || stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                if (result.Outcome == SocketOutcome.Fatal)
                {
                    FatalStop(result.CloseCode ?? 0);
                    return;
                }

                _session.WantResume = result.Outcome == SocketOutcome.Resume;
                if (result.ConnectFailed)
                {
                    if (resume && ++resumeConnectFailures >= 2)
                    {
                        _session.WantResume = false;
                    }

                    if (!resume)
                    {
                        _gate.Forget();
                    }
                }
                else
                {
                    resumeConnectFailures = 0;
                }

                if (result.Established)
                {
                    attempt = 0;
                }

                var delay = result.Delay ?? Backoff(attempt);
                attempt++;
                DiscordLog.GatewayReconnecting(_logger, Shard.Id, result.Reason, _session.WantResume ? "resume" : "new session", delay.TotalMilliseconds);
                var wait = Task.Delay(delay, _time, stoppingToken);
                _session.State = GatewayState.Disconnected; // set after the timer exists: observers may advance a fake clock now
                await wait.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_session.State != GatewayState.Failed)
            {
                _session.State = GatewayState.Stopped;
            }

            _dispatches.Writer.TryComplete();
        }
    }

    /// <summary>Capped exponential backoff with jitter: min(cap, base * 2^attempt) * [0.5, 1) (Core's <see cref="Bot.Core.Chat.Backoff"/>).</summary>
    internal TimeSpan Backoff(int attempt) =>
        Bot.Core.Chat.Backoff.Delay(_options.ReconnectBaseDelay, _options.ReconnectMaxDelay, Math.Min(attempt, 20), jitter: 0.5, sample: NextDouble());

    private double NextDouble()
    {
        lock (_random)
        {
            return _random.NextDouble();
        }
    }

    private void FatalStop(int code)
    {
        FatalCloseCode = code;
        _session.State = GatewayState.Failed;
        DiscordLog.GatewayFatal(_logger, Shard.Id, code, GatewayCloseCodes.Fix(code));
    }

    private static Uri GatewayUri(string url) => new(url.TrimEnd('/') + "/?v=10&encoding=json");

    private async Task<SocketResult> RunSocketAsync(Uri uri, bool resume, GatewayIdentifyGate.IdentifyTurn? turn, CancellationToken stoppingToken)
    {
        _session.State = GatewayState.Connecting;
        using var ws = new ClientWebSocket();
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            using var connectTimeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, connectTimeout.Token);
            await ws.ConnectAsync(uri, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is WebSocketException or OperationCanceledException or HttpRequestException)
        {
            DiscordLog.GatewayConnectFailed(_logger, resume ? "resume" : "gateway", ex.GetType().Name);
            return new SocketResult(resume ? SocketOutcome.Resume : SocketOutcome.NewSession, "connect failed", ConnectFailed: true);
        }
        catch (OperationCanceledException)
        {
            return new SocketResult(SocketOutcome.Stopped, "stopped");
        }

        var socket = new GatewaySocket(ws, _time, _logger, NextDouble, () => _session.LastSequence, _session.HeartbeatSent);
        using var stopRegistration = stoppingToken.Register(() => _ = socket.StopAsync());
        SocketResult? result = null;
        try
        {
            while (result is null)
            {
                var message = await socket.ReceiveAsync().ConfigureAwait(false);
                if (message is null)
                {
                    if (socket.Stopping)
                    {
                        return new SocketResult(SocketOutcome.Stopped, "stopped", Established: socket.Established);
                    }

                    var code = socket.CloseStatus;
                    var outcome = GatewayCloseCodes.Classify(code);
                    DiscordLog.GatewayClosed(_logger, Shard.Id, code ?? 0, socket.CloseDescription, outcome.ToString());
                    if (outcome == SocketOutcome.NewSession)
                    {
                        _session.Invalidate();
                    }

                    result = new SocketResult(outcome, "close " + (code ?? 0), Established: socket.Established, CloseCode: code);
                    break;
                }

                result = await _frames.HandleAsync(socket, message.Value, resume, turn).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or IOException)
        {
            if (socket.Stopping || stoppingToken.IsCancellationRequested)
            {
                return new SocketResult(SocketOutcome.Stopped, "stopped", Established: socket.Established);
            }

            result = new SocketResult(SocketOutcome.Resume, socket.Zombie ? "zombie connection" : "socket error: " + ex.GetType().Name,
                Established: socket.Established);
        }
        finally
        {
            socket.StopHeartbeat();
        }

        if (result.Outcome is SocketOutcome.Resume or SocketOutcome.NewSession && socket.IsOpen)
        {
            // Never 1000/1001 here: that would invalidate a session we may want to resume.
            await socket.CloseAsync(CloseForResume, result.Reason).ConfigureAwait(false);
        }

        if (socket.Stopping)
        {
            return new SocketResult(SocketOutcome.Stopped, "stopped", Established: socket.Established);
        }

        return result;
    }
}
