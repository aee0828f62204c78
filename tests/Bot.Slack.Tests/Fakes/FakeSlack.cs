using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// A fake Slack on a <see cref="FakeServerHost"/> (Kestrel on 127.0.0.1:0): Web API under /api/, a Socket Mode WebSocket under /link/?ticket=N handed out by
/// apps.connections.open (fresh ticket each call), response_url endpoints under /commands/, and a sender of signed HTTP
/// requests. Records every request, frame and ack with real and fake-clock timestamps; failures can be scripted.
/// </summary>
internal sealed partial class FakeSlack : IAsyncDisposable
{
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ApiCall> _calls = new();
    private readonly ConcurrentQueue<ResponseUrlPost> _responsePosts = new();
    private readonly ConcurrentQueue<AckRecord> _acks = new();
    private readonly ConcurrentQueue<string> _postedTs = new();
    private readonly ConcurrentDictionary<int, FakeSlackSocket> _sockets = new();
    private readonly ConcurrentQueue<SocketBehaviour> _nextSocketBehaviours = new();
    private readonly ConcurrentDictionary<string, string> _ticketAuthorizations = new(StringComparer.Ordinal);
    private int _ticket;
    private int _socketIds;
    private int _ts;

    private FakeServerHost _host = null!;

    private FakeSlack(TimeProvider clock)
    {
        _clock = clock;
    }

    public Uri BaseUrl => _host.BaseUri;

    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    public IReadOnlyList<ApiCall> Calls => _calls.ToArray();

    public IReadOnlyList<ResponseUrlPost> ResponsePosts => _responsePosts.ToArray();

    public IReadOnlyList<AckRecord> Acks => _acks.ToArray();

    /// <summary>The ts values returned by successful (default) chat.postMessage answers, in order.</summary>
    public IReadOnlyList<string> PostedTs => _postedTs.ToArray();

    public IReadOnlyList<FakeSlackSocket> Sockets => _sockets.Values.OrderBy(s => s.Id).ToArray();

    public IReadOnlyList<ApiCall> CallsTo(string method) => _calls.Where(c => c.Method == method).ToArray();

    /// <summary>chat.postMessage bodies, in arrival order.</summary>
    public IReadOnlyList<JsonObject> Posts => CallsTo("chat.postMessage").Select(c => c.Json!).ToArray();

    public static async Task<FakeSlack> StartAsync(TimeProvider clock)
    {
        var fake = new FakeSlack(clock);
        fake._host = await FakeServerHost.StartAsync(routes =>
        {
            routes.MapPost("/api/{method}", fake.HandleApiAsync);
            routes.MapPost("/commands/{id}", fake.HandleResponseUrlAsync);
            routes.MapWebSocket("/link", fake.RunSocketAsync);
        });
        return fake;
    }

    /// <summary>Queues a scripted answer for the next call of <paramref name="method"/> (FIFO); later calls get the default.</summary>
    public void Script(string method, int status, string body, params (string Name, string Value)[] headers) =>
        _scripts.GetOrAdd(method, _ => new ConcurrentQueue<ScriptedResponse>()).Enqueue(new ScriptedResponse(status, body, headers));

    /// <summary>Queues "answer this call normally" (to script the Nth call of a method).</summary>
    public void ScriptPass(string method) => Script(method, -1, "");

    public void ScriptError(string method, string error) => Script(method, 200, $$"""{"ok":false,"error":"{{error}}"}""");

    /// <summary>The next WebSocket accepted gets this behaviour (FIFO; later ones are normal).</summary>
    public void NextSocket(SocketBehaviour behaviour) => _nextSocketBehaviours.Enqueue(behaviour);

    private readonly TaskCompletionSource _helloGate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task HelloGate => _helloGate.Task;

    public void ReleaseHello() => _helloGate.TrySetResult();

    public Uri ResponseUrl(string id) => new(BaseUrl, "commands/" + id);

