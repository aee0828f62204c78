using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Bot.Core.Chat;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Gateway;

/// <summary>
/// One Discord Gateway v10 connection (shard [0,1]): connect, HELLO, heartbeat with jitter and zombie detection,
/// IDENTIFY/RESUME, sequence tracking, and the §1.5 reconnect table with capped, jittered backoff and a bounded
/// IDENTIFY budget. It knows nothing of what events mean: dispatches go to <see cref="Dispatches"/>, so handlers never
/// block the one awaited receive loop.
/// </summary>
internal sealed class DiscordGatewayConnection
{
    /// <summary>Client frames are closed with 4002 above this size.</summary>
    public const int MaxSendBytes = 4096;

    /// <summary>Discord allows 120 sends per 60 s; keep a margin like discord.js.</summary>
    public const int MaxSendsPerWindow = 115;

    public static readonly TimeSpan SendWindow = TimeSpan.FromSeconds(60);

    private const int MaxReceiveBytes = 16 * 1024 * 1024;
    /// <summary>A close code other than 1000/1001, so Discord keeps the session resumable.</summary>
    internal const int CloseForResume = 4000;

    private readonly DiscordRestClient _rest;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordGatewayConnection> _logger;
    private readonly Random _random;
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateUnbounded<GatewayDispatch>(
        new UnboundedChannelOptions { SingleWriter = true, SingleReader = false });

    private readonly Queue<DateTimeOffset> _identifies = new();
    private GatewayBotInfo? _info;
    private DateTimeOffset _infoFetchedAt;
    private int _remainingStarts;
    private string? _sessionId;
    private string? _resumeUrl;
    private long _lastSeqValue = -1; // -1 = null; read by the heartbeat loop, written by the receive loop
    private bool _wantResume;
    private long _heartbeatsSent;
    private long _acks;
    private long _identifyCount;
    private long _resumeCount;
    private long _lastAckTicks;
    private volatile GatewayState _state = GatewayState.Disconnected;

    public DiscordGatewayConnection(
        DiscordRestClient rest,
        IOptions<DiscordOptions> options,
        TimeProvider time,
        ILogger<DiscordGatewayConnection> logger,
        Random? random = null)
    {
        _rest = rest;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared;
    }

    /// <summary>Dispatches (op 0) in arrival order, including READY and RESUMED.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    public GatewayState State => _state;

    /// <summary>Our own user id (from READY).</summary>
    public string? UserId { get; private set; }

    /// <summary>Our application id (from READY).</summary>
    public string? ApplicationId { get; private set; }

    public string? SessionId => _sessionId;

    public int? LastSequence => _lastSeq;

    private int? _lastSeq
    {
        get
        {
            var value = Interlocked.Read(ref _lastSeqValue);
            return value < 0 ? null : (int)value;
        }

        set => Interlocked.Exchange(ref _lastSeqValue, value ?? -1);
    }

    /// <summary>Fatal close code that stopped the connection, if any.</summary>
    public int? FatalCloseCode { get; private set; }

    public long HeartbeatsSent => Interlocked.Read(ref _heartbeatsSent);

    public long AcksReceived => Interlocked.Read(ref _acks);

    public long IdentifyCount => Interlocked.Read(ref _identifyCount);

    public long ResumeCount => Interlocked.Read(ref _resumeCount);

    /// <summary>When the last heartbeat ACK arrived (injected clock), or null.</summary>
    public DateTimeOffset? LastAck
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastAckTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The intents IDENTIFY carries: 4609, or 37377 with MESSAGE_CONTENT.</summary>
    public int Intents => (int)(GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages |
                                (_options.EnableMessageContent ? GatewayIntents.MessageContent : GatewayIntents.None));

    /// <summary>Runs until <paramref name="stoppingToken"/> fires (closing with 1000) or a fatal error.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var attempt = 0;
        var resumeConnectFailures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var resume = _wantResume && _sessionId is not null && _resumeUrl is not null;
                Uri uri;
                if (resume)
                {
                    uri = GatewayUri(_resumeUrl!);
                }
                else
                {
                    _sessionId = null;
                    _resumeUrl = null;
                    _lastSeq = null;
                    var info = await EnsureGatewayInfoAsync(stoppingToken).ConfigureAwait(false);
                    if (info is null)
                    {
                        if (_rest.IsUnauthorized)
                        {
                            FatalStop(4004);
                            return;
                        }

                        await Task.Delay(Backoff(attempt++), _time, stoppingToken).ConfigureAwait(false);
                        continue;
                    }

                    await WaitForIdentifyBudgetAsync(stoppingToken).ConfigureAwait(false);
                    uri = GatewayUri(info.Url);
                }

