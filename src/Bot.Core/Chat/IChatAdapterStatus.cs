namespace Bot.Core.Chat;

/// <summary>
/// A running chat adapter as the host sees it. <see cref="StoppedForGood"/> completes, with a one-line reason, when the
/// adapter has stopped and will not recover by itself (a rejected token, a fatal close code, a crash); recoverable
/// failures are retried inside the adapter and never complete it. The host exits non-zero when every adapter has.
/// </summary>
public interface IChatAdapterStatus
{
    /// <summary>"discord" or "slack".</summary>
    string Platform { get; }

    Task<string> StoppedForGood { get; }
}
