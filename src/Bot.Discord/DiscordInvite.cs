using System.Globalization;
using Bot.Discord.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>Builds the OAuth2 URL that adds the bot to a server.</summary>
public static class DiscordInvite
{
    /// <summary>VIEW_CHANNEL (1 &lt;&lt; 10 = 1024).</summary>
    public const ulong ViewChannel = 1UL << 10;

    /// <summary>SEND_MESSAGES (1 &lt;&lt; 11 = 2048).</summary>
    public const ulong SendMessages = 1UL << 11;

    /// <summary>EMBED_LINKS (1 &lt;&lt; 14 = 16384).</summary>
    public const ulong EmbedLinks = 1UL << 14;

    /// <summary>READ_MESSAGE_HISTORY (1 &lt;&lt; 16 = 65536), needed to reply with message_reference.</summary>
    public const ulong ReadMessageHistory = 1UL << 16;

    /// <summary>SEND_MESSAGES_IN_THREADS (1 &lt;&lt; 38 = 274877906944).</summary>
    public const ulong SendMessagesInThreads = 1UL << 38;

    /// <summary>
    /// Everything the bot needs: 1024 + 2048 + 16384 + 65536 + 274877906944 = <c>274877991936</c>.
    /// </summary>
    public const ulong Permissions = ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory | SendMessagesInThreads;

    /// <summary>
    /// <c>https://discord.com/oauth2/authorize?client_id=APP&amp;scope=bot%20applications.commands&amp;permissions=274877991936</c>
    /// (plus <c>&amp;guild_id=…</c> to preselect a server).
    /// </summary>
    public static string BuildUrl(string applicationId, string? guildId = null, ulong permissions = Permissions)
    {
        if (string.IsNullOrWhiteSpace(applicationId) || !ulong.TryParse(applicationId, out _))
        {
            throw new ArgumentException("The application id must be a numeric snowflake (Discord:ApplicationId).", nameof(applicationId));
        }

        var url = "https://discord.com/oauth2/authorize?client_id=" + applicationId +
                  "&scope=bot%20applications.commands&permissions=" + permissions.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrWhiteSpace(guildId))
        {
            url += "&guild_id=" + Uri.EscapeDataString(guildId);
        }

        return url;
    }

    /// <summary>
    /// The invite URL for the configured bot: uses <c>Discord:ApplicationId</c> when set, otherwise asks Discord
    /// (GET /applications/@me with <c>Discord:Token</c>). Preselects <c>Discord:GuildId</c> when set.
    /// Throws <see cref="InvalidOperationException"/> naming the settings when neither is configured, and
    /// <see cref="DiscordApiException"/> (no token in the message) when Discord refuses.
    /// </summary>
    public static async Task<string> BuildUrlAsync(IConfiguration configuration, CancellationToken cancellationToken, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new DiscordOptions();
        configuration.GetSection(DiscordOptions.Section).Bind(options);
        if (!string.IsNullOrWhiteSpace(options.ApplicationId))
        {
            return BuildUrl(options.ApplicationId, options.GuildId);
        }

        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new InvalidOperationException("Set Discord:ApplicationId (or Discord:Token, to look it up) to build the invite URL.");
        }

        using var owned = http is null ? new HttpClient() : null;
        var rest = new DiscordRestClient(http ?? owned!, Options.Create(options), TimeProvider.System, NullLogger<DiscordRestClient>.Instance);
        var applicationId = await rest.GetApplicationIdAsync(cancellationToken).ConfigureAwait(false);
        return BuildUrl(applicationId, options.GuildId);
    }
}
