using System.Text.Json;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>
/// INTERACTION_CREATE: slash commands, the "Find sources" message command and /source autocomplete. Every command is
/// deferred (callback type 5) before retrieval runs, then completed with PATCH @original, unless the 15-minute token
/// window has passed. A failed acknowledgement (10062, 40060) fails that command alone.
/// </summary>
internal sealed class DiscordInteractionHandler
{
    public const int Ephemeral = 64;
    public const int SearchTop = 5;
    public const int MaxAutocompleteChoices = 25;
    public const int MaxFindSourcesChars = 300;

    private const int TypeApplicationCommand = 2;
    private const int TypeMessageComponent = 3;
    private const int TypeAutocomplete = 4;

    private readonly IQuestionHandler _questions;
    private readonly DiscordRestClient _rest;
    private readonly DiscordShards _gateway;
    private readonly DiscordRenderer _renderer;
    private readonly DiscordFeedback _feedback;
    private readonly DiscordMoreSources _more;
    private readonly DiscordWholePassage _passage;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordInteractionHandler> _logger;
    private readonly RecentKeys _seen;

    public DiscordInteractionHandler(
        IQuestionHandler questions,
        DiscordRestClient rest,
        DiscordShards gateway,
        DiscordRenderer renderer,
        DiscordFeedback feedback,
        DiscordMoreSources more,
        DiscordWholePassage passage,
        IOptions<DiscordOptions> options,
        TimeProvider time,
        ILogger<DiscordInteractionHandler> logger)
    {
        _feedback = feedback;
        _more = more;
        _passage = passage;
        _questions = questions;
        _rest = rest;
        _gateway = gateway;
        _renderer = renderer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        // In memory only, no shared claim: Discord delivers an interaction to the one session of its shard, refuses a second
        // callback for it anyway, and the deferral must leave within 3 s, so nothing may wait on the database before it.
        _seen = new RecentKeys(time, window: null, capacity: 10_000);
    }

    public async Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        var interaction = ParsedInteraction.Parse(dispatch.Data, _gateway.ApplicationId ?? _options.ApplicationId);
        if (interaction is null || !_seen.TryFirstSee(interaction.Id))
        {
            return;
        }

