namespace Bot.Core.Conversations;

/// <summary>Section "Conversation": how long a thread's context lasts.</summary>
public sealed class ConversationOptions : IValidatedOptions
{
    public const string Section = "Conversation";

    private static readonly TimeSpan MaxContextTtl = TimeSpan.FromDays(365);

    /// <summary>A follow-up later than this after the thread's last question stands alone (and the stored context is deleted).</summary>
    public TimeSpan ContextTtl { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<string> Problems()
    {
        if (ContextTtl < TimeSpan.FromSeconds(1) || ContextTtl > MaxContextTtl)
        {
            yield return "Conversation:ContextTtl must be between 1 second and 365 days.";
        }
    }
}
