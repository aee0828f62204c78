namespace Bot.Core.Chat;

/// <summary>A channel on one platform, e.g. ("discord", "1200000000000000001") or ("slack", "C0123").</summary>
public sealed record ChannelRef(string Platform, string ChannelId)
{
    public override string ToString() => $"{Platform}:{ChannelId}";
}

/// <summary>The outcome of posting a message: the platform's message ids, in posting order.</summary>
public sealed record PostResult(IReadOnlyList<string> MessageIds);

/// <summary>
/// The port through which Core posts unsolicited messages (digests) to a chat platform.
/// Each adapter implements it; its renderer owns markup, escaping, mention suppression and splitting at the platform's limits.
/// </summary>
public interface IChatPlatform
{
    /// <summary>"discord" or "slack".</summary>
    string Name { get; }

    /// <summary>
    /// Posts <paramref name="message"/> to <paramref name="channel"/>, split into as many platform messages as its limits need,
    /// in order. Throws <see cref="ChatPlatformException"/> when the platform refuses (with its error name).
    /// </summary>
    Task<PostResult> PostAsync(ChannelRef channel, BotMessage message, CancellationToken cancellationToken);
}

/// <summary>A platform refused a post; <see cref="ErrorName"/> is the platform's error (e.g. "not_in_channel", "50013").</summary>
public sealed class ChatPlatformException : Exception
{
    public ChatPlatformException(string platform, string errorName, string message, bool permanent, bool uncertain = false, IReadOnlyList<string>? postedMessageIds = null)
        : base(message)
    {
        Platform = platform;
        ErrorName = errorName;
        Permanent = permanent;
        PostedMessageIds = postedMessageIds ?? [];
        MaybePosted = uncertain || PostedMessageIds.Count > 0;
    }

    public ChatPlatformException()
        : this("", "", "chat platform error", false)
    {
    }

    public ChatPlatformException(string message)
        : this("", "", message, false)
    {
    }

    public ChatPlatformException(string message, Exception inner)
        : base(message, inner)
    {
        Platform = "";
        ErrorName = "";
    }

    public string Platform { get; } = "";

    public string ErrorName { get; } = "";

    /// <summary>True when retrying the same post cannot succeed (bad channel, missing permission, bad auth).</summary>
    public bool Permanent { get; }

    /// <summary>Parts of a split message that were posted before the failure, in order.</summary>
    public IReadOnlyList<string> PostedMessageIds { get; } = [];

    /// <summary>
    /// True when the message may (partly) exist on the platform: some parts were posted, or the failure was a timeout or
    /// server error after the request was sent. A scheduler must not blindly post it again.
    /// </summary>
    public bool MaybePosted { get; }
}
