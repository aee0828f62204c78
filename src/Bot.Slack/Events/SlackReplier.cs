using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Events;

/// <summary>
/// Answers one classified Slack request: asks Core (which queues the question onto its one shared
/// <see cref="QuestionExecutor"/>), renders with <see cref="SlackRenderer"/> (feedback buttons when
/// <see cref="FeedbackVotes.Rates"/>), and posts: chat.postMessage in the thread for mentions and DMs, the response_url
/// for slash commands, the message's thread for "Find sources" (privately when the bot is not in that channel). A full
/// queue becomes "busy, try again"; any other failure a polite error line. Slack's refusals are logged, never thrown.
/// </summary>
internal sealed class SlackReplier
{
    public const string PlatformName = "slack";

    private readonly IQuestionHandler _handler;
    private readonly ChatConversations _conversations;
    private readonly SlackMoreSources _more;
    private readonly SlackWholePassage _passage;
    private readonly SlackWebApiClient _api;
    private readonly SlackRenderer _renderer;
    private readonly SlackOptions _options;
    private readonly FeedbackVotes _votes;
    private readonly ILogger<SlackReplier> _logger;

    public SlackReplier(IQuestionHandler handler, ChatConversations conversations, SlackMoreSources more, SlackWholePassage passage, SlackWebApiClient api, SlackRenderer renderer, IOptions<SlackOptions> options, FeedbackVotes votes, ILogger<SlackReplier> logger)
    {
        _handler = handler;
        _conversations = conversations;
        _more = more;
        _passage = passage;
        _api = api;
        _renderer = renderer;
        _options = options.Value;
        _votes = votes;
        _logger = logger;
    }

