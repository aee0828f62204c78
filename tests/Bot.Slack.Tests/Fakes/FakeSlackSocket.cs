using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Bot.TestSupport;

namespace Bot.Slack.Tests.Fakes;

/// <summary>One accepted Socket Mode connection on the fake (the socket work is <see cref="FakeWebSocketPeer"/>'s; this is Slack's framing).</summary>
internal sealed class FakeSlackSocket
{
    private readonly FakeWebSocketPeer _peer;
    private readonly FakeSlack _owner;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeSlackSocket(int id, string ticket, string query, WebSocket ws, FakeSlack owner)
    {
        Id = id;
        Ticket = ticket;
        Query = query;
        _peer = new FakeWebSocketPeer(ws);
        _owner = owner;
    }

    public int Id { get; }

    public string Ticket { get; }

    public string Query { get; }

    public bool HelloSent { get; private set; }

    public bool Accepted { get; private set; }

    public DateTimeOffset? HelloAt { get; private set; }

    public bool Closed => _done.Task.IsCompleted;

    public DateTimeOffset? ClosedAt { get; private set; }

    public string? CloseDescription { get; private set; }

    public ConcurrentQueue<(DateTimeOffset At, string Text)> Sent { get; } = new();

    public Task Done => _done.Task;

    public Task SendAsync(JsonNode frame)
    {
        var text = frame.ToJsonString();
        Sent.Enqueue((DateTimeOffset.UtcNow, text));
        return _peer.SendTextAsync(text);
    }

    /// <summary>Sends a frame as is (fuzzing): any bytes, as a text or binary message.</summary>
    public Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text) => _peer.SendAsync(bytes, type);

    public Task SendHelloAsync() => SendAsync(JsonNode.Parse("""
        {"type":"hello","num_connections":1,"debug_info":{"host":"applink-fake","build_number":105,"approximate_connection_time":18060},"connection_info":{"app_id":"A1"}}
        """)!);

    public Task SendDisconnectAsync(string reason) =>
        SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "applink-fake" } });

    public Task CloseAsync() => _peer.CloseAsync((int)WebSocketCloseStatus.NormalClosure, "bye");

    public void Abort()
    {
        _peer.Abort();
        _done.TrySetResult();
    }

    public async Task RunAsync(SocketBehaviour behaviour)
    {
        try
        {
            if (behaviour == SocketBehaviour.EnvelopeBeforeHello)
            {
                await SendAsync(FakeSlack.EventEnvelope("env-before-hello", "Ev-before-hello", FakeSlack.Mention("<@U_BOT> 너무 이른 질문")));
            }

            if (behaviour == SocketBehaviour.HelloWhenReleased)
            {
                Accepted = true;
                await _owner.HelloGate;
            }

            if (behaviour != SocketBehaviour.NoHello)
            {
                await SendHelloAsync();
                HelloAt = DateTimeOffset.UtcNow;
                HelloSent = true;
            }

            if (behaviour == SocketBehaviour.Deaf)
            {
                await Task.WhenAny(_done.Task, Task.Delay(TimeSpan.FromSeconds(30)));
                return;
            }

            while (await _peer.ReceiveAsync() is { } message)
            {
                _owner.RecordAck(this, message.Text);
            }

            CloseDescription = "client closed " + (WebSocketCloseStatus?)_peer.ClientCloseCode;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            CloseDescription ??= "aborted: " + ex.GetType().Name;
        }
        finally
        {
            ClosedAt = DateTimeOffset.UtcNow;
            _done.TrySetResult();
        }
    }
}