    /// <summary><see cref="Wait.UntilAsync"/> (every 10 ms, 30 s by default).</summary>
    public Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Action? whileWaiting = null) =>
        Wait.UntilAsync(condition, what, timeout, whileWaiting);

    public Task<FakeSlackSocket> WaitForSocketAsync(int count, Action? whileWaiting = null) =>
        WaitForAsync(() => Sockets.Count >= count && Sockets[count - 1].HelloSent ? Sockets[count - 1] : null, $"socket #{count}", whileWaiting);

    public Task<T> WaitForAsync<T>(Func<T?> probe, string what, Action? whileWaiting = null, TimeSpan? timeout = null)
        where T : class => Wait.ForAsync(probe, what, timeout, whileWaiting);

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets.Values)
        {
            socket.Abort();
        }

        await _host.DisposeAsync();
    }

    // ---------- handlers ----------

    /// <summary>While set and not completed, chat.postMessage calls are recorded but not answered (a slow Slack).</summary>
    public TaskCompletionSource? HoldPostMessage { get; set; }

    private async Task HandleApiAsync(HttpContext context, string method)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var call = new ApiCall(method, context.Request.Headers.Authorization.ToString(), context.Request.ContentType, body, json,
            DateTimeOffset.UtcNow, _clock.GetUtcNow());
        _calls.Enqueue(call);
        if (method == "chat.postMessage" && HoldPostMessage is { } hold)
        {
            await hold.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        if (_scripts.TryGetValue(method, out var queue) && queue.TryDequeue(out var scripted) && scripted.Status >= 0)
        {
            context.Response.StatusCode = scripted.Status;
            foreach (var (name, value) in scripted.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(scripted.Body);
            return;
        }

        JsonObject response = method switch
        {
            "auth.test" => new JsonObject
            {
                ["ok"] = true, ["url"] = "https://acme.slack.com/", ["team"] = "Acme", ["user"] = "bot", ["team_id"] = "T1",
                ["user_id"] = "U_BOT", ["bot_id"] = "B_BOT", ["is_enterprise_install"] = false,
            },
            "apps.connections.open" => new JsonObject
            {
                ["ok"] = true,
                ["url"] = _host.WebSocket("link/?ticket=" + Ticket(call.Authorization) + "&app_id=A1").ToString(),
            },
            "chat.postMessage" => new JsonObject
            {
                ["ok"] = true,
                ["channel"] = json?["channel"]?.GetValue<string>(),
                ["ts"] = "1754000001." + Interlocked.Increment(ref _ts).ToString("D6", CultureInfo.InvariantCulture),
                ["message"] = new JsonObject { ["text"] = json?["text"]?.GetValue<string>(), ["bot_id"] = "B_BOT" },
            },
            "chat.postEphemeral" => new JsonObject { ["ok"] = true, ["message_ts"] = "1754000002." + Interlocked.Increment(ref _ts).ToString("D6", CultureInfo.InvariantCulture) },
            _ => new JsonObject { ["ok"] = false, ["error"] = "unknown_method" },
        };
        if (method == "chat.postMessage")
        {
            _postedTs.Enqueue(response["ts"]!.GetValue<string>());
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(response.ToJsonString());
    }

    private async Task HandleResponseUrlAsync(HttpContext context, string id)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        _responsePosts.Enqueue(new ResponseUrlPost(id, context.Request.ContentType, context.Request.Headers.Authorization.ToString(), body,
            JsonNode.Parse(body) as JsonObject, DateTimeOffset.UtcNow));
        if (_scripts.TryGetValue("response_url", out var queue) && queue.TryDequeue(out var scripted))
        {
            context.Response.StatusCode = scripted.Status;
            await context.Response.WriteAsync(scripted.Body);
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"ok":true}""");
    }

    /// <summary>The Authorization header (the app token) of the apps.connections.open call that got <paramref name="ticket"/>.</summary>
    public string? AuthorizationOfTicket(string ticket) => _ticketAuthorizations.TryGetValue(ticket, out var a) ? a : null;

    private string Ticket(string authorization)
    {
        var ticket = Interlocked.Increment(ref _ticket).ToString(CultureInfo.InvariantCulture);
        _ticketAuthorizations[ticket] = authorization;
        return ticket;
    }

    private async Task RunSocketAsync(HttpContext context, WebSocket ws)
    {
        var ticket = context.Request.Query["ticket"].ToString();
        var behaviour = _nextSocketBehaviours.TryDequeue(out var b) ? b : SocketBehaviour.Normal;
        var socket = new FakeSlackSocket(Interlocked.Increment(ref _socketIds), ticket, context.Request.QueryString.Value ?? "", ws, this);
        _sockets[socket.Id] = socket;
        await socket.RunAsync(behaviour);
    }

    internal void RecordAck(FakeSlackSocket socket, string text)
    {
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var envelopeId = json?["envelope_id"]?.GetValue<string>();
        if (envelopeId is not null)
        {
            _acks.Enqueue(new AckRecord(socket.Id, envelopeId, json!["payload"] as JsonObject, DateTimeOffset.UtcNow, text));
            AckArrived(socket, envelopeId);
        }
    }

    private sealed record ScriptedResponse(int Status, string Body, (string Name, string Value)[] Headers);
}

internal enum SocketBehaviour
{
    /// <summary>Sends hello, then reads (and answers pings).</summary>
    Normal,

    /// <summary>Never sends hello.</summary>
    NoHello,

    /// <summary>Sends hello but never reads: client pings go unanswered.</summary>
    Deaf,

    /// <summary>Sends an envelope before hello, then hello.</summary>
    EnvelopeBeforeHello,

    /// <summary>Sends hello only when the test calls <see cref="FakeSlack.ReleaseHello"/>.</summary>
    HelloWhenReleased,
}

internal sealed record ApiCall(string Method, string Authorization, string? ContentType, byte[] Body, JsonObject? Json, DateTimeOffset At, DateTimeOffset ClockAt);

internal sealed record ResponseUrlPost(string Id, string? ContentType, string Authorization, byte[] Body, JsonObject? Json, DateTimeOffset At);

internal sealed record AckRecord(int SocketId, string EnvelopeId, JsonObject? Payload, DateTimeOffset At, string Raw);
