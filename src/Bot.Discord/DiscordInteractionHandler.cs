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

/// <summary>The parts of an INTERACTION_CREATE the bot uses.</summary>
internal sealed record ParsedInteraction(
    string Id,
    string Token,
    string ApplicationId,
    int Type,
    int CommandType,
    string Name,
    string? ChannelId,
    string? GuildId,
    string? UserId,
    int? Context,
    string? Locale,
    InteractionOptions Options,
    string? TargetId,
    string? TargetContent,
    string? CustomId = null,
    string? ComponentLabel = null)
{
    /// <summary>The user's Discord locale as a reply language (Korean when none is given).</summary>
    public Language LocaleLanguage =>
        Locale is null || Locale.StartsWith("ko", StringComparison.OrdinalIgnoreCase) ? Language.Korean : Language.English;

    /// <summary>
    /// The language of the answer a button belongs to, read back from the clicked button's label when it is one of ours in
    /// that language (<paramref name="isOurs"/> asked of the Korean texts, then the English ones); else the user's locale.
    /// </summary>
    public Language ButtonLanguage(Func<UiText, string, bool> isOurs)
    {
        var label = ComponentLabel ?? "";
        return isOurs(UiText.Korean, label) ? Language.Korean
            : isOurs(UiText.English, label) ? Language.English
            : LocaleLanguage;
    }

    public static ParsedInteraction? Parse(JsonElement d, string? fallbackApplicationId)
    {
        if (d.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var id = d.GetString("id");
        var token = d.GetString("token");
        var applicationId = d.GetString("application_id") ?? fallbackApplicationId;
        if (!Rest.DiscordIds.IsSnowflake(id) || !Rest.DiscordIds.IsToken(token) || !Rest.DiscordIds.IsSnowflake(applicationId))
        {
            return null; // they go into REST paths: a malformed one is not an interaction we can answer
        }

        var data = d.GetObject("data") ?? default;
        var targetId = data.GetString("target_id");
        string? targetContent = null;
        if (targetId is not null && data.GetObject("resolved")?.GetObject("messages") is { } messages &&
            messages.TryGetProperty(targetId, out var target))
        {
            targetContent = target.GetString("content");
        }

        var user = d.GetObject("member")?.GetObject("user") ?? d.GetObject("user");
        var customId = data.GetString("custom_id");
        return new ParsedInteraction(
            id,
            token,
            applicationId,
            d.GetInt("type") ?? 0,
            data.GetInt("type") ?? DiscordCommands.ChatInput,
            data.GetString("name") ?? "",
            d.GetString("channel_id") ?? d.GetObject("channel")?.GetString("id"),
            d.GetString("guild_id"),
            user?.GetString("id"),
            d.GetInt("context"),
            d.GetString("locale"),
            InteractionOptions.Parse(data),
            targetId,
            targetContent,
            customId,
            d.GetObject("message") is { } message ? DiscordFeedback.FindLabel(message, customId) : null);
    }
}

/// <summary>Command options by name, flattened through SUB_COMMAND / SUB_COMMAND_GROUP nesting.</summary>
internal sealed class InteractionOptions
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    /// <summary>Sub-command path, e.g. ["admin", "reindex"]; empty for plain commands.</summary>
    public List<string> SubCommands { get; } = [];

    /// <summary>The option the user is typing in (autocomplete).</summary>
    public KeyValuePair<string, JsonElement>? Focused { get; private set; }

    public static InteractionOptions Parse(JsonElement data)
    {
        var result = new InteractionOptions();
        result.Walk(data);
        return result;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) =>
        _values.TryGetValue(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    public int? Integer(string name) =>
        _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private void Walk(JsonElement node)
    {
        foreach (var option in node.GetArray("options"))
        {
            var name = option.GetString("name");
            if (name is null)
            {
                continue;
            }

            var type = option.GetInt("type") ?? 0;
            if (type is 1 or 2)
            {
                SubCommands.Add(name);
                Walk(option);
                continue;
            }

            if (option.TryGetProperty("value", out var value))
            {
                _values[name] = value.Clone();
                if (option.GetBool("focused"))
                {
                    Focused = new KeyValuePair<string, JsonElement>(name, value.Clone());
                }
            }
        }
    }
}
