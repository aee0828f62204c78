using System.Text.Json;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Conversations;
using Bot.Discord.Rest;

namespace Bot.Discord;

/// <summary>
/// Discord's half of follow-up questions, through Core's <see cref="ConversationService"/> (when storage is configured;
/// otherwise every question stands alone). A Discord "thread" is a reply chain: the context of an answered question is
/// kept under the id of the bot's reply message, so a reply to that message (<c>message_reference</c>), with or without a
/// mention, is read in that context, and its own answer's id continues the chain. A DM is one private conversation as a
/// whole; its context is never used for a question answered in a guild.
/// <para>A reply without a mention is taken only when the replied-to message is one of the bot's answers with a live
/// context (checked before the message is claimed, so replies between people never touch the claim store). Its text needs
/// the MESSAGE_CONTENT intent (<see cref="DiscordOptions.EnableMessageContent"/>): without it Discord sends such a reply
/// with empty content unless the reply pings the bot (Discord's default), and an empty one is ignored.</para>
/// </summary>
internal sealed class DiscordConversations
{
    public const string Platform = "discord";

    private readonly IQuestionHandler _questions;
    private readonly ConversationService? _conversations;

    public DiscordConversations(IQuestionHandler questions, ConversationService? conversations = null)
    {
        _questions = questions;
        _conversations = conversations;
    }

    /// <summary>False when no context store is configured (replies without a mention are then never answered).</summary>
    public bool Enabled => _conversations is not null;

    /// <summary>
    /// The id of the message <paramref name="d"/> replies to, when it may be one of the bot's answers: a reply (type 19)
    /// whose <c>referenced_message</c>, when Discord includes it, was written by <paramref name="selfId"/>.
    /// </summary>
    public static string? RepliedToId(JsonElement d, string selfId)
    {
        if ((d.GetInt("type") ?? 0) != 19 || d.GetObject("message_reference")?.GetString("message_id") is not { } id || !DiscordIds.IsSnowflake(id))
        {
            return null;
        }

        return d.GetObject("referenced_message") is { } referenced && referenced.GetObject("author")?.GetString("id") != selfId ? null : id;
    }

    /// <summary>Whether the bot's answer <paramref name="answerMessageId"/> in a guild channel has a live context.</summary>
    public bool HasPublicContext(string channelId, string answerMessageId) =>
        _conversations is not null && _conversations.HasContext(new ThreadKey(Platform, channelId, answerMessageId), isPrivate: false);

    /// <summary>Asks the question in its conversation (a DM, or the reply chain it continues), or on its own.</summary>
    public Task<Answer> AskAsync(IncomingQuestion incoming, QueryContext context, int top, CancellationToken ct)
    {
        var thread = Key(incoming);
        return _conversations is null || thread is null
            ? _questions.AskAsync(incoming.Question, context, top, ct)
            : _conversations.AskAsync(incoming.Question, thread, context, top, ct);
    }

    /// <summary>
    /// Keeps a guild answer's question as the context of the bot's reply message <paramref name="replyId"/>, so a reply to
    /// it follows on (DM context lives under the DM itself and is already recorded).
    /// </summary>
    public void RememberReply(IncomingQuestion incoming, string replyId, Answer answer)
    {
        if (_conversations is null || incoming.IsDm || !DiscordIds.IsSnowflake(replyId) || answer.Status is not (AnswerStatus.Answered or AnswerStatus.NotFound))
        {
            return;
        }

        _conversations.Remember(new ThreadKey(Platform, incoming.ChannelId, replyId), answer, isPrivate: false);
    }

    /// <summary>Puts "following on from the earlier question …" in the content above an elliptical follow-up's answer.</summary>
    public static DiscordMessagePayload WithNote(DiscordMessagePayload payload, Answer answer) =>
        answer.FollowUp is { } followUp && string.IsNullOrEmpty(payload.Content)
            ? payload with { Content = DiscordMarkdown.EscapeAndCut(followUp.Note(answer.Language), 1000) }
            : payload;

    private static ThreadKey? Key(IncomingQuestion incoming) =>
        incoming.IsDm ? new ThreadKey(Platform, incoming.ChannelId, "dm")
        : incoming.RepliedToId is { } id ? new ThreadKey(Platform, incoming.ChannelId, id)
        : null;
}
