using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Fakes;

/// <summary>A REST request the fake received, and what it answered.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset At,
    long RealTimestamp)
{
    public int Status { get; set; }

    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>A scripted REST answer.</summary>
internal sealed record FakeResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>When set, the fake waits for this before answering (to simulate slow or hanging responses).</summary>
    public Task? Hold { get; init; }

    public static FakeResponse Error(int status, int code, string message) =>
        new(status, JsonSerializer.Serialize(new { code, message }));

    public static FakeResponse RateLimited(double retryAfter, bool global = false, string? bucket = null) =>
        new(429, JsonSerializer.Serialize(new { message = "You are being rate limited.", retry_after = retryAfter, global }),
            new Dictionary<string, string>
            {
                ["Retry-After"] = Math.Ceiling(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["X-RateLimit-Global"] = global ? "true" : "false",
                ["X-RateLimit-Scope"] = global ? "global" : "user",
                ["X-RateLimit-Bucket"] = bucket ?? "b-429",
            });
}

/// <summary>
/// A fake Discord on Kestrel 127.0.0.1:0: REST routes under /api/v10 and a WebSocket gateway at /gateway (and
/// /resume for resume_gateway_url). Records every request and frame with timestamps (from the given clock) and can be
/// scripted to send HELLO with a chosen interval, dispatch events, withhold ACKs, send op 7/9, close with a code and
/// answer REST calls with 429/5xx/4xx.
/// </summary>
internal sealed class FakeDiscordServer : IAsyncDisposable
{
    public const string BotUserId = "900000000000000001";
    public const string AppId = "800000000000000001";

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly List<FakeGatewayConnection> _connections = [];
    private readonly List<(Func<RecordedRequest, bool> Match, FakeResponse Response, bool Once)> _scripts = [];
    private readonly ConcurrentDictionary<string, string> _nonces = new();
    private readonly ConcurrentDictionary<string, FakeSession> _sessions = new();
    private long _nextId = 1300000000000000000;
    private int _sessionCounter;

    private FakeDiscordServer(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    public int Port { get; private set; }

    internal TimeProvider Time => _time;

    public string ApiBaseUrl => $"http://127.0.0.1:{Port}/api/v10";

    public string GatewayUrl => $"ws://127.0.0.1:{Port}/gateway";

    public string ResumeUrl => $"ws://127.0.0.1:{Port}/resume";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Messages created through POST /channels/{id}/messages (deduplicated by nonce when enforce_nonce).</summary>
    public ConcurrentQueue<(string ChannelId, string MessageId, JsonNode Body)> CreatedMessages { get; } = new();

    // ---- gateway behaviour knobs ----
    public int HeartbeatIntervalMs { get; set; } = 41250;

    public bool SendHello { get; set; } = true;

    public bool AutoAck { get; set; } = true;

    /// <summary>Answer IDENTIFY with READY and RESUME with replay + RESUMED.</summary>
    public bool AutoReady { get; set; } = true;

    /// <summary>When false, RESUME is answered with op 9 d=false.</summary>
    public bool AcceptResume { get; set; } = true;

    /// <summary>Replay from this many events before the client's seq (to prove replays are processed once).</summary>
    public int ReplayOverlap { get; set; }

    /// <summary>Extra bytes of padding in READY (to build a 1 MB READY).</summary>
    public int ReadyPaddingBytes { get; set; }

    /// <summary>Split server frames into WebSocket fragments of this size (0 = one frame).</summary>
    public int FragmentSize { get; set; }

    private int _sessionStartRemaining = 999;

    /// <summary>session_start_limit.remaining in GET /gateway/bot; every IDENTIFY uses one up, like Discord's.</summary>
    public int SessionStartRemaining
    {
        get => Volatile.Read(ref _sessionStartRemaining);
        set => Volatile.Write(ref _sessionStartRemaining, value);
    }

    /// <summary>Runs after the socket is accepted, before HELLO (send op 7, close with a code, …).</summary>
    public Func<FakeGatewayConnection, Task>? OnConnect { get; set; }

    /// <summary>Runs after READY was sent on a connection.</summary>
    public Func<FakeGatewayConnection, Task>? OnReady { get; set; }

    public static async Task<FakeDiscordServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeDiscordServer(app, time ?? TimeProvider.System);
        app.UseWebSockets();
        app.Map("/gateway", server.AcceptGatewayAsync);
        app.Map("/resume", server.AcceptGatewayAsync);
        app.Map("/api/v10/{**path}", server.HandleRestAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    public IReadOnlyList<FakeGatewayConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections.ToList();
            }
        }
    }

    public FakeGatewayConnection? Current => Connections.LastOrDefault();

    public IEnumerable<RecordedRequest> RequestsTo(string method, string pathPrefix) =>
        Requests.Where(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// <summary>Adds a scripted answer; the first matching script wins; <paramref name="once"/> scripts are used up.</summary>
    public void Script(Func<RecordedRequest, bool> match, FakeResponse response, bool once = true)
    {
        lock (_gate)
        {
            _scripts.Add((match, response, once));
        }
    }

    /// <summary>All frames the client sent with this opcode, over all connections, in order.</summary>
    public List<RecordedFrame> ClientFrames(int? op = null) =>
        Connections.SelectMany(c => c.ClientFrames.ToArray()).Where(f => op is null || f.Op == op).ToList();

    /// <summary>Sends a dispatch on the current connection's session (next seq).</summary>
    public Task DispatchAsync(string type, object data, FakeGatewayConnection? connection = null)
    {
        var conn = connection ?? Connections.LastOrDefault(c => c.Session is not null && c.IsOpen)
                   ?? throw new InvalidOperationException("no ready connection");
        var session = conn.Session!;
        var json = JsonSerializer.Serialize(data);
        int seq;
        lock (session)
        {
            seq = ++session.Seq;
            session.Events.Add((seq, type, json));
        }

        return conn.SendRawAsync($"{{\"op\":0,\"s\":{seq},\"t\":\"{type}\",\"d\":{json}}}");
    }

    /// <summary>Records an event in a session without sending it (missed while disconnected; replayed on RESUME).</summary>
    public void QueueForReplay(string sessionId, string type, object data)
    {
        var session = _sessions[sessionId];
        lock (session)
        {
            var seq = ++session.Seq;
            session.Events.Add((seq, type, JsonSerializer.Serialize(data)));
        }
    }

    public string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 30_000)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }

            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in Connections)
        {
            c.Abort();
        }

        using var stopCts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopCts.Token);
        await _app.DisposeAsync();
    }

    private async Task AcceptGatewayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var ws = await context.WebSockets.AcceptWebSocketAsync();
        FakeGatewayConnection conn;
        lock (_gate)
        {
            conn = new FakeGatewayConnection(this, ws, _connections.Count, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", _time.GetUtcNow());
            _connections.Add(conn);
        }

        try
        {
            if (OnConnect is { } onConnect)
            {
                await onConnect(conn);
            }

            if (SendHello && conn.IsOpen)
            {
                await conn.SendRawAsync($"{{\"op\":10,\"d\":{{\"heartbeat_interval\":{HeartbeatIntervalMs}}},\"s\":null,\"t\":null}}");
            }

            await conn.ReceiveLoopAsync(HandleClientFrameAsync);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            conn.MarkEnded();
        }
    }

    private async Task HandleClientFrameAsync(FakeGatewayConnection conn, RecordedFrame frame)
    {
        switch (frame.Op)
        {
            case 1:
                if (AutoAck && !conn.WithholdAcks)
                {
                    await conn.SendRawAsync("{\"op\":11,\"d\":null,\"s\":null,\"t\":null}");
                }

                break;
            case 2:
                Interlocked.Decrement(ref _sessionStartRemaining);
                if (AutoReady)
                {
                    await SendReadyAsync(conn);
                }

                break;
            case 6:
            {
                var d = frame.Json["d"]!;
                var sessionId = d["session_id"]?.GetValue<string>() ?? "";
                var seq = d["seq"]?.GetValue<int?>() ?? 0;
                if (!AutoReady)
                {
                    break;
                }

                if (!AcceptResume || !_sessions.TryGetValue(sessionId, out var session))
                {
                    await conn.SendRawAsync("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
                    break;
                }

                conn.Session = session;
                List<(int Seq, string Type, string Json)> replay;
                lock (session)
                {
                    replay = session.Events.Where(e => e.Seq > seq - ReplayOverlap).ToList();
                }

                foreach (var e in replay)
                {
                    await conn.SendRawAsync($"{{\"op\":0,\"s\":{e.Seq},\"t\":\"{e.Type}\",\"d\":{e.Json}}}");
                }

                int resumedSeq;
                lock (session)
                {
                    resumedSeq = ++session.Seq;
                    session.Events.Add((resumedSeq, "RESUMED", "{}"));
                }

                await conn.SendRawAsync($"{{\"op\":0,\"s\":{resumedSeq},\"t\":\"RESUMED\",\"d\":{{}}}}");
                break;
            }
        }
    }

    private async Task SendReadyAsync(FakeGatewayConnection conn)
    {
        var sessionId = "session-" + Interlocked.Increment(ref _sessionCounter);
        var session = new FakeSession(sessionId);
        _sessions[sessionId] = session;
        conn.Session = session;
        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = new JsonObject { ["id"] = BotUserId, ["username"] = "kbot", ["bot"] = true },
            ["guilds"] = new JsonArray(),
            ["session_id"] = sessionId,
            ["resume_gateway_url"] = ResumeUrl,
            ["shard"] = new JsonArray(0, 1),
            ["application"] = new JsonObject { ["id"] = AppId, ["flags"] = 0 },
        };
        if (ReadyPaddingBytes > 0)
        {
            var guilds = new JsonArray();
            var size = 0;
            var i = 0;
            while (size < ReadyPaddingBytes)
            {
                var g = new JsonObject { ["id"] = (1100000000000000000L + i++).ToString(System.Globalization.CultureInfo.InvariantCulture), ["unavailable"] = true, ["name"] = new string('가', 100) };
                size += 400;
                guilds.Add(g);
            }

            ready["guilds"] = guilds;
        }

        int seq;
        lock (session)
        {
            seq = ++session.Seq;
            session.Events.Add((seq, "READY", "{}"));
        }

        await conn.SendRawAsync($"{{\"op\":0,\"s\":{seq},\"t\":\"READY\",\"d\":{ready.ToJsonString()}}}");
        if (OnReady is { } onReady)
        {
            await onReady(conn);
        }
    }

    private async Task HandleRestAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var path = "/" + (context.Request.RouteValues["path"]?.ToString() ?? "");
        var request = new RecordedRequest(context.Request.Method, path, headers, body, _time.GetUtcNow(), Stopwatch.GetTimestamp());
        Requests.Enqueue(request);

        FakeResponse? scripted = null;
        lock (_gate)
        {
            var index = _scripts.FindIndex(s => s.Match(request));
            if (index >= 0)
            {
                scripted = _scripts[index].Response;
                if (_scripts[index].Once)
                {
                    _scripts.RemoveAt(index);
                }
            }
        }

        var response = scripted ?? DefaultResponse(request);
        if (response.Hold is { } hold)
        {
            await hold;
        }

        request.Status = response.Status;
        context.Response.StatusCode = response.Status;
        foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[k] = v;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    private FakeResponse DefaultResponse(RecordedRequest r)
    {
        var segments = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (r.Method == "GET" && r.Path == "/gateway/bot")
        {
            if (r.Header("authorization") is not { } auth || !auth.StartsWith("Bot ", StringComparison.Ordinal))
            {
                return FakeResponse.Error(401, 0, "401: Unauthorized");
            }

            return new FakeResponse(200, JsonSerializer.Serialize(new
            {
                url = GatewayUrl,
                shards = 1,
                session_start_limit = new { total = 1000, remaining = SessionStartRemaining, reset_after = 14_400_000, max_concurrency = 1 },
            }));
        }

        if (r.Method == "GET" && r.Path == "/applications/@me")
        {
            return new FakeResponse(200, JsonSerializer.Serialize(new { id = AppId, name = "kbot" }));
        }

        if (r.Method == "POST" && segments is ["channels", var channel, "messages"])
        {
            var json = r.Json!;
            var nonce = json["nonce"]?.GetValue<string>();
            var enforce = json["enforce_nonce"]?.GetValue<bool>() == true;
            var id = nonce is not null && enforce ? _nonces.GetOrAdd(nonce, _ => NewMessage(channel, json)) : NewMessage(channel, json);
            return new FakeResponse(200, JsonSerializer.Serialize(new { id, channel_id = channel, content = json["content"]?.GetValue<string>() }));
        }

        if (r.Method == "POST" && segments is ["channels", _, "typing"])
        {
            return new FakeResponse(204);
        }

        if (r.Method == "POST" && segments is ["interactions", _, _, "callback"])
        {
            return new FakeResponse(204);
        }

        if (r.Method == "PATCH" && segments is ["webhooks", _, _, "messages", "@original"])
        {
            return new FakeResponse(200, JsonSerializer.Serialize(new { id = NextId() }));
        }

        if (r.Method == "POST" && segments is ["webhooks", _, _])
        {
            return new FakeResponse(200, JsonSerializer.Serialize(new { id = NextId() }));
        }

        if (r.Method == "PUT" && segments is ["applications", _, "commands"] or ["applications", _, "guilds", _, "commands"])
        {
            var list = r.Json!.AsArray();
            foreach (var item in list)
            {
                item!["id"] = NextId();
            }

            return new FakeResponse(200, list.ToJsonString());
        }

        return FakeResponse.Error(404, 0, "404: Not Found");
    }

    private string NewMessage(string channel, JsonNode json)
    {
        var id = NextId();
        CreatedMessages.Enqueue((channel, id, json.DeepClone()));
        return id;
    }
}

