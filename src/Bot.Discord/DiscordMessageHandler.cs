using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>
/// MESSAGE_CREATE: answers DMs, guild messages that mention the bot, and replies to the bot's answers (follow-ups, read in
/// the answered question's context: <see cref="DiscordThreads"/>) with exactly one reply (a Discord reply to the
/// question that does not ping its author), after a typing indicator. Ignores bots, webhooks, itself and system messages.
/// </summary>
internal sealed partial class DiscordMessageHandler
{
    public const int DefaultTop = 3;

    private readonly IQuestionHandler _questions;
    private readonly DiscordRestClient _rest;
    private readonly DiscordShards _gateway;
    private readonly DiscordRenderer _renderer;
    private readonly DiscordFeedback _feedback;
    private readonly ChatConversations _conversations;
    private readonly DiscordMoreSources _more;
    private readonly DiscordWholePassage _passage;
    private readonly ILogger<DiscordMessageHandler> _logger;
    private readonly bool _messageContentIntent;
    private readonly RecentKeys _seen;
    private int _emptyContentWarned;

    public DiscordMessageHandler(
        IQuestionHandler questions,
        DiscordRestClient rest,
        DiscordShards gateway,
        DiscordRenderer renderer,
        DiscordFeedback feedback,
        ChatConversations conversations,
        DiscordMoreSources more,
        DiscordWholePassage passage,
        IOptions<DiscordOptions> options,
        TimeProvider time,
        ILogger<DiscordMessageHandler> logger,
        Bot.Core.Storage.IEventClaims? claims = null)
    {
        _seen = new RecentKeys(time, window: null, capacity: 10_000, claims, "discord:message:");
        _feedback = feedback;
        _conversations = conversations;
        _more = more;
        _passage = passage;
        _messageContentIntent = options.Value.EnableMessageContent;
        _questions = questions;
        _rest = rest;
        _gateway = gateway;
        _renderer = renderer;
        _logger = logger;
    }

    /// <summary>The question in a message addressed to <paramref name="selfId"/>, or null when the bot should ignore it.</summary>
    internal static IncomingQuestion? Parse(JsonElement d, string? selfId)
    {
        if (d.ValueKind != JsonValueKind.Object || selfId is null)
        {
            return null;
        }

        var author = d.GetObject("author");
        var type = d.GetInt("type") ?? 0;
        if (author is null || author.Value.GetBool("bot") || author.Value.GetString("id") == selfId ||
            d.GetString("webhook_id") is not null || (type != 0 && type != 19))
        {
            return null;
        }

        var messageId = d.GetString("id");
        var channelId = d.GetString("channel_id");
        if (!Rest.DiscordIds.IsSnowflake(messageId) || !Rest.DiscordIds.IsSnowflake(channelId))
        {
            return null; // they go into REST paths: never anything but a snowflake
        }

        var content = d.GetString("content") ?? "";
        var isDm = d.GetString("guild_id") is null;
        var mentioned = d.GetArray("mentions").Any(m => m.GetString("id") == selfId) ||
                        content.Contains("<@" + selfId + ">", StringComparison.Ordinal) ||
                        content.Contains("<@!" + selfId + ">", StringComparison.Ordinal);
        var repliedTo = isDm ? null : DiscordThreads.RepliedToId(d, selfId);
        if (!isDm && !mentioned && repliedTo is null)
        {
            return null;
        }

        var question = StripSelfMentions(content, selfId).Trim();
        return new IncomingQuestion(messageId, channelId, isDm, content.Length == 0, question) { RepliedToId = repliedTo, Mentioned = mentioned };
    }

    internal static string StripSelfMentions(string content, string selfId) =>
        MentionPattern().Replace(content, m => m.Groups["id"].Value == selfId ? " " : m.Value);

