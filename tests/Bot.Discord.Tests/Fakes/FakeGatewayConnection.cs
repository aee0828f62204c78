using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Bot.TestSupport;

namespace Bot.Discord.Tests.Fakes;

/// <summary>A session the fake issued (READY), with its sequence and event log for replay.</summary>
internal sealed class FakeSession(string id)
{
    public string Id { get; } = id;

    public int Seq { get; set; }

    public List<(int Seq, string Type, string Json)> Events { get; } = [];
}

/// <summary>A frame the client sent.</summary>
internal sealed record RecordedFrame(int Op, JsonNode Json, string Text, int Bytes, DateTimeOffset At, long RealTimestamp);

/// <summary>One accepted gateway WebSocket (the socket work is <see cref="FakeWebSocketPeer"/>'s; this is Discord's framing).</summary>
internal sealed class FakeGatewayConnection
{
    private readonly FakeDiscordServer _server;
    private readonly FakeWebSocketPeer _peer;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeGatewayConnection(FakeDiscordServer server, WebSocket ws, int index, string path, string query, DateTimeOffset openedAt)
    {
        _server = server;
        _peer = new FakeWebSocketPeer(ws);
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

    /// <summary>The shard this connection identified as (IDENTIFY's <c>shard</c>; [0, 1] when absent).</summary>
    public int ShardId { get; set; }

    public int ShardCount { get; set; } = 1;

    public bool WithholdAcks { get; set; }

    public ConcurrentQueue<RecordedFrame> ClientFrames { get; } = new();

    /// <summary>The close code the client sent, if it closed with a close frame.</summary>
    public int? ClientCloseCode => _peer.ClientCloseCode;

    public bool ClientClosed => _peer.ClientClosed;

    public bool IsOpen => _peer.IsOpen;

    public Task Ended => _ended.Task;

    /// <summary>Sends a frame (in <see cref="FakeDiscordServer.FragmentSize"/> fragments when set); a closed socket drops it.</summary>
    public async Task SendRawAsync(string json)
    {
        if (!_peer.IsOpen)
        {
            return;
        }

        try
        {
            await _peer.SendTextAsync(json, _server.FragmentSize);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public Task SendOpAsync(int op, string dJson = "null") => SendRawAsync($"{{\"op\":{op},\"d\":{dJson},\"s\":null,\"t\":null}}");

    public Task CloseAsync(int code, string reason = "fake close") => _peer.CloseAsync(code, reason);

    public void Abort() => _peer.Abort();

    internal void MarkEnded() => _ended.TrySetResult();

    internal async Task ReceiveLoopAsync(Func<FakeGatewayConnection, RecordedFrame, Task> handle)
    {
        while (await _peer.ReceiveAsync() is { } message)
        {
            var (text, bytes) = message;
            var json = JsonNode.Parse(text)!;
            var frame = new RecordedFrame(json["op"]!.GetValue<int>(), json, text, bytes, _server.Time.GetUtcNow(), Stopwatch.GetTimestamp());
            ClientFrames.Enqueue(frame);
            await handle(this, frame);
        }
    }
}
