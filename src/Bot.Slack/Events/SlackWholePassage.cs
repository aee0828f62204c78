using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Events;

/// <summary>A "Whole passage" click: the button's id as sent (parsed by Core), the answer's language, where to reply.</summary>
internal sealed record WholePassageClick(string CustomId, Language Language, string? ResponseUrl) : SlackRequest;

/// <summary>
/// The "Whole passage" buttons on Slack (Core's <see cref="WholePassages"/>): an actions block under a chat answer (one
/// button, for the cited passage) or a decline (one button per closest passage, up to three), above the feedback
/// buttons. A click is answered through the interaction's response_url with <c>response_type: ephemeral</c> and
/// <c>replace_original: false</c>: only the clicker sees the passage whole with the previous and next passage of its
/// article (each section within Slack's 3000 characters), and the answer stays as it was. A forged, malformed or unknown
/// id gets <see cref="UiText.ButtonExpired"/> the same private way. Nothing is ever posted publicly.
/// </summary>
internal sealed class SlackWholePassage
{
    public const string BlockPrefix = "passage:";

    /// <summary>Slack's limit for a button's text.</summary>
    private const int MaxButtonText = 75;
    private const int MaxSectionText = 3000;
    private const int NeighbourBudget = 1200;

    private readonly WholePassages _passages;
    private readonly SlackRenderer _renderer;
    private readonly SlackWebApiClient _api;
    private readonly ILogger<SlackWholePassage> _logger;

    public SlackWholePassage(WholePassages passages, SlackRenderer renderer, SlackWebApiClient api, ILogger<SlackWholePassage> logger)
    {
        _passages = passages;
        _renderer = renderer;
        _api = api;
        _logger = logger;
    }

    /// <summary>Adds the actions block of "Whole passage" buttons above the feedback buttons (none when the answer offers none).</summary>
    public SlackMessage Attach(SlackMessage message, Answer answer)
    {
        ArgumentNullException.ThrowIfNull(message);
        var offered = _passages.Buttons(answer);
        if (offered.Count == 0)
        {
            return message;
        }

        var elements = new JsonArray();
        foreach (var (customId, label) in offered)
        {
            elements.Add(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = customId,
                ["value"] = customId,
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = TextCutter.Cut(label, MaxButtonText), ["emoji"] = true },
            });
        }

        return SlackRenderer.InsertAboveFeedback(message, new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = SlackRenderer.BlockId(BlockPrefix, answer.Language),
            ["elements"] = elements,
        });
    }

    /// <summary>Answers a click with the passage, or a refusal, to the clicker alone.</summary>
    public async Task HandleAsync(WholePassageClick click, CancellationToken ct)
    {
        if (!SlackReplier.TryResponseUrl(click.ResponseUrl, out var responseUrl))
        {
            SlackLog.ReplyFailed(_logger, "no response_url");
            return;
        }

        try
        {
            var passage = _passages.Click(click.CustomId, click.Language);
            if (passage.Found is not { } found)
            {
                await _api.PostEphemeralNoteAsync(responseUrl, _renderer.RenderNotice(passage.Refusal!).Text, ct).ConfigureAwait(false);
                return;
            }

            await _api.PostToResponseUrlAsync(responseUrl, Render(found, click.Language), "ephemeral", ct, replaceOriginal: false).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>
    /// The passage as blocks: a context line "Article, passage N" (linked to the original when there is a URL), the previous
    /// passage quoted under its label, the passage itself, the next passage quoted under its label; every text escaped and
    /// cut on a text-element boundary within Slack's section limit.
    /// </summary>
    internal static SlackMessage Render(PassageWithNeighbours found, Language language)
    {
        var ui = UiText.For(language);
        var article = found.Article;
        var suffix = ", " + ui.Passage(found.Passage.Ordinal) + (article.Metadata.Published is { } date ? " · " + UiText.DateText(date) : "");
        var heading = article.Metadata.Url is { } url
            ? SlackSourceLinks.Link(url, article.Title, 500) + SlackText.EscapeWithin(suffix, 200)
            : SlackText.EscapeWithin(article.Title, 500) + SlackText.EscapeWithin(suffix, 200);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Mrkdwn(heading)) },
        };
        if (found.Previous is { } previous)
        {
            blocks.Add(Section(Neighbour(ui.PreviousPassage, ui.Passage(previous.Ordinal), previous.Text)));
        }

        var section = found.Passage.Heading.Length > 0 && !string.Equals(found.Passage.Heading, article.Title, StringComparison.Ordinal)
            ? "*" + SlackText.EscapeWithin(found.Passage.Heading, 200) + "*\n"
            : "";
        blocks.Add(Section(section + SlackText.EscapeWithin(found.Passage.Text, MaxSectionText - section.Length)));
        if (found.Next is { } next)
        {
            blocks.Add(Section(Neighbour(ui.NextPassage, ui.Passage(next.Ordinal), next.Text)));
        }

        var fallback = TextCutter.Cut($"{article.Title}{suffix}: {found.Passage.Text.ReplaceLineEndings(" ")}", MaxSectionText);
        return new SlackMessage(SlackText.EscapeWithin(fallback, MaxSectionText), blocks);
    }

    private static string Neighbour(string label, string passage, string text) =>
        string.Create(CultureInfo.InvariantCulture, $"*{SlackText.Escape(label)}* ({SlackText.Escape(passage)})\n> ")
        + SlackText.EscapeWithin(text, NeighbourBudget).ReplaceLineEndings("\n> ");

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = Mrkdwn(TextCutter.Cut(mrkdwn, MaxSectionText)),
    };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text, ["verbatim"] = true };
}