/// <summary>A session the fake issued (READY), with its sequence and event log for replay.</summary>
internal sealed class FakeSession(string id)
{
    public string Id { get; } = id;

    public int Seq { get; set; }

    public List<(int Seq, string Type, string Json)> Events { get; } = [];
}

/// <summary>A frame the client sent.</summary>
internal sealed record RecordedFrame(int Op, JsonNode Json, string Text, int Bytes, DateTimeOffset At, long RealTimestamp);

/// <summary>One accepted gateway WebSocket.</summary>
internal sealed class FakeGatewayConnection
{
    private readonly FakeDiscordServer _server;
    private readonly WebSocket _ws;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeGatewayConnection(FakeDiscordServer server, WebSocket ws, int index, string path, string query, DateTimeOffset openedAt)
    {
        _server = server;
        _ws = ws;
        Index = index;
        Path = path;
        Query = query;
        OpenedAt = openedAt;
    }

    public int Index { get; }

    public string Path { get; }

    public string Query { get; }

    public DateTimeOffset OpenedAt { get; }

    public FakeSession? Session { get; set; }

    public bool WithholdAcks { get; set; }

    public ConcurrentQueue<RecordedFrame> ClientFrames { get; } = new();

    /// <summary>The close code the client sent, if it closed with a close frame.</summary>
    public int? ClientCloseCode { get; private set; }