                SocketResult result;
                try
                {
                    result = await RunSocketAsync(uri, resume, stoppingToken).ConfigureAwait(false);
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

                _wantResume = result.Outcome == SocketOutcome.Resume;
                if (result.ConnectFailed)
                {
                    if (resume && ++resumeConnectFailures >= 2)
                    {
                        _wantResume = false;
                    }

                    if (!resume)
                    {
                        _info = null;
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
                DiscordLog.GatewayReconnecting(_logger, result.Reason, _wantResume ? "resume" : "new session", delay.TotalMilliseconds);
                var wait = Task.Delay(delay, _time, stoppingToken);
                _state = GatewayState.Disconnected; // set after the timer exists: observers may advance a fake clock now
                await wait.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_state != GatewayState.Failed)
            {
                _state = GatewayState.Stopped;
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
        _state = GatewayState.Failed;
        DiscordLog.GatewayFatal(_logger, code, GatewayCloseCodes.Fix(code));
    }

    private static Uri GatewayUri(string url) => new(url.TrimEnd('/') + "/?v=10&encoding=json");

    private async Task<GatewayBotInfo?> EnsureGatewayInfoAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_info is not null && (_remainingStarts > 0 || now < _infoFetchedAt + _info.ResetAfter))
        {
            return _info;
        }

        try
        {
            _info = await _rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
            _infoFetchedAt = _time.GetUtcNow();
            _remainingStarts = _info.Remaining;
            return _info;
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.GatewayInfoFailed(_logger, ex.ErrorName, ex.DiscordMessage);
            return null;
        }
    }

