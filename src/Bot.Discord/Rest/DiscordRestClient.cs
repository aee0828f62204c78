using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Rest;

/// <summary>
/// Discord REST v10 on HttpClient: the User-Agent Discord requires, JSON bodies, rate-limit buckets, 429 waits,
/// bounded retries on 5xx and timeouts, no retries on 4xx, and a hard stop after a 401.
/// </summary>
internal sealed class DiscordRestClient
{
    public const string UserAgent = "DiscordBot (https://github.com/example/kbot, 1.0)";
    private const int Max429Retries = 5;

    private readonly HttpClient _http;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly string _baseUrl;
    private int _unauthorized;

    public DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _baseUrl = _options.ApiBaseUrl.TrimEnd('/');
        Limiter = new RateLimiter(time);
    }

    public RateLimiter Limiter { get; }

    /// <summary>True after Discord answered 401: the token is bad and no further authorized call is made.</summary>
    public bool IsUnauthorized => Volatile.Read(ref _unauthorized) == 1;

    public async Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var json = await SendAsync(new RestRoute(HttpMethod.Get, "/gateway/bot", "", "/gateway/bot"), null, true, cancellationToken)
            .ConfigureAwait(false);
        var url = json.GetString("url") ?? throw new DiscordApiException("GET /gateway/bot", HttpStatusCode.OK, null, "response has no url");
        var limit = json.GetObject("session_start_limit");
        var total = limit?.GetInt("total") ?? 1000;
        var remaining = limit?.GetInt("remaining") ?? total;
        var resetAfter = limit is { } l && l.TryGetProperty("reset_after", out var r) && r.TryGetDouble(out var ms) ? ms : 0;
        return new GatewayBotInfo(url, json.GetInt("shards") ?? 1, total, remaining, TimeSpan.FromMilliseconds(resetAfter),
            limit?.GetInt("max_concurrency") ?? 1);
    }

    /// <summary>GET /applications/@me: the application id behind the token (for the invite URL).</summary>
    public async Task<string> GetApplicationIdAsync(CancellationToken cancellationToken)
    {
        var json = await SendAsync(new RestRoute(HttpMethod.Get, "/applications/@me", "", "/applications/@me"), null, true, cancellationToken)
            .ConfigureAwait(false);
        return json.GetString("id") ?? throw new DiscordApiException("GET /applications/@me", HttpStatusCode.OK, null, "response has no id");
    }

    /// <summary>POST /channels/{id}/messages; returns the new message id.</summary>
    public async Task<string> CreateMessageAsync(string channelId, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        var json = await SendAsync(
            new RestRoute(HttpMethod.Post, "/channels/{channel_id}/messages", channelId, $"/channels/{channelId}/messages"),
            message, true, cancellationToken).ConfigureAwait(false);
        return json.GetString("id") ?? "";
    }

    /// <summary>POST /channels/{id}/typing (the "is typing…" indicator, ~10 s).</summary>
    public Task TriggerTypingAsync(string channelId, CancellationToken cancellationToken) =>
        SendAsync(new RestRoute(HttpMethod.Post, "/channels/{channel_id}/typing", channelId, $"/channels/{channelId}/typing"),
            null, true, cancellationToken);

    /// <summary>POST /interactions/{id}/{token}/callback (no Authorization; exempt from the global limit).</summary>
    public Task CreateInteractionResponseAsync(string interactionId, string token, InteractionResponse response, CancellationToken cancellationToken) =>
        SendAsync(
            new RestRoute(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback", interactionId,
                $"/interactions/{interactionId}/{token}/callback"),
            response, false, cancellationToken, exemptFromGlobal: true, retryServerErrors: false);

    /// <summary>PATCH /webhooks/{app}/{token}/messages/@original: fills in a deferred reply.</summary>
    public async Task<string> EditOriginalResponseAsync(string applicationId, string token, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        var json = await SendAsync(
            new RestRoute(HttpMethod.Patch, "/webhooks/{application_id}/{interaction_token}/messages/@original", applicationId + "/" + token,
                $"/webhooks/{applicationId}/{token}/messages/@original"),
            message, false, cancellationToken).ConfigureAwait(false);
        return json.GetString("id") ?? "";
    }

    /// <summary>POST /webhooks/{app}/{token}: a follow-up message.</summary>
    public async Task<string> CreateFollowupAsync(string applicationId, string token, DiscordMessagePayload message, CancellationToken cancellationToken)
    {
        var json = await SendAsync(
            new RestRoute(HttpMethod.Post, "/webhooks/{application_id}/{interaction_token}", applicationId + "/" + token,
                $"/webhooks/{applicationId}/{token}"),
            message, false, cancellationToken).ConfigureAwait(false);
        return json.GetString("id") ?? "";
    }

    /// <summary>PUT /applications/{app}/commands or /applications/{app}/guilds/{guild}/commands (bulk overwrite).</summary>
    public Task<JsonElement> BulkOverwriteCommandsAsync(string applicationId, string? guildId, object commands, CancellationToken cancellationToken)
    {
        var route = string.IsNullOrEmpty(guildId)
            ? new RestRoute(HttpMethod.Put, "/applications/{application_id}/commands", applicationId, $"/applications/{applicationId}/commands")
            : new RestRoute(HttpMethod.Put, "/applications/{application_id}/guilds/{guild_id}/commands", guildId,
                $"/applications/{applicationId}/guilds/{guildId}/commands");
        return SendAsync(route, commands, true, cancellationToken);
    }

    internal async Task<JsonElement> SendAsync(
        RestRoute route,
        object? body,
        bool authorize,
        CancellationToken cancellationToken,
        bool exemptFromGlobal = false,
        bool retryServerErrors = true)
    {
        if (authorize && IsUnauthorized)
        {
            throw new DiscordApiException(route.RouteKey, HttpStatusCode.Unauthorized, null,
                "not sent: Discord rejected the token earlier (check Discord:Token)");
        }

        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), DiscordJson.Rest);
        var failures = 0;
        var rateLimited = 0;
        while (true)
        {
            await Limiter.AcquireAsync(route, exemptFromGlobal, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(route.Method, _baseUrl + route.Path);
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            if (authorize)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _options.Token);
            }

            if (payload is not null)
            {
                request.Content = new ByteArrayContent(payload);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            }

            HttpResponseMessage response;
            using (var timeout = new CancellationTokenSource(_options.RequestTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or HttpRequestException)
                {
                    failures++;
                    var reason = ex is OperationCanceledException ? "timeout" : "network error";
                    if (!retryServerErrors || failures > _options.MaxRetries)
                    {
                        DiscordLog.RestGaveUp(_logger, route.RouteKey, reason, failures);
                        throw new DiscordApiException(route.RouteKey, null, null, reason);
                    }

                    DiscordLog.RestRetrying(_logger, route.RouteKey, reason, failures);
                    await Task.Delay(Backoff(failures), _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            using (response)
            {
                Limiter.Update(route, response);
                var text = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return Parse(text);
                }

                var error = Parse(text);
                var code = error.GetInt("code");
                var message = error.GetString("message") ?? response.ReasonPhrase ?? "";
                var status = response.StatusCode;

                if (status == HttpStatusCode.TooManyRequests)
                {
                    rateLimited++;
                    var retryAfter = RetryAfter(error, response);
                    var global = error.GetBool("global") ||
                                 (response.Headers.TryGetValues("X-RateLimit-Global", out var g) && g.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase)));
                    Limiter.OnRateLimited(route, retryAfter, global);
                    DiscordLog.RateLimited(_logger, route.RouteKey, retryAfter.TotalSeconds, global);
                    if (rateLimited > Max429Retries)
                    {
                        throw new DiscordApiException(route.RouteKey, status, code, message);
                    }

                    continue;
                }

                if ((int)status >= 500 && retryServerErrors)
                {
                    failures++;
                    if (failures > _options.MaxRetries)
                    {
                        DiscordLog.RestGaveUp(_logger, route.RouteKey, "HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture), failures);
                        throw new DiscordApiException(route.RouteKey, status, code, message);
                    }

                    DiscordLog.RestRetrying(_logger, route.RouteKey, "HTTP " + ((int)status).ToString(CultureInfo.InvariantCulture), failures);
                    await Task.Delay(Backoff(failures), _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (status == HttpStatusCode.Unauthorized && authorize && Interlocked.Exchange(ref _unauthorized, 1) == 0)
                {
                    DiscordLog.Unauthorized(_logger, route.RouteKey);
                }

                throw new DiscordApiException(route.RouteKey, status, code, message);
            }
        }
    }

    private TimeSpan Backoff(int failures) =>
        Bot.Core.Chat.Backoff.Delay(_options.RetryBaseDelay, TimeSpan.MaxValue, Math.Min(failures - 1, 10)); // no jitter: bounded retries of one request

    private static TimeSpan RetryAfter(JsonElement error, HttpResponseMessage response)
    {
        if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("retry_after", out var r) && r.TryGetDouble(out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        if (response.Headers.TryGetValues("X-RateLimit-Reset-After", out var values) &&
            double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var after))
        {
            return TimeSpan.FromSeconds(Math.Max(0, after));
        }

        return response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
    }

    private static JsonElement Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
