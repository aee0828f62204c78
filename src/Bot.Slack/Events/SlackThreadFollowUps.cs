using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
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
    public static async Task AnswerAsync(ThreadFollowUp followUp, SlackConversations conversations, SlackInboundClassifier classifier, SlackReplier replier, CancellationToken ct)
    {
        await Task.Yield(); // never read the store on the transport's ack path
        if (!conversations.HasPublicContext(followUp.Channel, followUp.ThreadTs) || !classifier.Claim(followUp.ClaimKey))
        {
            return;
        }

        await replier.AnswerChannelAsync(new ChannelQuestion(followUp.Channel, followUp.ThreadTs, followUp.Question), ct).ConfigureAwait(false);
    }

    [GeneratedRegex(@"<@[^<>|]+(\|[^<>]*)?>", RegexOptions.CultureInvariant)]
    private static partial Regex UserMentionRegex();
}

/// <summary>
/// Questions in Slack threads and DMs asked through Core's <see cref="ConversationService"/> (when storage is configured;
/// otherwise every question stands alone). A channel thread is keyed by its parent <c>ts</c>; a DM is one private
/// conversation (whatever thread a message is in), whose context is never used for a public question.
/// </summary>
internal sealed class SlackConversations
{
    private readonly IQuestionHandler _questions;
    private readonly ConversationService? _conversations;

    public SlackConversations(IQuestionHandler questions, ConversationService? conversations = null)
    {
        _questions = questions;
        _conversations = conversations;
    }

    /// <summary>False when no context store is configured (follow-ups without a mention are then never answered).</summary>
    public bool Enabled => _conversations is not null;

    /// <summary>The thread a channel question belongs to: the DM as a whole, or the channel thread.</summary>
    public static ThreadKey Key(string channel, string? threadTs) =>
        IsDm(channel) ? new ThreadKey(SlackReplier.PlatformName, channel, "dm") : new ThreadKey(SlackReplier.PlatformName, channel, threadTs ?? "");

    /// <summary>Whether the channel thread has a live context a public question may use.</summary>
    public bool HasPublicContext(string channel, string threadTs) =>
        _conversations is not null && !IsDm(channel) && _conversations.HasContext(Key(channel, threadTs), isPrivate: false);

    /// <summary>
    /// Asks <paramref name="question"/> in its thread (context read and the new turn recorded after a yield, never on the
    /// caller's ack path), or on its own when there is no store or no thread.
    /// </summary>
    public async Task<Answer> AskAsync(ChannelQuestion question, QueryContext context, int top, CancellationToken ct)
    {
        if (_conversations is null || (question.ThreadTs is null && !IsDm(question.Channel)))
        {
            return await _questions.AskAsync(question.Question, context, top, ct).ConfigureAwait(false);
        }

        await Task.Yield();
        return await _conversations.AskAsync(question.Question, Key(question.Channel, question.ThreadTs), context, top, ct).ConfigureAwait(false);
    }

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
