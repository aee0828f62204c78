using Microsoft.Extensions.Logging;

namespace Bot.Dashboard;

internal static partial class DashboardLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard listening on {Url}")]
    public static partial void Listening(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard request rejected: {Reason} ({Path})")]
    public static partial void Rejected(ILogger logger, string reason, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dashboard page {Path} failed")]
    public static partial void PageFailed(ILogger logger, Exception exception, string path);
}
