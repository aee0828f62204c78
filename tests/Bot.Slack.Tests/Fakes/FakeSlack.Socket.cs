using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
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

namespace Bot.Slack.Tests.Fakes;

/// <summary>One accepted Socket Mode connection on the fake.</summary>
internal sealed class FakeSocket
{
    private readonly WebSocket _ws;
    private readonly FakeSlack _owner;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeSocket(int id, string ticket, string query, WebSocket ws, FakeSlack owner)
    {
        Id = id;
        Ticket = ticket;
        Query = query;
        _ws = ws;
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

    public async Task SendAsync(JsonNode frame)
    {
        var text = frame.ToJsonString();
        await _send.WaitAsync();
        try
        {
            Sent.Enqueue((DateTimeOffset.UtcNow, text));
            await _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Sends a frame as is (fuzzing): any bytes, as a text or binary message.</summary>
    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        await _send.WaitAsync();
        try
        {
            await _ws.SendAsync(bytes, type, true, CancellationToken.None);
        }
        finally
        {
            _send.Release();
        }
    }

    public Task SendHelloAsync() => SendAsync(JsonNode.Parse("""
        {"type":"hello","num_connections":1,"debug_info":{"host":"applink-fake","build_number":105,"approximate_connection_time":18060},"connection_info":{"app_id":"A1"}}
        """)!);

    public Task SendDisconnectAsync(string reason) =>
        SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason, ["debug_info"] = new JsonObject { ["host"] = "applink-fake" } });

    public async Task CloseAsync()
    {
        try
        {
            await _send.WaitAsync();
            try
            {
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            finally
            {
                _send.Release();
            }
        }
        catch (WebSocketException)
        {
        }
    }

    public void Abort()
    {
        _ws.Abort();
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
                        CloseDescription = "client closed " + result.CloseStatus;
                        await _send.WaitAsync();
                        try
                        {
                            if (_ws.State == WebSocketState.CloseReceived)
                            {
                                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                            }
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

                _owner.RecordAck(this, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }
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
