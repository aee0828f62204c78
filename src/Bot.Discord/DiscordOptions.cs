using Bot.Core;
using Microsoft.Extensions.Configuration;

namespace Bot.Discord;

/// <summary>
/// The "Discord" configuration section. Setting <see cref="Token"/> enables the Discord adapter; every remote base URL
/// and every timing knob is an option so tests can point the adapter at a loopback fake and a fake clock.
/// </summary>
public sealed class DiscordOptions : IValidatedOptions
{
    public const string Section = "Discord";

    /// <summary>The bot token (raw, without the "Bot " prefix). Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>REST base URL, default https://discord.com/api/v10. The gateway URL comes from GET /gateway/bot.</summary>
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>When set, slash commands are registered to this guild (instant); otherwise globally.</summary>
    public string? GuildId { get; set; }

    /// <summary>Request the privileged MESSAGE_CONTENT intent (must also be enabled in the Developer Portal, else close 4014).</summary>
    public bool EnableMessageContent { get; set; }

    /// <summary>Application id; optional (READY supplies it). Needed by `discord invite` when no token is configured.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>
    /// How many shards the bot runs across all its processes: a number, or <c>auto</c> for the <c>shards</c> that
    /// <c>GET /gateway/bot</c> recommends. Unset: 1.
    /// </summary>
    public string? ShardCount { get; set; }

    /// <summary>
    /// Which shards this process runs: unset = every shard; a fixed list (<c>0-3</c>, <c>4,5</c>); or <c>auto</c>, where
    /// replicas sharing one store claim shards through leases and take over a dead replica's shards.
    /// </summary>
    public string? ShardIds { get; set; }

    /// <summary>With <c>ShardIds=auto</c>: how long a shard (or replica) lease lasts without renewal; a dead replica's shards move after it.</summary>
    public TimeSpan ShardLeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>With <c>ShardIds=auto</c>: how often leases are renewed and the shards rebalanced.</summary>
    public TimeSpan ShardLeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect backoff.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Local cap on fresh sessions (IDENTIFY) per rolling hour, on top of Discord's session_start_limit.</summary>
    public int MaxIdentifiesPerHour { get; set; } = 20;

    /// <summary>Timeout of one REST request (measured with the injected clock).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries of a REST call after 5xx or a timeout (429s are waited out separately).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First delay between REST retries after 5xx; doubles per retry.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a clean stop waits for in-flight answers before cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an interaction token stays valid after the interaction arrived (Discord: 15 minutes).</summary>
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>True when the configuration has a Discord token, i.e. the Discord adapter should run.</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[Section + ":" + nameof(Token)]);
    }

    /// <summary>Validation errors (empty when valid). Messages name the setting, never its secret value.</summary>
    public IEnumerable<string> Problems()
    {
        var errors = new List<string>();
        if (Token is not null && Token.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("Discord:Token must be the raw token, without the 'Bot ' prefix.");
        }

        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("Discord:ApiBaseUrl must be an absolute http(s) URL.");
        }

        if (!string.IsNullOrEmpty(GuildId) && !ulong.TryParse(GuildId, out _))
        {
            errors.Add("Discord:GuildId must be a numeric snowflake.");
        }

        if (!string.IsNullOrEmpty(ApplicationId) && !ulong.TryParse(ApplicationId, out _))
        {
            errors.Add("Discord:ApplicationId must be a numeric snowflake.");
        }

        if (ReconnectBaseDelay < TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
        {
            errors.Add("Discord:ReconnectBaseDelay must be >= 0 and <= Discord:ReconnectMaxDelay.");
        }

        if (MaxIdentifiesPerHour < 1)
        {
            errors.Add("Discord:MaxIdentifiesPerHour must be at least 1.");
        }

        if (RequestTimeout <= TimeSpan.Zero || ShutdownTimeout < TimeSpan.Zero || InteractionTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add("Discord:RequestTimeout and Discord:InteractionTokenLifetime must be positive, Discord:ShutdownTimeout >= 0.");
        }

        Gateway.ShardSettings.Parse(ShardCount, ShardIds, errors);
        if (ShardLeaseRenewInterval <= TimeSpan.Zero || ShardLeaseTtl < ShardLeaseRenewInterval * 2)
        {
            errors.Add("Discord:ShardLeaseRenewInterval must be positive and Discord:ShardLeaseTtl at least twice as long.");
        }

        if (MaxRetries < 0 || RetryBaseDelay < TimeSpan.Zero)
        {
            errors.Add("Discord:MaxRetries and Discord:RetryBaseDelay must not be negative.");
        }

        return errors;
    }
}
