using System.Text.Json;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>
/// 👍 / 👎 feedback on answers (see <see cref="AnswerRecord"/> and <see cref="FeedbackStore"/>).
/// <para><b>Buttons.</b> <see cref="Attach"/> puts the two buttons under every rateable answer (mention/DM replies,
/// /ask, "Find sources"): answers with citations and declines ("the articles don't say") alike, since a wrong decline
/// is exactly what curators need to hear about. Input problems (empty or too-long question), errors, /search, /help
/// and /source get none. Without a registered <see cref="FeedbackStore"/> (storage not configured) no buttons are sent.</para>
/// <para><b>Clicks</b> (INTERACTION_CREATE type 3): acknowledge first with callback type 6 DEFERRED_UPDATE_MESSAGE
/// (components only: the answer with its buttons stays untouched, nothing ever waits on storage before the
/// acknowledgement), then record the vote off the gateway loop, then tell the clicker alone with an ephemeral follow-up
/// (POST /webhooks/{app}/{token}, flags 64): thanks, or "vote changed". Not PATCH @original, which after type 6 is the
/// answer message itself. Anything that is not a feedback id is acknowledged the same way and otherwise ignored. A storage
/// failure is logged and answered with a polite ephemeral line; it never reaches the connection loop.</para>
/// </summary>
internal sealed class DiscordFeedback
{
    public const string Platform = "discord";

    private readonly FeedbackVotes _votes;
    private readonly DiscordRestClient _rest;
    private readonly ILogger<DiscordFeedback> _logger;

    public DiscordFeedback(FeedbackVotes votes, DiscordRestClient rest, ILogger<DiscordFeedback> logger)
    {
        _votes = votes;
        _rest = rest;
        _logger = logger;
    }

    /// <summary>True when votes can be recorded, so answers carry buttons.</summary>
    public bool Enabled => _votes.Enabled;

    /// <summary>
    /// The payload with the feedback row under it (<paramref name="answerId"/>, the one the query log got, or a fresh id), or
    /// unchanged when not rateable or disabled.
    /// </summary>
    public DiscordMessagePayload Attach(DiscordMessagePayload payload, Answer answer, string? answerId = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return _votes.Rates(answer) ? DiscordRenderer.WithFeedback(payload, answer.Language, answerId ?? AnswerRecord.NewId()) : payload;
    }

    /// <summary>The id to log with a question whose answer may carry feedback buttons (null when feedback is off).</summary>
    public string? MintAnswerId() => _votes.MintAnswerId();

    /// <summary>Handles a MESSAGE_COMPONENT interaction: ack (type 6), record, ephemeral follow-up.</summary>
    public async Task HandleClickAsync(ParsedInteraction interaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interaction);

        // Acknowledge first: nothing that can wait (storage) runs before this call.
        try
        {
            await _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
                new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage, null), cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAckFailed(_logger, interaction.Id, "component", ex.ErrorName + " " + ex.CodeName);
            return;
        }

        if (!AnswerRecord.TryParseFeedback(interaction.CustomId, out var answerId, out var up))
        {
            DiscordLog.ComponentIgnored(_logger, interaction.Id, "not a feedback button");
            return;
        }

        if (string.IsNullOrEmpty(interaction.UserId))
        {
            DiscordLog.ComponentIgnored(_logger, interaction.Id, "no user");
            return;
        }

        // A local SQLite write (normally < 1 ms, up to Storage:BusyTimeout under contention): off the gateway loop.
        var userId = interaction.UserId;
        var language = LanguageOf(interaction);
        var reply = await Task.Run(() => _votes.Record(Platform, answerId, userId, up, language), cancellationToken).ConfigureAwait(false);

        try
        {
            await _rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token,
                new DiscordMessagePayload { Content = DiscordMarkdown.EscapeAndCut(reply, DiscordRenderer.MaxContent), Flags = DiscordInteractionHandler.Ephemeral },
                cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordApiException ex)
        {
            DiscordLog.InteractionAnswerFailed(_logger, interaction.Id, "feedback", ex.ErrorName + " " + ex.CodeName);
        }
    }

    /// <summary>The clicked answer's language, read back from the button's label (ours); else the user's locale.</summary>
    private static Language LanguageOf(ParsedInteraction interaction) =>
        interaction.ButtonLanguage((ui, label) => label == ui.FeedbackHelpful || label == ui.FeedbackNotHelpful);

    /// <summary>The label of the component with <paramref name="customId"/> on the interaction's message (rows of components).</summary>
    internal static string? FindLabel(JsonElement message, string? customId)
    {
        if (customId is null)
        {
            return null;
        }

        foreach (var row in message.GetArray("components"))
        {
            foreach (var component in row.GetArray("components"))
            {
                if (component.GetString("custom_id") == customId)
                {
                    return component.GetString("label");
                }
            }
        }

        return null;
    }
}
