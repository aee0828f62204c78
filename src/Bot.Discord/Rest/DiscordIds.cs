namespace Bot.Discord.Rest;

/// <summary>Shape checks for ids and tokens from the gateway before they go into a REST path.</summary>
internal static class DiscordIds
{
    /// <summary>A snowflake: 1 to 20 ASCII digits.</summary>
    public static bool IsSnowflake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) => value is { Length: > 0 and <= 20 } && value.All(char.IsAsciiDigit);

    /// <summary>An interaction token: URL-safe characters only (letters, digits, '-', '_', '.'), at most 500.</summary>
    public static bool IsToken([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= 500 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
