using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// One gateway WebSocket: whole-message receive (fragments joined, at most 16 MB), its send lock and send budget (<see cref="DiscordGatewayConnection.MaxSendsPerWindow"/> per
/// <see cref="DiscordGatewayConnection.SendWindow"/>), its heartbeat loop and its ACK flag. The connection
/// (<see cref="DiscordGatewayConnection"/>) owns the session (sequence, resume, reconnect) and hands the socket what it
/// reads from it: the current sequence for heartbeats, a random source for the first heartbeat's jitter, and a counter.
/// </summary>
internal sealed class GatewaySocket
{
    private const int MaxReceiveBytes = 16 * 1024 * 1024;

    private readonly ClientWebSocket _ws;
    private readonly ArrayBufferWriter<byte> _receiveBuffer = new(64 * 1024);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _nextDouble;
    private readonly Func<int?> _sequence;
    private readonly Action _heartbeatSent;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Queue<DateTimeOffset> _sends = new();
    private readonly CancellationTokenSource _heartbeatCts = new();
    private volatile bool _acked = true;
    private int _stopping;

    /// <param name="ws">The connected socket.</param>
    /// <param name="time">The clock for the send budget, the heartbeat and the close timeouts.</param>
    /// <param name="logger">Where a zombie connection or an oversized frame is reported.</param>
    /// <param name="nextDouble">A uniform random number in [0, 1): the jitter before the first heartbeat.</param>
    /// <param name="sequence">The last sequence number received (the heartbeat's payload), null before the first dispatch.</param>
    /// <param name="heartbeatSent">Called once per heartbeat sent (the connection counts them).</param>
    public GatewaySocket(ClientWebSocket ws, TimeProvider time, ILogger logger, Func<double> nextDouble, Func<int?> sequence, Action heartbeatSent)
    {
        _ws = ws;
        _time = time;
        _logger = logger;
        _nextDouble = nextDouble;
        _sequence = sequence;
        _heartbeatSent = heartbeatSent;
    }

    public bool Acked
    {
        get => _acked;
        set => _acked = value;
    }

    public bool Zombie { get; private set; }

    public bool Established { get; set; }

    public bool Stopping => Volatile.Read(ref _stopping) == 1;

    /// <summary>
    /// The next whole message (a JSON frame may span several WebSocket frames), valid until the next call; null when the
    /// server closed the socket (see <see cref="CloseStatus"/>).
    /// </summary>
    public async Task<ReadOnlyMemory<byte>?> ReceiveAsync()
    {
        _receiveBuffer.ResetWrittenCount();
        while (true)
        {
            var memory = _receiveBuffer.GetMemory(16 * 1024);
            var received = await _ws.ReceiveAsync(memory, CancellationToken.None).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _receiveBuffer.Advance(received.Count);
            if (_receiveBuffer.WrittenCount > MaxReceiveBytes)
            {
                throw new InvalidOperationException("gateway message too large");
            }

            if (received.EndOfMessage)
            {
                return _receiveBuffer.WrittenMemory;
            }
        }
    }

    /// <summary>The server's close code (after <see cref="ReceiveAsync"/> returned null), or null.</summary>
    public int? CloseStatus => (int?)_ws.CloseStatus;

    public string CloseDescription => _ws.CloseStatusDescription ?? "";

    public bool IsOpen => _ws.State == WebSocketState.Open;

    public void StartHeartbeat(TimeSpan interval)
    {
        // Called synchronously on HELLO: the first delay is registered with the clock before IDENTIFY is sent.
        _ = HeartbeatLoopAsync(interval, _heartbeatCts.Token);
    }

    public void StopHeartbeat()
    {
        try
        {
            _heartbeatCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public Task SendHeartbeatAsync()
    {
        _acked = false;
        _heartbeatSent();
        return SendAsync(new GatewayFrame((int)GatewayOpcode.Heartbeat, _sequence()));
    }

    public void SendHeartbeatInBackground() =>
        _ = SendHeartbeatAsync().ContinueWith(
            t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    public async Task SendAsync(GatewayFrame frame)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, DiscordJson.Gateway);
        if (bytes.Length > DiscordGatewayConnection.MaxSendBytes)
        {
            DiscordLog.GatewayFrameTooLarge(_logger, frame.Op, bytes.Length);
            return;
        }

        await _sendLock.WaitAsync(_heartbeatCts.Token).ConfigureAwait(false);
        try
        {
            await WaitForSendBudgetAsync().ConfigureAwait(false);
            await _ws.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            _sends.Enqueue(_time.GetUtcNow());
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task WaitForSendBudgetAsync()
    {
        while (true)
        {
            var now = _time.GetUtcNow();
            while (_sends.Count > 0 && _sends.Peek() <= now - DiscordGatewayConnection.SendWindow)
            {
                _sends.Dequeue();
            }

            if (_sends.Count < DiscordGatewayConnection.MaxSendsPerWindow)
            {
                return;
            }

            await Task.Delay(_sends.Peek() + DiscordGatewayConnection.SendWindow - now, _time, _heartbeatCts.Token).ConfigureAwait(false);
        }
    }

    public async Task CloseAsync(int code, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (_ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    var text = reason.Length > 100 ? reason[..100] : reason;
                    await _ws.CloseOutputAsync((WebSocketCloseStatus)code, text, timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Clean stop: close with 1000 (the session ends) and abort if the server does not answer promptly.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        StopHeartbeat();
        await CloseAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down").ConfigureAwait(false);
        _ = AbortLaterAsync();
    }

    private async Task AbortLaterAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(2), _time).ConfigureAwait(false);
        try
        {
            _ws.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task HeartbeatLoopAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var time = _time;
        var due = time.GetUtcNow() + (interval * _nextDouble());
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wait = due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                }

                if (!_acked)
                {
                    Zombie = true;
                    DiscordLog.GatewayZombie(_logger, interval.TotalMilliseconds);
                    await CloseAsync(DiscordGatewayConnection.CloseForResume, "zombie connection").ConfigureAwait(false);
                    _ws.Abort();
                    return;
                }

                await SendHeartbeatAsync().ConfigureAwait(false);
                due += interval;
                var now = time.GetUtcNow();
                if (due <= now)
                {
                    due = now + interval;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
