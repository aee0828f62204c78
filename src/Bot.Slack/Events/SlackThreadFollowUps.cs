using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Core.Chat;
using Bot.Core.Conversations;
using Bot.Slack.WebApi;

namespace Bot.Slack.Events;

/// <summary>
/// A plain message (no mention) in a channel thread: a follow-up question only if the bot has a live context in that thread,
/// which is checked after the transport's ack (<see cref="SlackThreadFollowUps.AnswerAsync"/>). Its de-duplication claim
/// (<paramref name="ClaimKey"/>) is taken only then, so chatter in threads the bot never answered touches no claim store.
/// </summary>
internal sealed record ThreadFollowUp(string Channel, string ThreadTs, string Question, string? ClaimKey) : SlackRequest;

/// <summary>
/// Slack's half of follow-up questions in threads. Decides (purely, from the event) whether a message is a candidate: a
/// person's plain message (<c>message.channels</c> / <c>message.groups</c>) that is a reply in a thread and does not
/// mention anyone (a mention of the bot arrives as <c>app_mention</c> too and is answered from there, once; a mention of
/// someone else addresses them). Then, off the ack path: the thread must have a live context
/// (<see cref="ConversationService.HasContext"/>), the event must win its claim, and the answer goes through
/// <see cref="SlackReplier.AnswerChannelAsync"/> like a mention, in the thread, read in the thread's context.
/// </summary>
internal static partial class SlackThreadFollowUps
{
    /// <summary>A follow-up candidate in <paramref name="ev"/> (a person's message that passed the common filters), or null.</summary>
    public static ThreadFollowUp? Classify(JsonElement ev, SlackIdentity? self, string? claimKey)
    {
        // Without auth.test's identity the bot cannot tell a mention of itself from someone else's: take nothing.
        if (self is null || ev.GetString("type") != "message" || ev.GetString("channel_type") is not ("channel" or "group"))
        {
            return null;
        }

        var channel = ev.GetString("channel");
        var ts = ev.GetString("ts");
        var threadTs = ev.GetString("thread_ts");
        if (string.IsNullOrEmpty(channel) || string.IsNullOrEmpty(threadTs) || threadTs == ts)
        {
            return null; // not a reply in a thread (a thread's parent carries its own ts as thread_ts)
        }

        var text = ev.GetString("text") ?? "";
        if (UserMentionRegex().IsMatch(text))
        {
            return null;
        }

        var question = SlackInboundText.ToQuestion(text);
        return question.Length == 0 ? null : new ThreadFollowUp(channel, threadTs, question, claimKey);
    }

    /// <summary>
    /// Runs after the ack: answers <paramref name="followUp"/> when its thread has a live public context and this
    /// process (replica) wins its claim; otherwise does nothing and posts nothing.
    /// </summary>
    public static async Task AnswerAsync(ThreadFollowUp followUp, ChatConversations conversations, SlackInboundClassifier classifier, SlackReplier replier, CancellationToken ct)
    {
        await Task.Yield(); // never read the store on the transport's ack path
        if (SlackThreads.PublicThread(followUp.Channel, followUp.ThreadTs) is not { } thread || !conversations.HasPublicContext(thread) || !classifier.Claim(followUp.ClaimKey))
        {
            return;
        }

        await replier.AnswerChannelAsync(new ChannelQuestion(followUp.Channel, followUp.ThreadTs, followUp.Question), ct).ConfigureAwait(false);
    }

    [GeneratedRegex(@"<@[^<>|]+(\|[^<>]*)?>", RegexOptions.CultureInvariant)]
    private static partial Regex UserMentionRegex();
}
