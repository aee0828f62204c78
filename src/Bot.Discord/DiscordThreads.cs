using System.Text.Json;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Conversations;
using Bot.Discord.Rest;

namespace Bot.Discord;

/// <summary>
/// Which conversation thread a Discord message belongs to, for the chat kit's <see cref="ChatConversations"/> (follow-up
/// questions, when storage is configured; otherwise every question stands alone). A Discord "thread" is a reply chain:
/// the context of an answered question is kept under the id of the bot's reply message, so a reply to that message
/// (<c>message_reference</c>), with or without a mention, is read in that context, and its own answer's id continues the
/// chain. A DM is one private conversation as a whole; its context is never used for a question answered in a guild.
/// <para>A reply without a mention is taken only when the replied-to message is one of the bot's answers with a live
/// context (checked before the message is claimed, so replies between people never touch the claim store). Its text needs
/// the MESSAGE_CONTENT intent (<see cref="DiscordOptions.EnableMessageContent"/>): without it Discord sends such a reply
/// with empty content unless the reply pings the bot (Discord's default), and an empty one is ignored.</para>
/// </summary>
internal static class DiscordThreads
{
    public const string Platform = "discord";

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

    /// <summary>The thread of the bot's answer <paramref name="answerMessageId"/> in a guild channel.</summary>
    public static ThreadKey Reply(string channelId, string answerMessageId) => new(Platform, channelId, answerMessageId);

    /// <summary>The conversation a question is asked in: a DM as a whole, or the reply chain it continues; else none.</summary>
    public static ThreadKey? Of(IncomingQuestion incoming) =>
        incoming.IsDm ? new ThreadKey(Platform, incoming.ChannelId, "dm")
        : incoming.RepliedToId is { } id ? Reply(incoming.ChannelId, id)
        : null;

    /// <summary>
    /// Where a guild answer's question is kept as context: under the bot's reply message <paramref name="replyId"/>, so a
    /// reply to it follows on; null for a DM (its context lives under the DM itself and is already recorded).
    /// </summary>
    public static ThreadKey? ContextOfReply(IncomingQuestion incoming, string replyId) =>
        incoming.IsDm || !DiscordIds.IsSnowflake(replyId) ? null : Reply(incoming.ChannelId, replyId);

    /// <summary>Puts "following on from the earlier question …" in the content above an elliptical follow-up's answer.</summary>
    public static DiscordMessagePayload WithNote(DiscordMessagePayload payload, Answer answer) =>
        answer.FollowUp is { } followUp && string.IsNullOrEmpty(payload.Content)
            ? payload with { Content = DiscordMarkdown.EscapeAndCut(followUp.Note(answer.Language), 1000) }
            : payload;
}
