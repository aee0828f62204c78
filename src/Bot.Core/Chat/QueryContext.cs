namespace Bot.Core.Chat;

/// <summary>Where a question came from; used for the query log (no user ids are kept).</summary>
/// <param name="Platform">"discord", "slack" or "cli".</param>
/// <param name="ChannelId">The platform's channel id, or empty.</param>
public sealed record QueryContext(string Platform, string ChannelId)
{
    public static QueryContext Cli { get; } = new("cli", "");
}
