using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Conversations;
using Bot.Slack.WebApi;

namespace Bot.Slack.Events;

/// <summary>
/// Which conversation thread a Slack question belongs to, for the chat kit's <see cref="ChatConversations"/> (follow-up
/// questions, when storage is configured; otherwise every question stands alone). A channel thread is keyed by its parent
/// <c>ts</c>; a DM is one private conversation (whatever thread a message is in), whose context is never used for a
/// public question.
/// </summary>
internal static class SlackThreads
{
    /// <summary>The thread a channel question belongs to: the DM as a whole, or the channel thread.</summary>
    public static ThreadKey Key(string channel, string? threadTs) =>
        IsDm(channel) ? new ThreadKey(SlackReplier.PlatformName, channel, "dm") : new ThreadKey(SlackReplier.PlatformName, channel, threadTs ?? "");

    /// <summary>The conversation a question is asked in (the DM, or the channel thread), or none outside a thread.</summary>
    public static ThreadKey? Of(ChannelQuestion question) =>
        question.ThreadTs is null && !IsDm(question.Channel) ? null : Key(question.Channel, question.ThreadTs);

    /// <summary>The channel thread whose context a public question may use; null for a DM (its context is private).</summary>
    public static ThreadKey? PublicThread(string channel, string threadTs) => IsDm(channel) ? null : Key(channel, threadTs);

    /// <summary>Puts "following on from the earlier question …" above the answer of an elliptical follow-up.</summary>
    public static SlackMessage WithNote(SlackMessage message, Answer answer)
    {
        if (answer.FollowUp is not { } followUp)
        {
            return message;
        }

        var note = SlackText.Escape(followUp.Note(answer.Language));
        message.Blocks.Insert(0, new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = note }),
        });
        return message with { Text = note + " " + message.Text };
    }

    private static bool IsDm(string channel) => channel.StartsWith('D');
}
