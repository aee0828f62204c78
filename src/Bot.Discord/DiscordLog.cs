using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>Source-generated log messages of the Discord adapter. None carries a token.</summary>
internal static partial class DiscordLog
{
    [LoggerMessage(1000, LogLevel.Information, "Discord gateway shard {Shard} of {ShardCount} READY: user {UserId}, application {ApplicationId}")]
    public static partial void GatewayReady(ILogger logger, int shard, int shardCount, string userId, string applicationId);

    [LoggerMessage(1001, LogLevel.Information, "Discord gateway shard {Shard} RESUMED at sequence {Sequence}")]
    public static partial void GatewayResumed(ILogger logger, int shard, int sequence);

    [LoggerMessage(1002, LogLevel.Information, "Discord gateway shard {Shard} reconnecting after {Reason} ({Mode}) in {DelayMs} ms")]
    public static partial void GatewayReconnecting(ILogger logger, int shard, string reason, string mode, double delayMs);

    [LoggerMessage(1003, LogLevel.Critical, "Discord gateway stopped for good (shard {Shard}): close code {Code}, {Fix}")]
    public static partial void GatewayFatal(ILogger logger, int shard, int code, string fix);

    [LoggerMessage(1004, LogLevel.Warning, "Discord gateway closed by the server: code {Code} '{Description}' -> {Outcome} (shard {Shard})")]
    public static partial void GatewayClosed(ILogger logger, int shard, int code, string description, string outcome);

    [LoggerMessage(1005, LogLevel.Warning, "Discord gateway missed a heartbeat ACK (interval {IntervalMs} ms): zombie connection, resuming")]
    public static partial void GatewayZombie(ILogger logger, double intervalMs);

    [LoggerMessage(1006, LogLevel.Warning, "Discord gateway connect to the {Target} URL failed: {Error}")]
    public static partial void GatewayConnectFailed(ILogger logger, string target, string error);

    [LoggerMessage(1007, LogLevel.Warning, "Discord GET /gateway/bot failed: {Error} {Message}")]
    public static partial void GatewayInfoFailed(ILogger logger, string error, string message);

    [LoggerMessage(1008, LogLevel.Warning, "Discord IDENTIFY budget: waiting {Seconds} s ({RecentIdentifies} in the last hour, {Remaining} session starts left)")]
    public static partial void IdentifyBudgetWait(ILogger logger, double seconds, int recentIdentifies, int remaining);

    [LoggerMessage(1009, LogLevel.Warning, "Discord gateway sent a frame that is not JSON ({Bytes} bytes); ignored")]
    public static partial void GatewayBadFrame(ILogger logger, int bytes);

    [LoggerMessage(1010, LogLevel.Error, "Discord gateway frame op {Op} is {Bytes} bytes, over the 4096-byte limit; not sent")]
    public static partial void GatewayFrameTooLarge(ILogger logger, int op, int bytes);

    [LoggerMessage(1011, LogLevel.Debug, "Discord dispatch {Type} seq {Sequence} already processed; skipped")]
    public static partial void DuplicateDispatch(ILogger logger, string type, int sequence);