    /// <summary>Waits until an IDENTIFY is allowed: Discord's session_start_limit, 5 s per start, and the hourly cap.</summary>
    private async Task WaitForIdentifyBudgetAsync(CancellationToken cancellationToken)
    {
        var warned = false;
        while (true)
        {
            var now = _time.GetUtcNow();
            while (_identifies.Count > 0 && _identifies.Peek() <= now - TimeSpan.FromHours(1))
            {
                _identifies.Dequeue();
            }

            TimeSpan wait = TimeSpan.Zero;
            if (_identifies.Count >= _options.MaxIdentifiesPerHour)
            {
                wait = _identifies.Peek() + TimeSpan.FromHours(1) - now;
            }
            else if (_info is not null && _remainingStarts <= 0)
            {
                wait = _infoFetchedAt + _info.ResetAfter - now;
                if (wait <= TimeSpan.Zero)
                {
                    _info = null;
                    if (await EnsureGatewayInfoAsync(cancellationToken).ConfigureAwait(false) is null)
                    {
                        wait = Backoff(3);
                    }
                    else
                    {
                        continue;
                    }
                }
            }
            else if (_identifies.Count > 0)
            {
                var perStart = TimeSpan.FromSeconds(5.0 / Math.Max(1, _info?.MaxConcurrency ?? 1));
                var last = _identifies.Last();
                if (last + perStart > now)
                {
                    wait = last + perStart - now;
                }
            }

            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            if (!warned && wait > TimeSpan.FromSeconds(5))
            {
                warned = true;
                DiscordLog.IdentifyBudgetWait(_logger, wait.TotalSeconds, _identifies.Count, _remainingStarts);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SocketResult> RunSocketAsync(Uri uri, bool resume, CancellationToken stoppingToken)
    {
        _state = GatewayState.Connecting;
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

        var socket = new GatewaySocket(ws, _time, _logger, NextDouble, () => _lastSeq, () => Interlocked.Increment(ref _heartbeatsSent));
        using var stopRegistration = stoppingToken.Register(() => _ = socket.StopAsync());
        SocketResult? result = null;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (result is null)
            {
                var message = await ReceiveMessageAsync(ws, buffer).ConfigureAwait(false);
                if (message is null)
                {
                    if (socket.Stopping)
                    {
                        return new SocketResult(SocketOutcome.Stopped, "stopped", Established: socket.Established);
                    }

                    var code = (int?)ws.CloseStatus;
                    var outcome = GatewayCloseCodes.Classify(code);
                    DiscordLog.GatewayClosed(_logger, code ?? 0, ws.CloseStatusDescription ?? "", outcome.ToString());
                    if (outcome == SocketOutcome.NewSession)
                    {
                        _sessionId = null;
                    }

                    result = new SocketResult(outcome, "close " + (code ?? 0), Established: socket.Established, CloseCode: code);
                    break;
                }

                result = await HandleFrameAsync(socket, message.Value, resume).ConfigureAwait(false);
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

        if (result.Outcome is SocketOutcome.Resume or SocketOutcome.NewSession && ws.State == WebSocketState.Open)
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

    private static async Task<ReadOnlyMemory<byte>?> ReceiveMessageAsync(ClientWebSocket ws, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var memory = buffer.GetMemory(16 * 1024);
            var received = await ws.ReceiveAsync(memory, CancellationToken.None).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(received.Count);
            if (buffer.WrittenCount > MaxReceiveBytes)
            {
                throw new InvalidOperationException("gateway message too large");
            }

            if (received.EndOfMessage)
            {
                return buffer.WrittenMemory;
            }
        }
    }

    private async Task<SocketResult?> HandleFrameAsync(GatewaySocket socket, ReadOnlyMemory<byte> message, bool resume)
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
                    if (resume && _sessionId is not null)
                    {
                        _state = GatewayState.Resuming;
                        Interlocked.Increment(ref _resumeCount);
                        await socket.SendAsync(new GatewayFrame((int)GatewayOpcode.Resume, new ResumeData(_options.Token ?? "", _sessionId, _lastSeq)))
                            .ConfigureAwait(false);
                    }
                    else
                    {
                        _state = GatewayState.Identifying;
                        _sessionId = null;
                        _lastSeq = null;
                        _identifies.Enqueue(_time.GetUtcNow());
                        _remainingStarts--;
                        Interlocked.Increment(ref _identifyCount);
                        await socket.SendAsync(new GatewayFrame((int)GatewayOpcode.Identify, new IdentifyData(
                            _options.Token ?? "",
                            Intents,
                            new IdentifyProperties(OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux", "kbot", "kbot"),
                            [0, 1]))).ConfigureAwait(false);
                    }

                    return null;
                }

                case GatewayOpcode.HeartbeatAck:
                    socket.Acked = true;
                    Interlocked.Increment(ref _acks);
                    Interlocked.Exchange(ref _lastAckTicks, _time.GetUtcNow().UtcTicks);
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

                    _sessionId = null;
                    var delay = TimeSpan.FromSeconds(1 + (4 * NextDouble()));
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

    private void HandleDispatch(GatewaySocket socket, JsonElement root)
    {
        // TryGetInt32: a fractional or out-of-range "s" must not throw out of the receive loop (found by fuzzing)
        int? seq = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var parsed) ? parsed : null;
        var type = root.GetString("t") ?? "";
        if (seq is { } value)
        {
            if (_lastSeq is { } last && value <= last)
            {
                DiscordLog.DuplicateDispatch(_logger, type, value);
                return;
            }

            _lastSeq = value;
        }

        var data = root.TryGetProperty("d", out var d) ? d : default;
        if (type == "READY")
        {
            _sessionId = data.GetString("session_id");
            _resumeUrl = data.GetString("resume_gateway_url") ?? _info?.Url;
            UserId = data.GetObject("user")?.GetString("id");
            ApplicationId = data.GetObject("application")?.GetString("id") ?? ApplicationId;
            _state = GatewayState.Ready;
            socket.Established = true;
            DiscordLog.GatewayReady(_logger, UserId ?? "", ApplicationId ?? "");
        }
        else if (type == "RESUMED")
        {
            _state = GatewayState.Ready;
            socket.Established = true;
            DiscordLog.GatewayResumed(_logger, _lastSeq ?? 0);
        }

        _dispatches.Writer.TryWrite(new GatewayDispatch(type, data.ValueKind == JsonValueKind.Undefined ? default : data.Clone(), seq, _time.GetUtcNow()));
    }
}
