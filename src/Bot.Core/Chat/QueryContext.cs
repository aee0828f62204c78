namespace Bot.Core.Chat;

/// <summary>Where a question came from; used for the query log (no user ids are kept).</summary>
/// <param name="Platform">"discord", "slack", "cli", or "warmup" (<see cref="WarmUp"/>: never logged).</param>
/// <param name="ChannelId">The platform's channel id, or empty.</param>
/// <param name="InChannel">
/// True only when the question and its answer were posted where every member of <paramref name="ChannelId"/> sees them (a
/// mention or /ask in a server or workspace channel). False (the default) for DMs, ephemeral lookups (/search, Find
/// sources shown only to the asker) and anything unknown: such questions are logged without their channel and never
/// shown in a digest.
/// </param>
public sealed record QueryContext(string Platform, string ChannelId, bool InChannel = false)
{
    public static QueryContext Cli { get; } = new("cli", "");

    /// <summary>A question an adapter asks itself at start-up to warm the answer path; it is not a user's and is never logged.</summary>
    public static QueryContext WarmUp { get; } = new("warmup", "");

    public bool IsWarmUp => Platform == WarmUp.Platform;

    /// <summary>
    /// The id the adapter will put on the answer's feedback buttons (<see cref="Storage.AnswerRecord.NewId"/>), minted before
    /// asking so the query log can join votes to questions; null when the answer takes no feedback.
    /// </summary>
    public string? AnswerId { get; init; }
}
