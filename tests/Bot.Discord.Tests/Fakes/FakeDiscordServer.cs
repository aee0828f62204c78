using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Discord.Tests.Fakes;

/// <summary>
/// A fake Discord on a <see cref="FakeServerHost"/> (Kestrel on 127.0.0.1:0): REST routes under /api/v10 and a WebSocket gateway at /gateway (and
/// /resume for resume_gateway_url). Records every request and frame with timestamps (from the given clock) and can be
/// scripted to send HELLO with a chosen interval, dispatch events, withhold ACKs, send op 7/9, close with a code and
/// answer REST calls with 429/5xx/4xx.
/// </summary>
internal sealed partial class FakeDiscordServer : IAsyncDisposable
{
    public const string BotUserId = "900000000000000001";
    public const string AppId = "800000000000000001";

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly List<FakeGatewayConnection> _connections = [];
    private readonly List<(Func<RecordedRequest, bool> Match, FakeResponse Response, bool Once)> _scripts = [];
    private readonly ConcurrentDictionary<string, string> _nonces = new();
    private readonly ConcurrentDictionary<string, FakeSession> _sessions = new();
    private long _nextId = 1300000000000000000;
    private int _sessionCounter;

    private FakeServerHost _host = null!;

    private FakeDiscordServer(TimeProvider time)
    {
        _time = time;
    }

    public int Port => _host.Port;

    internal TimeProvider Time => _time;

    public string ApiBaseUrl => _host.Http("api/v10").ToString();

    public string GatewayUrl => _host.WebSocket("gateway").ToString();

    public string ResumeUrl => _host.WebSocket("resume").ToString();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Messages created through POST /channels/{id}/messages (deduplicated by nonce when enforce_nonce).</summary>
    public ConcurrentQueue<(string ChannelId, string MessageId, JsonNode Body)> CreatedMessages { get; } = new();

    // ---- gateway behaviour knobs ----
    public int HeartbeatIntervalMs { get; set; } = 41250;

    /// <summary>Sharding: recommended count, max_concurrency, IDENTIFY pacing and shard checks, guild routing.</summary>
    public FakeShardRules Sharding { get; } = new();

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
        var server = new FakeDiscordServer(time ?? TimeProvider.System);
        server._host = await FakeServerHost.StartAsync(routes =>
        {
            routes.MapWebSocket("/gateway", server.RunGatewayAsync);
            routes.MapWebSocket("/resume", server.RunGatewayAsync);
            routes.Map("/api/v10/{**path}", server.HandleRestAsync);
        });
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

    /// <summary>All frames the client sent with this opcode, over all connections, in order.</summary>
    public List<RecordedFrame> ClientFrames(int? op = null) =>
        Connections.SelectMany(c => c.ClientFrames.ToArray()).Where(f => op is null || f.Op == op).ToList();

    /// <summary>
    /// Sends a dispatch (next seq of the session) on <paramref name="connection"/>, or else where Discord would: on the
    /// ready connection of the shard that owns the event's <c>guild_id</c> (<c>(guild_id &gt;&gt; 22) % num_shards</c>), or
    /// of shard 0 for an event without one (a DM).
    /// </summary>
    public Task DispatchAsync(string type, object data, FakeGatewayConnection? connection = null)
    {
        var json = JsonSerializer.Serialize(data);
        var conn = connection ?? Route(JsonNode.Parse(json)?["guild_id"]?.GetValue<string>());
        var session = conn.Session!;
        int seq;
        lock (session)
        {
            seq = ++session.Seq;
            session.Events.Add((seq, type, json));
        }

        return conn.SendRawAsync($"{{\"op\":0,\"s\":{seq},\"t\":\"{type}\",\"d\":{json}}}");
    }

    /// <summary>The ready connection that receives events of <paramref name="guildId"/> (null: a DM), by Discord's routing.</summary>
    public FakeGatewayConnection Route(string? guildId)
    {
        var ready = Connections.Where(c => c.Session is not null && c.IsOpen).ToList();
        var count = ready.Count == 0 ? 1 : ready[^1].ShardCount;
        var shard = FakeShardRules.ShardOf(guildId, count);
        return ready.LastOrDefault(c => c.ShardId == shard && c.ShardCount == count)
               ?? throw new InvalidOperationException($"no ready connection for shard {shard} of {count}");
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

    /// <summary><see cref="Wait.UntilAsync"/>, polling every 5 ms.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 30_000) =>
        Wait.UntilAsync(condition, what, TimeSpan.FromMilliseconds(timeoutMs), poll: TimeSpan.FromMilliseconds(5));

    public async ValueTask DisposeAsync()
    {
        foreach (var c in Connections)
        {
            c.Abort();
        }

        await _host.DisposeAsync();
    }

    private async Task RunGatewayAsync(HttpContext context, WebSocket ws)
    {
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
            {
                Interlocked.Decrement(ref _sessionStartRemaining);
                var verdict = Sharding.Identify(frame.Json["d"], _time.GetUtcNow(), out var shard, out var count);
                if (verdict == IdentifyVerdict.RateLimited)
                {
                    await conn.SendOpAsync(9, "false");
                    break;
                }

                if (verdict != IdentifyVerdict.Ok)
                {
                    await conn.CloseAsync(verdict == IdentifyVerdict.InvalidShard ? 4010 : 4011, verdict.ToString());
                    break;
                }

                conn.ShardId = shard;
                conn.ShardCount = count;
                if (AutoReady)
                {
                    await SendReadyAsync(conn);
                }

                break;
            }
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
            ["shard"] = new JsonArray(conn.ShardId, conn.ShardCount),
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
}