    public bool ClientClosed { get; private set; }

    public bool IsOpen => _ws.State == WebSocketState.Open;

    public Task Ended => _ended.Task;

    public async Task SendRawAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        await _send.WaitAsync();
        try
        {
            if (_ws.State != WebSocketState.Open)
            {
                return;
            }

            var size = (_server.FragmentSize) is > 0 and var f ? f : bytes.Length;
            for (var offset = 0; offset < bytes.Length; offset += size)
            {
                var count = Math.Min(size, bytes.Length - offset);
                await _ws.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _send.Release();
        }
    }

    public Task SendOpAsync(int op, string dJson = "null") => SendRawAsync($"{{\"op\":{op},\"d\":{dJson},\"s\":null,\"t\":null}}");

    public async Task CloseAsync(int code, string reason = "fake close")
    {
        await _send.WaitAsync();
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                await _ws.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            _send.Release();
        }
    }

    public void Abort() => _ws.Abort();

    internal void MarkEnded() => _ended.TrySetResult();

    internal async Task ReceiveLoopAsync(Func<FakeGatewayConnection, RecordedFrame, Task> handle)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            message.SetLength(0);
            WebSocketReceiveResult result;
            do
            {
                result = await _ws.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClientClosed = true;
                    ClientCloseCode = (int?)result.CloseStatus;
                    try
                    {
                        await _send.WaitAsync();
                        if (_ws.State == WebSocketState.CloseReceived)
                        {
                            await _ws.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        }
                    }
                    catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
                    {
                    }
                    finally
                    {
                        _send.Release();
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            var json = JsonNode.Parse(text)!;
            var frame = new RecordedFrame(json["op"]!.GetValue<int>(), json, text, (int)message.Length, _server.Time.GetUtcNow(), Stopwatch.GetTimestamp());
            ClientFrames.Enqueue(frame);
            await handle(this, frame);
        }
    }

}
