using System.Text.Json;

namespace Bot.Discord.Gateway;

/// <summary>An outgoing gateway frame <c>{"op":…,"d":…}</c>.</summary>
internal sealed record GatewayFrame(int Op, object? D);

/// <summary>IDENTIFY data.</summary>
internal sealed record IdentifyData(string Token, int Intents, IdentifyProperties Properties, int[] Shard);

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

/// <summary>RESUME data.</summary>
internal sealed record ResumeData(string Token, string SessionId, int? Seq);

/// <summary>A dispatch (op 0) handed from the receive loop to the handlers.</summary>
/// <param name="Type">The event name (<c>t</c>), e.g. "MESSAGE_CREATE".</param>
/// <param name="Data">The event data (<c>d</c>), detached from the receive buffer.</param>
/// <param name="Sequence">The sequence number (<c>s</c>).</param>
/// <param name="ReceivedAt">When the frame arrived (injected clock).</param>
/// <param name="Shard">The shard whose connection received it.</param>
internal sealed record GatewayDispatch(string Type, JsonElement Data, int? Sequence, DateTimeOffset ReceivedAt, int Shard = 0);

/// <summary>What ended one socket, and what to do next.</summary>
internal enum SocketOutcome
{
    /// <summary>Reconnect to resume_gateway_url and RESUME.</summary>
    Resume,

    /// <summary>Reconnect to the cached gateway URL and IDENTIFY a new session.</summary>
    NewSession,

    /// <summary>Fatal close code: stop reconnecting.</summary>
    Fatal,

    /// <summary>We were asked to stop.</summary>
    Stopped,
}

internal sealed record SocketResult(SocketOutcome Outcome, string Reason, bool ConnectFailed = false, bool Established = false,
    TimeSpan? Delay = null, int? CloseCode = null);
