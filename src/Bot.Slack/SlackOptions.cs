using Bot.Core;
using Microsoft.Extensions.Configuration;

namespace Bot.Slack;

/// <summary>Slash command names as registered in the Slack app (section "Slack:Commands").</summary>
public sealed class SlackCommandNames
{
    public string Ask { get; set; } = "/ask";

    public string Search { get; set; } = "/search";

    public string Source { get; set; } = "/source";

    public string Help { get; set; } = "/help";
}

/// <summary>
/// Options of the Slack adapter (configuration section "Slack").
/// <see cref="BotToken"/> (xoxb-) plus <see cref="AppToken"/> (xapp-) enable Socket Mode;
/// <see cref="SigningSecret"/> plus <see cref="HttpListenUrl"/> enable the signed HTTP receiver.
/// A bot token alone still lets digests be posted.
/// </summary>
public sealed class SlackOptions : IValidatedOptions
{
    public const string Section = "Slack";

    /// <summary>Bot token (xoxb-…) for the Web API.</summary>
    public string? BotToken { get; set; }

    /// <summary>App-level token (xapp-…, scope connections:write) used only for apps.connections.open.</summary>
    public string? AppToken { get; set; }

    /// <summary>Signing secret for the HTTP receiver.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Kestrel listen URL of the HTTP receiver, e.g. "http://0.0.0.0:3000".</summary>
    public string? HttpListenUrl { get; set; }

    /// <summary>Path of the HTTP receiver; Events API, slash commands and interactivity may all point here.</summary>
    public string HttpPath { get; set; } = "/slack/events";

    /// <summary>Web API base URL.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    public SlackCommandNames Commands { get; set; } = new();

    /// <summary>App and bot display name used by <see cref="SlackManifest"/>.</summary>
    public string AppName { get; set; } = "Bot";

    /// <summary>callback_id of the "Find sources" message shortcut.</summary>
    public string FindSourcesCallbackId { get; set; } = "find_sources";

    /// <summary>Concurrent Socket Mode connections (1-4). Two staggered connections avoid gaps during refreshes.</summary>
    public int NumberOfConnections { get; set; } = 2;

