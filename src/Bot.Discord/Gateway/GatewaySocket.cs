using System.Net.WebSockets;
using System.Text.Json;
using Bot.Discord.Rest;

namespace Bot.Discord.Gateway;

internal sealed partial class DiscordGatewayConnection
{
    /// <summary>One WebSocket: its send lock and send budget, its heartbeat loop and its ACK flag.</summary>
    private sealed class GatewaySocket
    {
        private readonly DiscordGatewayConnection _owner;
        private readonly ClientWebSocket _ws;
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private readonly Queue<DateTimeOffset> _sends = new();
        private readonly CancellationTokenSource _heartbeatCts = new();
        private volatile bool _acked = true;
        private int _stopping;

        public GatewaySocket(DiscordGatewayConnection owner, ClientWebSocket ws)
        {
            _owner = owner;
            _ws = ws;
        }

        public bool Acked
        {
            get => _acked;
            set => _acked = value;
        }

        public bool Zombie { get; private set; }

        public bool Established { get; set; }

        public bool Stopping => Volatile.Read(ref _stopping) == 1;

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
            Interlocked.Increment(ref _owner._heartbeatsSent);
            return SendAsync(new GatewayFrame((int)GatewayOpcode.Heartbeat, _owner._lastSeq));
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
            if (bytes.Length > MaxSendBytes)
            {
                DiscordLog.GatewayFrameTooLarge(_owner._logger, frame.Op, bytes.Length);
                return;
            }

            await _sendLock.WaitAsync(_heartbeatCts.Token).ConfigureAwait(false);
            try
            {
                await WaitForSendBudgetAsync().ConfigureAwait(false);
                await _ws.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
                _sends.Enqueue(_owner._time.GetUtcNow());
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
                var now = _owner._time.GetUtcNow();
                while (_sends.Count > 0 && _sends.Peek() <= now - SendWindow)
                {
                    _sends.Dequeue();
                }

                if (_sends.Count < MaxSendsPerWindow)
                {
                    return;
                }

                await Task.Delay(_sends.Peek() + SendWindow - now, _owner._time, _heartbeatCts.Token).ConfigureAwait(false);
            }
        }

        public async Task CloseAsync(int code, string reason)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _owner._time);
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
            await Task.Delay(TimeSpan.FromSeconds(2), _owner._time).ConfigureAwait(false);
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
            var time = _owner._time;
            var due = time.GetUtcNow() + (interval * _owner.NextDouble());
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
                        DiscordLog.GatewayZombie(_owner._logger, interval.TotalMilliseconds);
                        await CloseAsync(CloseForResume, "zombie connection").ConfigureAwait(false);
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
}
