using Microsoft.Extensions.Logging;

namespace Bot.Slack;

/// <summary>Source-generated log messages of the Slack adapter. No field ever carries a token or secret.</summary>
internal static partial class SlackLog
{
    [LoggerMessage(1, LogLevel.Warning, "Slack {Method} returned warning {Warning}")]
    public static partial void ApiWarning(ILogger logger, string method, string warning);

    [LoggerMessage(2, LogLevel.Warning, "Slack {Method} failed: {Error}")]
    public static partial void ApiError(ILogger logger, string method, string error);

    [LoggerMessage(4, LogLevel.Warning, "Slack {Method} rate limited; waiting {RetryAfterSeconds} s")]
    public static partial void RateLimited(ILogger logger, string method, double retryAfterSeconds);

    [LoggerMessage(5, LogLevel.Error, "Slack {Method} still rate limited after {Attempts} attempts; giving up")]
    public static partial void RateLimitGaveUp(ILogger logger, string method, int attempts);

    [LoggerMessage(6, LogLevel.Warning, "Slack {Method} failed with {Failure}; retry {Attempt} in {DelaySeconds} s")]
    public static partial void ServerErrorRetry(ILogger logger, string method, string failure, int attempt, double delaySeconds);

    [LoggerMessage(10, LogLevel.Information, "Slack socket {SocketId} (slot {Slot}) connected; hello received")]
    public static partial void SocketHello(ILogger logger, int socketId, int slot);

    [LoggerMessage(11, LogLevel.Information, "Slack socket {SocketId} asked to disconnect: {Reason}")]
    public static partial void SocketDisconnectFrame(ILogger logger, int socketId, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Slack socket {SocketId} silent for {Seconds} s; replacing it")]
    public static partial void SocketSilent(ILogger logger, int socketId, double seconds);

    [LoggerMessage(13, LogLevel.Warning, "Slack socket {SocketId} closed ({Reason})")]
    public static partial void SocketClosed(ILogger logger, int socketId, string reason);

    [LoggerMessage(14, LogLevel.Warning, "Slack Socket Mode connect failed on slot {Slot} ({Failure}); retry in {DelaySeconds} s")]
    public static partial void ConnectFailed(ILogger logger, int slot, string failure, double delaySeconds);

    [LoggerMessage(15, LogLevel.Critical, "Slack adapter stopped: {Reason}. Fix the Slack app configuration and restart")]
    public static partial void AdapterStopped(ILogger logger, string reason);

    [LoggerMessage(16, LogLevel.Warning, "Slack socket {SocketId} sent an envelope before hello; ignored")]
    public static partial void EnvelopeBeforeHello(ILogger logger, int socketId);

    [LoggerMessage(17, LogLevel.Warning, "Slack socket {SocketId}: could not send ack for envelope {EnvelopeId}")]
    public static partial void AckFailed(ILogger logger, Exception exception, int socketId, string envelopeId);

    [LoggerMessage(18, LogLevel.Warning, "Slack socket {SocketId}: unreadable frame ignored ({Reason})")]
    public static partial void BadFrame(ILogger logger, int socketId, string reason);

    [LoggerMessage(19, LogLevel.Information, "Slack socket {SocketId} replaced by socket {NewSocketId} ({Reason})")]
    public static partial void SocketReplaced(ILogger logger, int socketId, int newSocketId, string reason);

    [LoggerMessage(30, LogLevel.Debug, "Slack duplicate {Key} ignored")]
    public static partial void Duplicate(ILogger logger, string key);

    [LoggerMessage(31, LogLevel.Error, "Slack handling of {Kind} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string kind);

    [LoggerMessage(32, LogLevel.Warning, "Slack envelope of unknown type {Type} acked and ignored")]
    public static partial void UnknownEnvelope(ILogger logger, string type);

    [LoggerMessage(33, LogLevel.Information, "Slack connected as {UserId} / {BotId} in team {TeamId}")]
    public static partial void AuthOk(ILogger logger, string userId, string botId, string teamId);

    [LoggerMessage(34, LogLevel.Warning, "Slack reply could not be delivered: {Error}")]
    public static partial void ReplyFailed(ILogger logger, string error);



    [LoggerMessage(40, LogLevel.Warning, "Slack HTTP request rejected ({Status}): {Reason}; {Suppressed} more rejected since the last such line (at most one line per {IntervalSeconds} s)")]
    public static partial void HttpRejected(ILogger logger, int status, string reason, int suppressed, double intervalSeconds);

    [LoggerMessage(43, LogLevel.Warning, "Slack auth.test failed ({Failure}): the Web API is unreachable or refused; retry in {DelaySeconds} s (the HTTP receiver, when configured, keeps listening)")]
    public static partial void AuthTestFailed(ILogger logger, string failure, double delaySeconds);

    [LoggerMessage(44, LogLevel.Error, "Slack HTTP receiver cannot listen on {Url} ({Reason}); retry in {DelaySeconds} s")]
    public static partial void HttpListenFailed(ILogger logger, string url, string reason, double delaySeconds);


    [LoggerMessage(41, LogLevel.Information, "Slack HTTP receiver listening on {Urls}")]
    public static partial void HttpListening(ILogger logger, string urls);

    [LoggerMessage(42, LogLevel.Information, "Slack is configured without Socket Mode or HTTP receiver; only posting is available")]
    public static partial void PostOnly(ILogger logger);
}
