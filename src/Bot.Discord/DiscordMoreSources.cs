using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>
/// The "More sources" button on Discord (Core's <see cref="MoreSources"/>): a grey button in its own action row under an
/// answer (mention/DM replies and /ask) that has further sources. A click is acknowledged first with type 6
/// DEFERRED_UPDATE_MESSAGE (nothing waits on storage or search before it), then the message it was on is edited in place
/// (PATCH @original): the best passage stays, the list below it becomes the next sources, and the button moves on to the
/// following page or goes once the results end. A forged or expired id, or a full queue, is told to the clicker alone
/// (ephemeral follow-up).
/// </summary>
internal sealed class DiscordMoreSources
{
    public const string Platform = "discord";

    /// <summary>Sources listed below the best one on an answer (as <see cref="DiscordRenderer"/> shows them).</summary>
    public const int PerPage = 2;

    private const string Books = "\U0001F4DA";

    private readonly MoreSources _more;
    private readonly DiscordRenderer _renderer;
    private readonly DiscordFeedback _feedback;
    private readonly DiscordWholePassage _passage;
    private readonly DiscordRestClient _rest;
    private readonly ILogger<DiscordMoreSources> _logger;

    public DiscordMoreSources(MoreSources more, DiscordRenderer renderer, DiscordFeedback feedback, DiscordWholePassage passage, DiscordRestClient rest, ILogger<DiscordMoreSources> logger)
    {
        _more = more;
        _renderer = renderer;
        _feedback = feedback;
        _passage = passage;
        _rest = rest;
        _logger = logger;
    }

    /// <summary>Adds the button (page 1) under an answer that has further sources; keeps the searched question for the clicks.</summary>
    public DiscordMessagePayload Attach(DiscordMessagePayload payload, Answer answer, QueryContext context)
    {
        var id = _more.Offer(Platform, answer, 1 + PerPage, isPrivate: !context.InChannel, context.AnswerId);
        return id is null ? payload : WithButton(payload, id, 1, answer.Language);
    }

    /// <summary>Handles a click: ack (type 6), then the next page in place, or an ephemeral note.</summary>
    public async Task HandleClickAsync(ParsedInteraction interaction, CancellationToken cancellationToken)
    {
        try
        {
            await _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
                new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage, null), cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAckFailed(_logger, interaction.Id, "more-sources", ex.ErrorName + " " + ex.CodeName);
            return;
        }

        try
        {
            var click = await _more.ClickAsync(Platform, interaction.CustomId, PerPage, LanguageOf(interaction), cancellationToken).ConfigureAwait(false);
            if (click.Page is not { } page)
            {
                await NoteAsync(interaction, click.Refusal!, cancellationToken).ConfigureAwait(false);
                return;
            }

            var payload = _feedback.Attach(_renderer.RenderAnswer(page.Answer), page.Answer, click.AnswerId);
            payload = page.HasNext ? WithButton(payload, click.AnswerId!, page.Page + 1, page.Answer.Language) : payload with { Components = payload.Components ?? [] };
            payload = _passage.Attach(payload, page.Answer); // the cited passage stays readable whole
            await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAnswerFailed(_logger, interaction.Id, "more-sources", ex.ErrorName + " " + ex.CodeName);
        }
    }

    private Task NoteAsync(ParsedInteraction interaction, string text, CancellationToken cancellationToken) =>
        _rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token,
            new DiscordMessagePayload { Content = DiscordMarkdown.EscapeAndCut(text, DiscordRenderer.MaxContent), Flags = DiscordInteractionHandler.Ephemeral },
            cancellationToken);

    private static DiscordMessagePayload WithButton(DiscordMessagePayload payload, string answerId, int page, Language language) => payload with
    {
        Components =
        [
            .. payload.Components ?? [],
            new ActionRow([new Button(MoreSources.CustomId(answerId, page), UiText.For(language).MoreSourcesButton, new ComponentEmoji(Books))]),
        ],
    };

    /// <summary>The answer's language, read back from the clicked button's label (ours); else the user's locale.</summary>
    private static Language LanguageOf(ParsedInteraction interaction) =>
        interaction.ButtonLanguage((ui, label) => label == ui.MoreSourcesButton);
}
