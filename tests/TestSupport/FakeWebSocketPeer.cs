using System.Net.WebSockets;
using System.Text;

namespace Bot.TestSupport;

/// <summary>
/// The server end of one WebSocket a fake platform accepted (see <see cref="FakeServerHost"/>): sends serialised (one
/// message at a time, optionally in fragments), reads whole messages, answers the client's close handshake, closes
/// with a chosen code, or aborts. The fake on top speaks the platform's protocol.
/// </summary>
internal sealed class FakeWebSocketPeer(WebSocket ws)
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly byte[] _buffer = new byte[64 * 1024];

    public bool IsOpen => ws.State == WebSocketState.Open;

    /// <summary>Whether the client sent a close frame.</summary>
    public bool ClientClosed { get; private set; }

    /// <summary>The code of the client's close frame (null until it closed, or when it closed without a code).</summary>
    public int? ClientCloseCode { get; private set; }

    /// <summary>Sends one message; with <paramref name="fragmentSize"/> &gt; 0, as fragments of that many bytes. Throws when the socket is gone.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type = WebSocketMessageType.Text, int fragmentSize = 0)
    {
        await _send.WaitAsync();
        try
        {
            if (fragmentSize <= 0 || bytes.Length <= fragmentSize)
            {
                await ws.SendAsync(bytes, type, true, CancellationToken.None);
                return;
            }

            for (var offset = 0; offset < bytes.Length; offset += fragmentSize)
            {
                var count = Math.Min(fragmentSize, bytes.Length - offset);
                await ws.SendAsync(bytes.Slice(offset, count), type, offset + count >= bytes.Length, CancellationToken.None);
            }
        }
        finally
        {
            _send.Release();
        }
    }

    public Task SendTextAsync(string text, int fragmentSize = 0) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, fragmentSize);

    /// <summary>Starts the close handshake with <paramref name="code"/> if the socket is open; a socket already gone is ignored.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        await _send.WaitAsync();
        try
        {
            if (ws.State == WebSocketState.Open)
            {
                await ws.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
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

    /// <summary>
    /// Reads the next whole message (one reader at a time) as UTF-8 text (with its size in bytes), or null once the client closed: its close
    /// frame is answered with the same code. Throws <see cref="WebSocketException"/> when the connection breaks.
    /// </summary>
    public async Task<(string Text, int Bytes)?> ReceiveAsync()
    {
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(_buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                ClientClosed = true;
                ClientCloseCode = (int?)result.CloseStatus;
                await AnswerCloseAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure);
                return null;
            }

            message.Write(_buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length), (int)message.Length);
    }

    public void Abort() => ws.Abort();

    private async Task AnswerCloseAsync(WebSocketCloseStatus status)
    {
        await _send.WaitAsync();
        try
        {
            if (ws.State == WebSocketState.CloseReceived)
            {
                await ws.CloseOutputAsync(status, "bye", CancellationToken.None);
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
}