    [LoggerMessage(1012, LogLevel.Error, "Discord gateway connection failed unexpectedly; reconnecting")]
    public static partial void GatewayUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(1013, LogLevel.Information, "Discord shard count {Count} (recommended by GET /gateway/bot; max_concurrency {MaxConcurrency})")]
    public static partial void ShardCountResolved(ILogger logger, int count, int maxConcurrency);

    [LoggerMessage(1014, LogLevel.Information, "Discord shard {Shard} of {Count} starting")]
    public static partial void ShardStarting(ILogger logger, int shard, int count);

    [LoggerMessage(1015, LogLevel.Critical, "Discord gateway not started: {Error}")]
    public static partial void ShardsFailed(ILogger logger, string error);

    [LoggerMessage(1016, LogLevel.Information, "Discord shard {Shard} of {Count} leased by this replica ({Replicas} live replicas)")]
    public static partial void ShardLeaseAcquired(ILogger logger, int shard, int count, int replicas);

    [LoggerMessage(1017, LogLevel.Information, "Discord shard {Shard} released: {Replicas} live replicas share the shards now")]
    public static partial void ShardLeaseReleased(ILogger logger, int shard, int replicas);

    [LoggerMessage(1018, LogLevel.Warning, "Discord shard {Shard} lease renewal failed (another replica holds it): session closed")]
    public static partial void ShardLeaseLost(ILogger logger, int shard);

    [LoggerMessage(1019, LogLevel.Error, "Discord shard leases unavailable ({Error}): stopped the {Held} shards this replica held until the store answers")]
    public static partial void ShardLeasesUnavailable(ILogger logger, string error, int held);

    [LoggerMessage(1100, LogLevel.Warning, "Discord {Route} rate limited for {Seconds} s (global: {Global})")]
    public static partial void RateLimited(ILogger logger, string route, double seconds, bool global);

    [LoggerMessage(1101, LogLevel.Warning, "Discord {Route} failed ({Reason}); retry {Attempt}")]
    public static partial void RestRetrying(ILogger logger, string route, string reason, int attempt);

    [LoggerMessage(1102, LogLevel.Error, "Discord {Route} failed ({Reason}) after {Attempts} attempts; giving up")]
    public static partial void RestGaveUp(ILogger logger, string route, string reason, int attempts);

    [LoggerMessage(1103, LogLevel.Critical, "Discord rejected the bot token (HTTP 401 on {Route}): no further calls; check Discord:Token")]
    public static partial void Unauthorized(ILogger logger, string route);

    [LoggerMessage(1200, LogLevel.Warning, "Discord message {MessageId} in guild channel {ChannelId} arrived with empty content (the Message Content intent is off): mentions and DMs still work; to read un-pinged messages enable the Message Content intent in the Developer Portal and set Discord:EnableMessageContent=true")]
    public static partial void EmptyContent(ILogger logger, string messageId, string channelId);

    [LoggerMessage(1201, LogLevel.Error, "Discord reply to message {MessageId} in channel {ChannelId} failed: {Error}")]
    public static partial void ReplyFailed(ILogger logger, string messageId, string channelId, string error);

    [LoggerMessage(1202, LogLevel.Error, "Discord interaction {InteractionId} ({Command}) could not be acknowledged: {Error}; this command fails alone")]
    public static partial void InteractionAckFailed(ILogger logger, string interactionId, string command, string error);

    [LoggerMessage(1203, LogLevel.Warning, "Discord interaction {InteractionId} ({Command}) finished after the {Minutes}-minute token window; answer dropped")]
    public static partial void InteractionExpired(ILogger logger, string interactionId, string command, double minutes);

    [LoggerMessage(1204, LogLevel.Error, "Discord interaction {InteractionId} ({Command}) answer could not be delivered: {Error}")]
    public static partial void InteractionAnswerFailed(ILogger logger, string interactionId, string command, string error);

    [LoggerMessage(1205, LogLevel.Error, "Discord handler for {Event} failed")]
    public static partial void HandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(1206, LogLevel.Information, "Discord commands registered ({Count}) to {Scope}")]
    public static partial void CommandsRegistered(ILogger logger, int count, string scope);

    [LoggerMessage(1207, LogLevel.Error, "Discord command registration to {Scope} failed: {Error}")]
    public static partial void CommandsRegistrationFailed(ILogger logger, string scope, string error);

    [LoggerMessage(1208, LogLevel.Warning, "Discord post to channel {ChannelId} refused: {ErrorName} ({CodeName}); not retried")]
    public static partial void PostRefused(ILogger logger, string channelId, string errorName, string codeName);


    [LoggerMessage(1210, LogLevel.Debug, "Discord typing indicator in channel {ChannelId} failed: {Error}")]
    public static partial void TypingFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(1212, LogLevel.Critical, "Discord adapter stopped after an unexpected error; other platforms keep running")]
    public static partial void AdapterCrashed(ILogger logger, Exception exception);

    [LoggerMessage(1211, LogLevel.Information, "Discord adapter stopped (gateway state {State})")]
    public static partial void Stopped(ILogger logger, string state);

    [LoggerMessage(1213, LogLevel.Debug, "Discord component interaction {InteractionId} acknowledged and ignored: {Reason}")]
    public static partial void ComponentIgnored(ILogger logger, string interactionId, string reason);


}
