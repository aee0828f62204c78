using System.Globalization;
using System.Text;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>
/// The "Whole passage" buttons on Discord (Core's <see cref="WholePassages"/>): a grey button row under an answer (one
/// button, for the cited passage) or under a decline (one button per closest passage, up to three). A click is
/// acknowledged at once with type 5 DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE and flags 64 (EPHEMERAL), so everything that
/// follows is seen by the clicker alone; then the deferred reply is filled in (PATCH @original; its ephemeral state is fixed by the deferral) with an embed: the
/// passage whole, the previous and next passage of its article marked as such, cut to the embed limits. A forged,
/// malformed or unknown id gets <see cref="UiText.ButtonExpired"/> the same private way. Nothing is ever posted publicly.
/// </summary>
internal sealed class DiscordWholePassage
{
    private const string Page = "\U0001F4C4";
    private const int NeighbourBudget = 900;

    private readonly WholePassages _passages;
    private readonly DiscordRestClient _rest;
    private readonly ILogger<DiscordWholePassage> _logger;

    public DiscordWholePassage(WholePassages passages, DiscordRestClient rest, ILogger<DiscordWholePassage> logger)
    {
        _passages = passages;
        _rest = rest;
        _logger = logger;
    }

    /// <summary>Adds the row of "Whole passage" buttons (none when the answer offers none).</summary>
    public DiscordMessagePayload Attach(DiscordMessagePayload payload, Answer answer)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var offered = _passages.Buttons(answer);
        if (offered.Count == 0 || (payload.Components?.Count ?? 0) >= 5)
        {
            return payload;
        }

        var buttons = offered.Select(o => new Button(o.CustomId, TextCutter.Cut(o.Label, DiscordRenderer.MaxButtonLabel), new ComponentEmoji(Page))).ToList();
        return payload with { Components = [.. payload.Components ?? [], new ActionRow(buttons)] };
    }

    /// <summary>Handles a click: an ephemeral deferral (type 5, flags 64), then the passage or a refusal in it.</summary>
    public async Task HandleClickAsync(ParsedInteraction interaction, CancellationToken cancellationToken)
    {
        try
        {
            await _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
                new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new DeferData(DiscordInteractionHandler.Ephemeral)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAckFailed(_logger, interaction.Id, "whole-passage", ex.ErrorName + " " + ex.CodeName);
            return;
        }

        var language = LanguageOf(interaction);
        var click = _passages.Click(interaction.CustomId, language);
        var payload = click.Found is { } found
            ? Render(found, language)
            : new DiscordMessagePayload { Content = DiscordMarkdown.EscapeAndCut(click.Refusal!, DiscordRenderer.MaxContent) };
        try
        {
            await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAnswerFailed(_logger, interaction.Id, "whole-passage", ex.ErrorName + " " + ex.CodeName);
        }
    }

    /// <summary>
    /// The passage as one embed: title "Article, passage N" (linked to the original when there is a URL), the previous
    /// passage quoted under its label, the passage itself, the next passage quoted under its label; every part cut on a
    /// text-element boundary so the description stays within 4096 and the embed within 6000.
    /// </summary>
    internal static DiscordMessagePayload Render(PassageWithNeighbours found, Language language)
    {
        var ui = UiText.For(language);
        var article = found.Article;
        var suffix = ", " + ui.Passage(found.Passage.Ordinal);
        var title = TextCutter.Cut(article.Title, DiscordRenderer.MaxTitle - suffix.Length) + suffix; // a long title is cut, the passage number stays
        var sb = new StringBuilder();
        if (found.Previous is { } previous)
        {
            sb.Append("**").Append(DiscordMarkdown.Escape(ui.PreviousPassage)).Append("** (").Append(DiscordMarkdown.Escape(ui.Passage(previous.Ordinal))).Append(")\n")
                .Append(Quote(DiscordMarkdown.EscapeAndCut(previous.Text, NeighbourBudget))).Append("\n\n");
        }

        var next = found.Next is { } n
            ? new StringBuilder("\n\n**").Append(DiscordMarkdown.Escape(ui.NextPassage)).Append("** (").Append(DiscordMarkdown.Escape(ui.Passage(n.Ordinal))).Append(")\n")
                .Append(Quote(DiscordMarkdown.EscapeAndCut(n.Text, NeighbourBudget))).ToString()
            : "";
        var heading = found.Passage.Heading.Length > 0 && !string.Equals(found.Passage.Heading, article.Title, StringComparison.Ordinal)
            ? "**" + DiscordMarkdown.EscapeAndCut(found.Passage.Heading, 200) + "**\n"
            : "";
        var room = DiscordRenderer.MaxDescription - sb.Length - next.Length - heading.Length;
        sb.Append(heading).Append(DiscordMarkdown.EscapeAndCut(found.Passage.Text, Math.Max(200, room))).Append(next);
        var description = TextCutter.Cut(sb.ToString(), DiscordRenderer.MaxDescription);
        var footer = article.Metadata.Published is { } date
            ? $"{UiText.DateText(date)} · {string.Format(CultureInfo.InvariantCulture, ui.PassageCountLabel, article.PassageCount)}"
            : string.Format(CultureInfo.InvariantCulture, ui.PassageCountLabel, article.PassageCount);
        return new DiscordMessagePayload
        {
            Embeds =
            [
                new DiscordEmbed
                {
                    Title = title,
                    Url = article.Metadata.Url,
                    Description = description,
                    Footer = new DiscordEmbedFooter(TextCutter.Cut(footer, DiscordRenderer.MaxFooter)),
                    Color = DiscordRenderer.Color,
                },
            ],
            AllowedMentions = AllowedMentions.None,
        };
    }

    private static string Quote(string text) => "> " + text.ReplaceLineEndings("\n> ");

    /// <summary>The answer's language, read back from the clicked button's label (ours); else the user's locale.</summary>
    private static Language LanguageOf(ParsedInteraction interaction) =>
        interaction.ButtonLanguage(WholePassages.IsButtonLabel);
}