    /// <summary>The start-up warm-up (<see cref="ChatWarmUp"/>) through Slack's rendering and JSON serialisation.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        ChatWarmUp.RunAsync(_handler, _options.AskTop, answer =>
        {
            var message = RenderChatAnswer(answer, _options.AskTop);
            _ = new JsonObject { ["text"] = message.Text, ["blocks"] = message.Blocks.DeepClone() }.ToJsonString();
        }, ex => SlackLog.HandlerFailed(_logger, ex, "warm-up"), cancellationToken);

    /// <summary>The immediate ephemeral ack of a slash command: "working on it", or "busy" when Core's queue is full.</summary>
    public JsonObject CommandAck(SlackSlashCommand command, bool busy)
    {
        var ui = UiText.For(LanguageDetector.Detect(command.Text));
        return new JsonObject { ["response_type"] = "ephemeral", ["text"] = _renderer.RenderNotice(busy ? ui.Busy : ui.Working).Text };
    }

    /// <summary>
    /// A mention, DM or thread follow-up: the answer (or "busy, try again" when Core's queue is full) in the thread, read in
    /// the thread's context (<see cref="SlackThreads"/>).
    /// </summary>
    public async Task AnswerChannelAsync(ChannelQuestion request, CancellationToken ct)
    {
        SlackMessage message;
        try
        {
            var context = RatedContext(request.Channel);
            var answer = await _conversations.AskAsync(request.Question, SlackThreads.Of(request), context, _options.AskTop, ct).ConfigureAwait(false);
            message = _passage.Attach(_more.Attach(SlackThreads.WithNote(RenderChatAnswer(answer, _options.AskTop, context.AnswerId), answer), answer, context), answer);
        }
        catch (QuestionsBusyException)
        {
            message = BusyNotice(request.Question);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            SlackLog.HandlerFailed(_logger, ex, "question");
            message = _renderer.RenderNotice(UiText.For(LanguageDetector.Detect(request.Question)).ErrorGeneric);
        }

        try
        {
            await _api.PostMessageAsync(request.Channel, message, request.ThreadTs, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>
    /// A slash command, answered on its response_url. A full queue is not caught here: the task fails at once with
    /// <see cref="QuestionsBusyException"/>, and the ack says "busy" instead.
    /// </summary>
    public async Task AnswerCommandAsync(SlashRequest request, CancellationToken ct)
    {
        var command = request.Command;
        var question = SlackInboundText.ToQuestion(command.Text);
        var language = LanguageDetector.Detect(question);
        SlackMessage message;
        var responseType = "ephemeral";
        try
        {
            switch (request.Kind)
            {
                case SlashKind.Ask:
                    var context = RatedContext(command.ChannelId);
                    var answer = await _handler.AskAsync(question, context, _options.AskTop, ct).ConfigureAwait(false);
                    message = _passage.Attach(_more.Attach(RenderChatAnswer(answer, _options.AskTop, context.AnswerId), answer, context), answer);
                    responseType = answer.Status is AnswerStatus.Answered or AnswerStatus.NotFound ? "in_channel" : "ephemeral";
                    break;
                case SlashKind.Search:
                    var found = await _handler.SearchAsync(question, Context(command.ChannelId, seenByChannel: false), _options.SearchTop, ct).ConfigureAwait(false);
                    message = _renderer.RenderAnswer(found, _options.SearchTop); // an ephemeral list of passages: no feedback buttons
                    break;
                case SlashKind.Source:
                    if (question.Length == 0)
                    {
                        message = _renderer.RenderNotice(UiText.For(language).EmptyQuestion);
                        break;
                    }

                    var source = await _handler.SourceAsync(question, Context(command.ChannelId, seenByChannel: false), ct).ConfigureAwait(false);
                    message = _renderer.RenderSource(source);
                    break;
                default:
                    message = _renderer.RenderHelp(language);
                    break;
            }
        }
        catch (Exception ex) when (ex is not QuestionsBusyException && (ex is not OperationCanceledException || !ct.IsCancellationRequested))
        {
            SlackLog.HandlerFailed(_logger, ex, "command");
            message = _renderer.RenderNotice(UiText.For(language).ErrorGeneric);
            responseType = "ephemeral";
        }

        if (!TryResponseUrl(command.ResponseUrl, out var responseUrl))
        {
            SlackLog.ReplyFailed(_logger, "no response_url");
            return;
        }

        try
        {
            await _api.PostToResponseUrlAsync(responseUrl, message, responseType, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>The "Find sources" shortcut: passages in the message's thread (or "busy, try again" privately).</summary>
    public async Task AnswerFindSourcesAsync(FindSourcesRequest request, CancellationToken ct)
    {
        SlackMessage message;
        try
        {
            var context = RatedContext(request.Channel);
            var answer = await _handler.SearchAsync(request.Question, context, _options.FindSourcesTop, ct).ConfigureAwait(false);
            message = _passage.Attach(RenderChatAnswer(answer, _options.FindSourcesTop, context.AnswerId), answer);
        }
        catch (QuestionsBusyException)
        {
            await PostNoteAsync(request.ResponseUrl, BusyNotice(request.Question).Text, ct).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            SlackLog.HandlerFailed(_logger, ex, "shortcut");
            message = _renderer.RenderNotice(UiText.For(LanguageDetector.Detect(request.Question)).ErrorGeneric);
        }

        try
        {
            await _api.PostMessageAsync(request.Channel, message, request.ThreadTs, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex) when (ex.Error is "not_in_channel" or "channel_not_found" && TryResponseUrl(request.ResponseUrl, out var fallback))
        {
            // the bot is not in that channel: tell the user privately instead
            SlackLog.ReplyFailed(_logger, ex.Error);
            try
            {
                await _api.PostToResponseUrlAsync(fallback, message, "ephemeral", ct).ConfigureAwait(false);
            }
            catch (SlackApiException inner)
            {
                SlackLog.ReplyFailed(_logger, inner.Error);
            }
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>An ephemeral note on a response_url, when there is one.</summary>
    public async Task PostNoteAsync(string? responseUrl, string mrkdwnText, CancellationToken ct)
    {
        if (!TryResponseUrl(responseUrl, out var uri))
        {
            return;
        }

        try
        {
            await _api.PostEphemeralNoteAsync(uri, mrkdwnText, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>A response_url from a payload: absolute http(s) only (on Unix "/x" would parse as a file: URI).</summary>
    internal static bool TryResponseUrl(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri)
    {
        if (value is not null && Uri.TryCreate(value, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp))
        {
            uri = parsed;
            return true;
        }

        uri = null;
        return false;
    }

    /// <summary>Renders a chat answer, with feedback buttons under a fresh answer id when feedback is stored.</summary>
    private SlackMessage RenderChatAnswer(Answer answer, int top, string? answerId = null) =>
        _renderer.RenderAnswer(answer, top, _votes.Rates(answer) ? answerId ?? Core.Storage.AnswerRecord.NewId() : null);

    private SlackMessage BusyNotice(string? question) => _renderer.RenderNotice(UiText.For(LanguageDetector.Detect(question)).Busy);

    /// <summary>
    /// Where a question was asked, for the query log: <paramref name="seenByChannel"/> only when the answer is posted where
    /// the whole channel sees it (a mention, /ask, Find sources in a thread), never for DMs (D…) or ephemeral replies.
    /// </summary>
    private static QueryContext Context(string channel, bool seenByChannel) =>
        new(PlatformName, channel, seenByChannel && !channel.StartsWith('D'));

    /// <summary>A context for an answer that may carry feedback buttons: the answer id is minted first, so the query log links votes.</summary>
    private QueryContext RatedContext(string channel) => Context(channel, seenByChannel: true) with { AnswerId = _votes.MintAnswerId() };
}