    /// <summary>Delay before each additional connection slot starts.</summary>
    public TimeSpan ConnectionStagger { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new socket may take to say hello.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>No inbound data frame for this long (TimeProvider) -> the socket is replaced. Zero disables.</summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Client WebSocket ping interval (transport keep-alive, real time). Zero disables.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Abort the socket when a pong does not arrive within this time (real time).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay; doubles per consecutive failure up to <see cref="ReconnectDelayMax"/>, with jitter.</summary>
    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Delay after a too_many_websockets disconnect.</summary>
    public TimeSpan TooManyWebsocketsDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Append debug_reconnects=true to the socket URL (Slack then refreshes about every 360 s).</summary>
    public bool DebugReconnects { get; set; }

    /// <summary>How long event ids (and envelope ids / trigger ids) are remembered for de-duplication (at least 10 minutes).</summary>
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// With shared storage (several replicas), how long an event's claim lasts until its ack is sent (then it lasts
    /// <see cref="DedupeWindow"/>): a replica that dies between claim and ack lets Slack's redelivery, which comes after
    /// Slack's 3 s ack deadline, be answered by another replica. Shorter than that deadline, so the redelivery finds the
    /// claim expired even when the claim came up to a second after the envelope arrived; an ack sent after it expired
    /// still extends it (the key is claimed again). Between 1 and 30 s.
    /// </summary>
    public TimeSpan UnackedClaimTtl { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Maximum age (either direction) of X-Slack-Request-Timestamp.</summary>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest HTTP request body accepted by the receiver.</summary>
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long the receiver waits for a whole request body; a slower body gets 408.</summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most one "request rejected" warning per interval; the next line counts the ones not logged.</summary>
    public TimeSpan RejectedLogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Minimum interval between two posts of <see cref="SlackPlatform"/> to one channel.</summary>
    public TimeSpan ChannelPostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries after HTTP 429 / ratelimited (each waits Retry-After).</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>Retries after transport failures and HTTP 5xx.</summary>
    public int MaxServerErrorRetries { get; set; } = 2;

    /// <summary>Timeout of one Web API request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On shutdown, how long queued and running answers may take to finish before they are abandoned.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Citations asked for by mentions, DMs and /ask (best + up to two more sources).</summary>
    public int AskTop { get; set; } = 3;

    /// <summary>Passages shown by /search.</summary>
    public int SearchTop { get; set; } = 5;

    /// <summary>Passages shown by the "Find sources" shortcut.</summary>
    public int FindSourcesTop { get; set; } = 3;

    /// <summary>True when any Slack setting is present (then the options are validated and the adapter started).</summary>
    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        return !string.IsNullOrWhiteSpace(section[nameof(BotToken)])
               || !string.IsNullOrWhiteSpace(section[nameof(AppToken)])
               || !string.IsNullOrWhiteSpace(section[nameof(SigningSecret)])
               || !string.IsNullOrWhiteSpace(section[nameof(HttpListenUrl)]);
    }

    internal bool SocketModeEnabled => !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(AppToken);

    internal bool HttpEnabled => !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(SigningSecret)
                                 && !string.IsNullOrWhiteSpace(HttpListenUrl);

    internal bool AnyConfigured => !string.IsNullOrWhiteSpace(BotToken) || !string.IsNullOrWhiteSpace(AppToken)
                                   || !string.IsNullOrWhiteSpace(SigningSecret) || !string.IsNullOrWhiteSpace(HttpListenUrl);

/// <summary>Every problem names the setting (never its value); nothing to check when Slack is not configured.</summary>
    public IEnumerable<string> Problems()
    {
        if (!AnyConfigured)
        {
            return [];
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(BotToken))
        {
            errors.Add("Slack:BotToken is required (a bot token starting with xoxb-).");
        }
        else if (!BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
        {
            errors.Add("Slack:BotToken must be a bot token starting with xoxb-.");
        }

        if (!string.IsNullOrWhiteSpace(AppToken) && !AppToken.StartsWith("xapp-", StringComparison.Ordinal))
        {
            errors.Add("Slack:AppToken must be an app-level token starting with xapp-.");
        }

        var hasSecret = !string.IsNullOrWhiteSpace(SigningSecret);
        var hasUrl = !string.IsNullOrWhiteSpace(HttpListenUrl);
        if (hasSecret != hasUrl)
        {
            errors.Add(hasSecret
                ? "Slack:HttpListenUrl is required when Slack:SigningSecret is set (HTTP mode)."
                : "Slack:SigningSecret is required when Slack:HttpListenUrl is set (HTTP mode).");
        }

        if (hasUrl && !Uri.TryCreate(HttpListenUrl, UriKind.Absolute, out _))
        {
            errors.Add("Slack:HttpListenUrl must be an absolute URL such as http://0.0.0.0:3000.");
        }

        if (!HttpPath.StartsWith('/'))
        {
            errors.Add("Slack:HttpPath must start with '/'.");
        }

        if (!ApiBaseUrl.IsAbsoluteUri)
        {
            errors.Add("Slack:ApiBaseUrl must be absolute.");
        }

        foreach (var (key, value) in new[]
                 {
                     ("Ask", Commands.Ask), ("Search", Commands.Search),
                     ("Source", Commands.Source), ("Help", Commands.Help),
                 })
        {
            if (string.IsNullOrWhiteSpace(value) || !value.StartsWith('/'))
            {
                errors.Add($"Slack:Commands:{key} must be a slash command name such as /{key.ToLowerInvariant()}.");
            }
        }

        if (NumberOfConnections is < 1 or > 4)
        {
            errors.Add("Slack:NumberOfConnections must be between 1 and 4.");
        }

        if (DedupeWindow < TimeSpan.FromMinutes(10))
        {
            errors.Add("Slack:DedupeWindow must be at least 10 minutes.");
        }

        if (UnackedClaimTtl < TimeSpan.FromSeconds(1) || UnackedClaimTtl > TimeSpan.FromSeconds(30))
        {
            errors.Add("Slack:UnackedClaimTtl must be between 1 and 30 seconds.");
        }

        if (RequestBodyTimeout <= TimeSpan.Zero || RejectedLogInterval < TimeSpan.Zero)
        {
            errors.Add("Slack:RequestBodyTimeout must be positive and Slack:RejectedLogInterval not negative.");
        }

        if (ReconnectDelayMin <= TimeSpan.Zero || ReconnectDelayMax < ReconnectDelayMin)
        {
            errors.Add("Slack:ReconnectDelayMin must be positive and not above Slack:ReconnectDelayMax.");
        }

        if (HelloTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("Slack:HelloTimeout and Slack:RequestTimeout must be positive.");
        }

        if (AskTop < 1 || SearchTop < 1 || FindSourcesTop < 1)
        {
            errors.Add("Slack:AskTop, Slack:SearchTop and Slack:FindSourcesTop must be at least 1.");
        }

        return errors;
    }
}
