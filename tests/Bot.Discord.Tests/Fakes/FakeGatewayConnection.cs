using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

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

    /// <summary>The shard this connection identified as (IDENTIFY's <c>shard</c>; [0, 1] when absent).</summary>
    public int ShardId { get; set; }

    public int ShardCount { get; set; } = 1;

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