    /// <summary>
    /// The start-up warm-up (<see cref="ChatWarmUp"/>) through Discord's rendering and JSON serialisation.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        ChatWarmUp.RunAsync(_questions, DefaultTop, answer =>
        {
            var payload = _feedback.Attach(_renderer.RenderAnswer(answer), answer) with
            {
                AllowedMentions = AllowedMentions.NoneNotReplied,
                MessageReference = new MessageReference("0", "0", FailIfNotExists: false),
            };
            _ = JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), DiscordJson.Rest);
            var defer = new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new DeferData(null));
            _ = JsonSerializer.SerializeToUtf8Bytes(defer, defer.GetType(), DiscordJson.Rest);
        }, ex => DiscordLog.HandlerFailed(_logger, "warm-up", ex), cancellationToken);

    public async Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        WarnOnceIfContentHidden(dispatch.Data);
        var incoming = Parse(dispatch.Data, _gateway.UserId);
        if (incoming is { IsDm: false, Mentioned: false } &&
            (incoming.Question.Length == 0 || !_conversations.HasPublicContext(DiscordThreads.Reply(incoming.ChannelId, incoming.RepliedToId!))))
        {
            return; // a reply without a mention: only to an answer with a live context, and only with something to read
        }

        if (incoming is null || !_seen.TryFirstSee(incoming.MessageId) || (incoming.ContentMissing && !incoming.IsDm))
        {
            return;
        }

        DiscordMessagePayload payload;
        Answer? answered = null;
        Task typing = Task.CompletedTask;
        if (incoming.Question.Length == 0)
        {
            payload = _renderer.RenderEmptyQuestion(LanguageDetector.Detect(incoming.Question));
        }
        else
        {
            typing = TypeAsync(incoming.ChannelId, cancellationToken);
            try
            {
                var context = new QueryContext("discord", incoming.ChannelId, InChannel: !incoming.IsDm) { AnswerId = _feedback.MintAnswerId() };
                var answer = await _conversations.AskAsync(incoming.Question, DiscordThreads.Of(incoming), context, DefaultTop, cancellationToken).ConfigureAwait(false);
                payload = _passage.Attach(_more.Attach(DiscordThreads.WithNote(_feedback.Attach(_renderer.RenderAnswer(answer), answer, context.AnswerId), answer), answer, context), answer);
                answered = answer;
            }
            catch (QuestionsBusyException)
            {
                payload = _renderer.RenderText(UiText.For(LanguageDetector.Detect(incoming.Question)).Busy);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                DiscordLog.HandlerFailed(_logger, "MESSAGE_CREATE", ex);
                payload = _renderer.RenderText(UiText.For(LanguageDetector.Detect(incoming.Question)).ErrorGeneric);
            }
        }

        await typing.ConfigureAwait(false);
        payload = payload with
        {
            AllowedMentions = AllowedMentions.NoneNotReplied,
            MessageReference = new MessageReference(incoming.MessageId, incoming.ChannelId, FailIfNotExists: false),
            Nonce = "r" + incoming.MessageId[..Math.Min(incoming.MessageId.Length, 24)],
            EnforceNonce = true,
        };
        try
        {
            var replyId = await _rest.CreateMessageAsync(incoming.ChannelId, payload, cancellationToken).ConfigureAwait(false);
            Remember(incoming, replyId, answered);
        }
        catch (DiscordApiException ex) when (ex.Code is DiscordErrorCodes.MissingPermissions or DiscordErrorCodes.InvalidFormBody)
        {
            // A reply needs READ_MESSAGE_HISTORY and a replyable target; try once as a plain message, then give up.
            DiscordLog.ReplyFailed(_logger, incoming.MessageId, incoming.ChannelId, ex.Message + "; retrying once without message_reference");
            try
            {
                var replyId = await _rest.CreateMessageAsync(incoming.ChannelId, payload with { MessageReference = null, Nonce = "p" + payload.Nonce![1..] }, cancellationToken)
                    .ConfigureAwait(false);
                Remember(incoming, replyId, answered);
            }
            catch (DiscordApiException again)
            {
                DiscordLog.ReplyFailed(_logger, incoming.MessageId, incoming.ChannelId, again.Message);
            }
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.ReplyFailed(_logger, incoming.MessageId, incoming.ChannelId, ex.Message);
        }
    }

    /// <summary>
    /// A guild message from a person with empty content is how a missing MESSAGE_CONTENT intent shows: say so once.
    /// Such messages are not answered (there is nothing to read); mentions and DMs keep working without the intent.
    /// </summary>
    private void WarnOnceIfContentHidden(JsonElement d)
    {
        if (_messageContentIntent || Volatile.Read(ref _emptyContentWarned) == 1 || d.ValueKind != JsonValueKind.Object || d.GetString("guild_id") is null ||
            d.GetObject("author") is not { } author || author.GetBool("bot") || author.GetString("id") == _gateway.UserId ||
            d.GetString("webhook_id") is not null || !string.IsNullOrEmpty(d.GetString("content")) || (d.GetInt("type") ?? 0) is not (0 or 19))
        {
            return;
        }

        if (Interlocked.Exchange(ref _emptyContentWarned, 1) == 0)
        {
            DiscordLog.EmptyContent(_logger, d.GetString("id") ?? "", d.GetString("channel_id") ?? "");
        }
    }

    /// <summary>Keeps a posted guild answer as the context of the bot's reply message, so a reply to it follows on.</summary>
    private void Remember(IncomingQuestion incoming, string replyId, Answer? answered)
    {
        if (answered is not null && DiscordThreads.ContextOfReply(incoming, replyId) is { } thread)
        {
            _conversations.RememberPublic(thread, answered);
        }
    }

    private async Task TypeAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            await _rest.TriggerTypingAsync(channelId, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.TypingFailed(_logger, channelId, ex.ErrorName);
        }
    }

    [GeneratedRegex(@"<@!?(?<id>\d+)>")]
    private static partial Regex MentionPattern();
}

/// <summary>A message the bot should answer.</summary>
internal sealed record IncomingQuestion(string MessageId, string ChannelId, bool IsDm, bool ContentMissing, string Question)
{
    /// <summary>The bot's answer this message replies to (a follow-up in that answer's context), or null.</summary>
    public string? RepliedToId { get; init; }

    /// <summary>The message mentions the bot (a DM or a mention is a question even without a reply).</summary>
    public bool Mentioned { get; init; }
}