        if (interaction.Type == TypeAutocomplete)
        {
            await AutocompleteAsync(interaction, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (interaction.Type == TypeMessageComponent)
        {
            await (MoreSources.IsMoreSources(interaction.CustomId) ? _more.HandleClickAsync(interaction, cancellationToken)
                : WholePassages.IsWholePassage(interaction.CustomId) ? _passage.HandleClickAsync(interaction, cancellationToken)
                : _feedback.HandleClickAsync(interaction, cancellationToken)).ConfigureAwait(false);
            return;
        }

        if (interaction.Type != TypeApplicationCommand)
        {
            return;
        }

        var ephemeral = interaction.CommandType == DiscordCommands.ChatInput && interaction.Name is DiscordCommands.Search or DiscordCommands.Help;

        // Acknowledge first: nothing slow runs before this call.
        try
        {
            await _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
                new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new DeferData(ephemeral ? Ephemeral : null)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAckFailed(_logger, interaction.Id, interaction.Name, ex.ErrorName + " " + ex.CodeName);
            return;
        }

        var deadline = dispatch.ReceivedAt + _options.InteractionTokenLifetime;
        var remaining = deadline - _time.GetUtcNow();
        DiscordMessagePayload payload;
        using (var window = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromTicks(1), _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, window.Token))
        {
            try
            {
                payload = await AnswerAsync(interaction, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                DiscordLog.InteractionExpired(_logger, interaction.Id, interaction.Name, _options.InteractionTokenLifetime.TotalMinutes);
                return;
            }
            catch (QuestionsBusyException)
            {
                payload = _renderer.RenderText(UiText.For(LanguageOf(interaction)).Busy);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                DiscordLog.HandlerFailed(_logger, "INTERACTION_CREATE " + interaction.Name, ex);
                payload = _renderer.RenderText(UiText.For(LanguageOf(interaction)).ErrorGeneric);
            }
        }

        if (_time.GetUtcNow() >= deadline)
        {
            DiscordLog.InteractionExpired(_logger, interaction.Id, interaction.Name, _options.InteractionTokenLifetime.TotalMinutes);
            return;
        }

        try
        {
            await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, payload with { AllowedMentions = AllowedMentions.None },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAnswerFailed(_logger, interaction.Id, interaction.Name, ex.ErrorName + " " + ex.CodeName);
        }
    }

    private async Task<DiscordMessagePayload> AnswerAsync(ParsedInteraction interaction, CancellationToken cancellationToken)
    {
        // Seen by the channel only in a server (not a DM) and not ephemeral (/search, /help): only such questions reach a digest.
        var seenByChannel = interaction.GuildId is not null
                            && !(interaction.CommandType == DiscordCommands.ChatInput && interaction.Name is DiscordCommands.Search or DiscordCommands.Help);
        var context = new QueryContext("discord", interaction.ChannelId ?? "", seenByChannel) { AnswerId = _feedback.MintAnswerId() };
        if (interaction.CommandType == DiscordCommands.MessageCommand)
        {
            var text = interaction.TargetContent?.Trim() ?? "";
            if (text.Length == 0)
            {
                return _renderer.RenderText(UiText.For(LanguageOf(interaction)).EmptyQuestion);
            }

            text = TextCutter.Cut(text, MaxFindSourcesChars).TrimEnd('…');
            var answer = await _questions.SearchAsync(text, context, DiscordMessageHandler.DefaultTop, cancellationToken).ConfigureAwait(false);
            return _passage.Attach(_feedback.Attach(_renderer.RenderAnswer(answer, AnswerStyle.Ask), answer, context.AnswerId), answer);
        }

        switch (interaction.Name)
        {
            case DiscordCommands.Ask:
            {
                var question = interaction.Options.String("question") ?? "";
                var top = Math.Clamp(interaction.Options.Integer("top") ?? DiscordMessageHandler.DefaultTop, 1, 5);
                var answer = await _questions.AskAsync(question, context, top, cancellationToken).ConfigureAwait(false);
                return _passage.Attach(_more.Attach(_feedback.Attach(_renderer.RenderAnswer(answer, AnswerStyle.Ask), answer, context.AnswerId), answer, context), answer);
            }

            case DiscordCommands.Search:
            {
                var query = interaction.Options.String("query") ?? "";
                var answer = await _questions.SearchAsync(query, context, SearchTop, cancellationToken).ConfigureAwait(false);
                return _renderer.RenderAnswer(answer, AnswerStyle.Search);
            }

            case DiscordCommands.Source:
            {
                var document = interaction.Options.String("document") ?? "";
                var result = await _questions.SourceAsync(document, context, cancellationToken).ConfigureAwait(false);

                // Autocomplete fills in a document id, which says nothing about the user's language: use the locale then.
                var language = document.Any(LanguageDetector.IsHangul) ? Language.Korean : LanguageOf(interaction);
                return _renderer.RenderSource(result, language);
            }

            case DiscordCommands.Help:
                return _renderer.RenderHelp(LanguageOf(interaction));

            default:
                return _renderer.RenderHelp(LanguageOf(interaction));
        }
    }

    private async Task AutocompleteAsync(ParsedInteraction interaction, CancellationToken cancellationToken)
    {
        var prefix = interaction.Options.Focused?.Value.ValueKind == JsonValueKind.String ? interaction.Options.Focused.Value.Value.GetString() ?? "" : "";
        var choices = _questions.SuggestArticles(prefix, MaxAutocompleteChoices)
            .Take(MaxAutocompleteChoices)
            .Where(a => a.DocId.Length is > 0 and <= 100)
            .Select(a => new AutocompleteChoice(TextCutter.Cut(string.IsNullOrWhiteSpace(a.Title) ? a.DocId : a.Title, 100), a.DocId))
            .ToList();
        try
        {
            await _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
                new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, new AutocompleteData(choices)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAckFailed(_logger, interaction.Id, "autocomplete " + interaction.Name, ex.ErrorName + " " + ex.CodeName);
        }
    }

    /// <summary>Words around the answer follow the user's Discord locale when there is no question text to go by.</summary>
    private static Language LanguageOf(ParsedInteraction interaction)
    {
        var text = interaction.Options.String("question") ?? interaction.Options.String("query") ?? interaction.TargetContent;
        if (!string.IsNullOrWhiteSpace(text))
        {
            return LanguageDetector.Detect(text);
        }

        return interaction.LocaleLanguage;
    }
}
