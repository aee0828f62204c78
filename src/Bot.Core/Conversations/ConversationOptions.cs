using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Conversations;

/// <summary>Section "Conversation": how long a thread's context lasts.</summary>
public sealed class ConversationOptions
{
    public const string Section = "Conversation";

    /// <summary>A follow-up later than this after the thread's last question stands alone (and the stored context is deleted).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ContextTtl { get; set; } = TimeSpan.FromHours(24);
}
