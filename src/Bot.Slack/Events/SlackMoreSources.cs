using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Events;

/// <summary>A "More sources" click: the button's id as sent (parsed by Core), the answer's language, where to reply.</summary>
internal sealed record MoreSourcesClick(string CustomId, Language Language, string? ResponseUrl) : SlackRequest;

/// <summary>
/// The "More sources" button on Slack (Core's <see cref="MoreSources"/>): an actions block under a chat answer whose
/// button shows the next page; a click replaces the message in place (response_url, <c>replace_original</c>) with the
/// best passage and the next sources, the button moving on to the following page until the results end. A forged or
/// expired id, or a full queue, is told to the clicker alone.
/// </summary>
internal sealed class SlackMoreSources
{
    public const string Platform = "slack";
    public const string BlockPrefix = "more:";

    private readonly MoreSources _more;
    private readonly SlackRenderer _renderer;
    private readonly SlackWebApiClient _api;
    private readonly FeedbackVotes _votes;
    private readonly SlackWholePassage _passage;
    private readonly SlackOptions _options;
    private readonly ILogger<SlackMoreSources> _logger;

    public SlackMoreSources(MoreSources more, SlackRenderer renderer, SlackWebApiClient api, FeedbackVotes votes, SlackWholePassage passage, IOptions<SlackOptions> options, ILogger<SlackMoreSources> logger)
    {
        _more = more;
        _renderer = renderer;
        _api = api;
        _votes = votes;
        _passage = passage;
        _options = options.Value;
        _logger = logger;
    }

    private int PerPage => Math.Max(1, _options.AskTop - 1);

    /// <summary>Adds the button (page 1) under a chat answer that has further sources; keeps the answer id for the clicks.</summary>
    public SlackMessage Attach(SlackMessage message, Answer answer, QueryContext context)
    {
        var id = _more.Offer(Platform, answer, _options.AskTop, isPrivate: !context.InChannel, context.AnswerId);
        return id is null ? message : WithButton(message, id, 1, answer.Language);
    }

    /// <summary>Answers a click: the next page in place, or a note to the clicker alone.</summary>
    public async Task HandleAsync(MoreSourcesClick click, CancellationToken ct)
    {
        if (!SlackReplier.TryResponseUrl(click.ResponseUrl, out var responseUrl))
        {
            SlackLog.ReplyFailed(_logger, "no response_url");
            return;
        }

        try
        {
            var more = await _more.ClickAsync(Platform, click.CustomId, PerPage, click.Language, ct).ConfigureAwait(false);
            if (more.Page is not { } page)
            {
                await _api.PostEphemeralNoteAsync(responseUrl, _renderer.RenderNotice(more.Refusal!).Text, ct).ConfigureAwait(false);
                return;
            }

            var feedbackId = _votes.Rates(page.Answer) ? more.AnswerId : null;
            var message = _renderer.RenderAnswer(page.Answer, page.Answer.Citations.Count, feedbackId);
            if (page.HasNext)
            {
                message = WithButton(message, more.AnswerId!, page.Page + 1, page.Answer.Language);
            }

            message = _passage.Attach(message, page.Answer); // the cited passage stays readable whole
            await _api.PostToResponseUrlAsync(responseUrl, message, "in_channel", ct, replaceOriginal: true).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    private static SlackMessage WithButton(SlackMessage message, string answerId, int page, Language language)
    {
        var ui = UiText.For(language);
        return SlackRenderer.InsertAboveFeedback(message, new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = SlackRenderer.BlockId(BlockPrefix, language),
            ["elements"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = MoreSources.CustomId(answerId, page),
                ["value"] = MoreSources.CustomId(answerId, page),
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = ui.MoreSourcesButton, ["emoji"] = true },
            }),
        });
    }
}
