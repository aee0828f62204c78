using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Chat;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.SocketMode;

/// <summary>Why a socket's owner should act.</summary>
internal enum SocketSignal
{
    /// <summary>The socket closed or failed.</summary>
    Closed,

    /// <summary>Slack sent disconnect (warning / refresh_requested / other): open a replacement, then close this one.</summary>
    ReplaceRequested,

    /// <summary>No inbound frame within the silence timeout: replace it.</summary>
    Silent,

    /// <summary>Slack sent disconnect reason link_disabled: Socket Mode is off for the app; stop.</summary>
    LinkDisabled,

    /// <summary>Slack sent disconnect reason too_many_websockets: reconnect slowly.</summary>
    TooManyWebsockets,
}

/// <summary>
/// One Socket Mode WebSocket: receive loop, hello gate, disconnect frames, an inbound-silence watchdog on the
/// <see cref="TimeProvider"/>, and serialized sends (acks go back on this same socket).
/// </summary>
internal sealed class SocketModeConnection : IAsyncDisposable
{
    private const int MaxFrameBytes = 8 * 1024 * 1024;
    private static int s_nextId;

    private readonly ClientWebSocket _ws = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SocketSignal> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cts = new();
    private readonly Func<SocketModeConnection, JsonElement, Task> _onEnvelope;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private ITimer? _watchdog;
    private Task _receiveLoop = Task.CompletedTask;
    private int _disposed;

    public SocketModeConnection(int slot, Func<SocketModeConnection, JsonElement, Task> onEnvelope, SlackOptions options, TimeProvider time, ILogger logger)
    {
        Id = Interlocked.Increment(ref s_nextId);
        Slot = slot;
        _onEnvelope = onEnvelope;
        _options = options;
        _time = time;
        _logger = logger;
        if (options.KeepAliveInterval > TimeSpan.Zero)
        {
            _ws.Options.KeepAliveInterval = options.KeepAliveInterval;
            _ws.Options.KeepAliveTimeout = options.KeepAliveTimeout > TimeSpan.Zero ? options.KeepAliveTimeout : Timeout.InfiniteTimeSpan;
        }
        else
        {
            _ws.Options.KeepAliveInterval = TimeSpan.Zero;
        }
    }

    public int Id { get; }

    public int Slot { get; }

    public DateTimeOffset ConnectedAt { get; private set; }

    public bool HelloReceived => _hello.Task.IsCompletedSuccessfully;

    /// <summary>Completes with the first thing the owner must act on.</summary>
    public Task<SocketSignal> Signal => _signal.Task;

    /// <summary>Connects and waits for hello (within <see cref="SlackOptions.HelloTimeout"/> on the TimeProvider).</summary>
    public async Task ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.HelloTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _ws.ConnectAsync(url, linked.Token).ConfigureAwait(false);
            ConnectedAt = _time.GetUtcNow();
            _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
            await _hello.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebSocketException("no hello within " + _options.HelloTimeout);
        }

        if (_options.SilenceTimeout > TimeSpan.Zero)
        {
            _watchdog = _time.CreateTimer(_ => OnSilent(), null, _options.SilenceTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Acks an envelope on this socket: {"envelope_id":…} plus an optional payload.</summary>
    public async Task AckAsync(string envelopeId, JsonObject? payload)
    {
        var ack = new JsonObject { ["envelope_id"] = envelopeId };
        if (payload is not null)
        {
            ack["payload"] = payload;
        }

        await SendAsync(SlackJson.ToUtf8(ack)).ConfigureAwait(false);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> utf8Json)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            await _ws.SendAsync(utf8Json, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Closes gracefully (close frame, then wait briefly for the server's), then aborts; always disposes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _watchdog?.Dispose();
        try
        {
            if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _sendLock.WaitAsync(closeTimeout.Token).ConfigureAwait(false);
                try
                {
                    await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", closeTimeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }

                await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }
        finally
        {
            await _cts.CancelAsync().ConfigureAwait(false);
            _ws.Abort();
            try
            {
                await _receiveLoop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }

            _ws.Dispose();
            _cts.Dispose();
            _signal.TrySetResult(SocketSignal.Closed);
        }
    }

    private void OnSilent()
    {
        if (_signal.TrySetResult(SocketSignal.Silent))
        {
            SlackLog.SocketSilent(_logger, Id, _options.SilenceTimeout.TotalSeconds);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        var reason = "closed by server";
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                message.SetLength(0);
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _ws.ReceiveAsync(buffer.AsMemory(), _cts.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        reason = "close frame " + (_ws.CloseStatus?.ToString() ?? "");
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                    if (message.Length > MaxFrameBytes)
                    {
                        reason = "frame too large";
                        return;
                    }
                }
                while (!result.EndOfMessage);

                _watchdog?.Change(_options.SilenceTimeout, Timeout.InfiniteTimeSpan);
                if (result.MessageType != WebSocketMessageType.Text)
                {
                    continue;
                }

                await HandleFrameAsync(message.GetBuffer().AsMemory(0, (int)message.Length)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            reason = "cancelled";
        }
        catch (WebSocketException ex)
        {
            reason = ex.WebSocketErrorCode.ToString();
        }
        finally
        {
            _hello.TrySetException(new WebSocketException("socket closed before hello: " + reason));
            if (_signal.TrySetResult(SocketSignal.Closed) && Volatile.Read(ref _disposed) == 0)
            {
                SlackLog.SocketClosed(_logger, Id, reason);
            }
        }
    }

    private async Task HandleFrameAsync(ReadOnlyMemory<byte> frame)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(frame);
        }
        catch (JsonException ex)
        {
            SlackLog.BadFrame(_logger, Id, ex.Message); // no stack trace: the frame is bad, not the bot
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var type = root.GetString("type");
            if (type == "hello")
            {
                if (_hello.TrySetResult())
                {
                    SlackLog.SocketHello(_logger, Id, Slot);
                }

                return;
            }

            if (type == "disconnect")
            {
                var reason = root.GetString("reason") ?? "";
                SlackLog.SocketDisconnectFrame(_logger, Id, reason);
                _signal.TrySetResult(reason switch
                {
                    "link_disabled" => SocketSignal.LinkDisabled,
                    "too_many_websockets" => SocketSignal.TooManyWebsockets,
                    _ => SocketSignal.ReplaceRequested,
                });
                return;
            }

            if (root.GetString("envelope_id") is null)
            {
                return;
            }

            if (!HelloReceived)
            {
                SlackLog.EnvelopeBeforeHello(_logger, Id);
                return;
            }

            await _onEnvelope(this, root).ConfigureAwait(false);
        }
    }
}
