using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.WebApi;

/// <summary>What auth.test says about the bot: used for self-filtering and mention stripping.</summary>
internal sealed record SlackIdentity(string UserId, string BotId, string TeamId);

/// <summary>A message ready for chat.postMessage or a response_url: plain-text fallback plus Block Kit blocks.</summary>
internal sealed record SlackMessage(string Text, JsonArray Blocks);

/// <summary>
/// Slack Web API over HttpClient. JSON bodies (charset=utf-8), Bearer tokens, ok:false surfaced as
/// <see cref="SlackApiException"/> by name without blind retries; HTTP 429 / "ratelimited" pauses that method's queue for
/// Retry-After and retries (bounded); transport errors and 5xx are retried a bounded number of times; a dead token
/// (invalid_auth, token_revoked, account_inactive…) stops all further calls with that token.
/// </summary>
internal sealed class SlackWebApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackWebApiClient> _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _deadTokens = new(StringComparer.Ordinal);

    public SlackWebApiClient(IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApiClient> logger)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }), true, options, time, logger)
    {
    }

    internal SlackWebApiClient(HttpClient http, bool ownsHttp, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackWebApiClient> logger)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _http.Timeout = Timeout.InfiniteTimeSpan; // per request via RequestTimeout
        var baseText = _options.ApiBaseUrl.ToString();
        _apiBase = new Uri(baseText.EndsWith('/') ? baseText : baseText + "/");
    }

    private readonly Uri _apiBase;

    private readonly TaskCompletionSource<string> _botTokenRejected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the error name once Slack rejects the bot token for good (invalid_auth, token_revoked…).</summary>
    public Task<string> BotTokenRejected => _botTokenRejected.Task;

    /// <summary>Set after a successful <see cref="AuthTestAsync"/>.</summary>
    public SlackIdentity? Identity { get; private set; }

    /// <summary>auth.test with the bot token; remembers user_id and bot_id.</summary>
    public async Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        using var doc = await CallAsync("auth.test", BotToken(), new JsonObject(), cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        var identity = new SlackIdentity(root.GetString("user_id") ?? "", root.GetString("bot_id") ?? "", root.GetString("team_id") ?? "");
        Identity = identity;
        return identity;
    }

    /// <summary>apps.connections.open with the app-level token: a fresh single-use WebSocket URL.</summary>
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var token = _options.AppToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new SlackApiException("apps.connections.open", "not_authed", "Slack:AppToken is not set");
        }

        using var doc = await CallAsync("apps.connections.open", token, new JsonObject(), cancellationToken).ConfigureAwait(false);
        var url = doc.RootElement.GetString("url");
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new SlackApiException("apps.connections.open", "invalid_response", "no url");
        }

        return uri;
    }

    /// <summary>chat.postMessage; returns the message ts. Unfurling is always off.</summary>
    public async Task<string> PostMessageAsync(string channel, SlackMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["channel"] = channel,
            ["text"] = NonEmptyText(message.Text),
            ["blocks"] = message.Blocks.DeepClone(),
            ["unfurl_links"] = false,
            ["unfurl_media"] = false,
        };
        if (!string.IsNullOrEmpty(threadTs))
        {
            body["thread_ts"] = threadTs;
        }

        using var doc = await CallAsync("chat.postMessage", BotToken(), body, cancellationToken).ConfigureAwait(false);
        return doc.RootElement.GetString("ts") ?? "";
    }

    /// <summary>POSTs a message to a slash command's / shortcut's response_url (no token: the URL is the credential);
    /// <paramref name="replaceOriginal"/> true replaces the message a clicked button was on; false leaves it as it is
    /// (a button's private reply); null sends neither.</summary>
    public async Task PostToResponseUrlAsync(Uri responseUrl, SlackMessage message, string responseType, CancellationToken cancellationToken, bool? replaceOriginal = null)
    {
        var body = new JsonObject
        {
            ["response_type"] = responseType,
            ["text"] = NonEmptyText(message.Text),
            ["blocks"] = message.Blocks.DeepClone(),
            ["unfurl_links"] = false,
            ["unfurl_media"] = false,
        };
        if (replaceOriginal is { } replace)
        {
            body["replace_original"] = replace;
        }

        var payload = SlackJson.ToUtf8(body);
        using var response = await SendWithRetriesAsync("response_url", responseUrl, null, payload, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await SafeReadAsync(response, cancellationToken).ConfigureAwait(false);
            throw new SlackApiException("response_url", ResponseUrlError(text, response.StatusCode));
        }
    }

    /// <summary>
    /// An ephemeral note to the user who clicked a button, through the interaction's response_url
    /// (<c>response_type: ephemeral</c>, <c>replace_original: false</c>, so the answer with its buttons stays as it is).
    /// </summary>
    public async Task PostEphemeralNoteAsync(Uri responseUrl, string mrkdwnText, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["response_type"] = "ephemeral",
            ["replace_original"] = false,
            ["text"] = NonEmptyText(mrkdwnText),
        };
        var payload = SlackJson.ToUtf8(body);
        using var response = await SendWithRetriesAsync("response_url", responseUrl, null, payload, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await SafeReadAsync(response, cancellationToken).ConfigureAwait(false);
            throw new SlackApiException("response_url", ResponseUrlError(text, response.StatusCode));
        }
    }

    /// <summary>chat.postEphemeral: a note only <paramref name="user"/> sees in <paramref name="channel"/> (bot token).</summary>
    public async Task PostEphemeralAsync(string channel, string user, string mrkdwnText, string? threadTs, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["channel"] = channel,
            ["user"] = user,
            ["text"] = NonEmptyText(mrkdwnText),
        };
        if (!string.IsNullOrEmpty(threadTs))
        {
            body["thread_ts"] = threadTs;
        }

        using var doc = await CallAsync("chat.postEphemeral", BotToken(), body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls a Web API method with a JSON body and returns the parsed ok:true response.</summary>
    public async Task<JsonDocument> CallAsync(string method, string token, JsonObject body, CancellationToken cancellationToken)
    {
        if (_deadTokens.TryGetValue(TokenKey(token), out var deadError))
        {
            throw new SlackApiException(method, deadError, "token was rejected earlier; not calling again");
        }

        var payload = SlackJson.ToUtf8(body);
        var uri = new Uri(_apiBase, method);
        for (var rateLimited = 0; ; rateLimited++)
        {
            using var response = await SendWithRetriesAsync(method, uri, token, payload, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                RateLimited(method, response, rateLimited);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SlackApiException(method, "http_" + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            JsonDocument doc;
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                doc = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new SlackApiException(method, "invalid_response", "response is not JSON", ex);
            }

            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.GetBool("ok"))
            {
                var warning = root.GetString("warning");
                if (warning is not null)
                {
                    SlackLog.ApiWarning(_logger, method, warning);
                }

                return doc;
            }

            var error = root.GetString("error") ?? "unknown_error";
            doc.Dispose();
            if (error == "ratelimited")
            {
                RateLimited(method, response, rateLimited);
                continue;
            }

            if (SlackErrors.IsAuthFatal(error))
            {
                // reported once by the owner (SlackHostedService / Socket Mode) when it stops the adapter
                if (_deadTokens.TryAdd(TokenKey(token), error) && token == _options.BotToken)
                {
                    _botTokenRejected.TrySetResult(error);
                }
            }
            else if (method is not ("auth.test" or "apps.connections.open"))
            {
                SlackLog.ApiError(_logger, method, error); // those two are reported by their callers
            }

            throw new SlackApiException(method, error);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static string NonEmptyText(string text) => string.IsNullOrWhiteSpace(text) ? "…" : text;

    private static string TokenKey(string token) => token; // in-memory only, never logged

    private static string ResponseUrlError(string body, HttpStatusCode status)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var error = doc.RootElement.GetString("error");
            if (error is not null)
            {
                return error;
            }
        }
        catch (JsonException)
        {
        }

        var trimmed = body.Trim();
        return trimmed.Length is > 0 and < 64 && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? trimmed
            : "http_" + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> SafeReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    private string BotToken() => string.IsNullOrWhiteSpace(_options.BotToken)
        ? throw new SlackApiException("web_api", "not_authed", "Slack:BotToken is not set")
        : _options.BotToken;

    private void RateLimited(string method, HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta
                         ?? (response.Headers.RetryAfter?.Date is { } date ? date - _time.GetUtcNow() : (TimeSpan?)null)
                         ?? TimeSpan.FromSeconds(1);
        if (retryAfter < TimeSpan.Zero)
        {
            retryAfter = TimeSpan.Zero;
        }

        var until = _time.GetUtcNow() + retryAfter;
        _pausedUntil.AddOrUpdate(method, until, (_, existing) => existing > until ? existing : until);
        if (attempt >= _options.MaxRateLimitRetries)
        {
            SlackLog.RateLimitGaveUp(_logger, method, attempt + 1);
            throw new SlackApiException(method, "ratelimited", "gave up after retries");
        }

        SlackLog.RateLimited(_logger, method, retryAfter.TotalSeconds);
    }

    private async Task WaitForMethodWindowAsync(string method, CancellationToken cancellationToken)
    {
        while (_pausedUntil.TryGetValue(method, out var until))
        {
            var wait = until - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(string method, Uri uri, string? token, byte[] payload, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await WaitForMethodWindowAsync(method, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Post, uri);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = JsonContentType;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                failure = ex;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = ex; // request timeout
            }

            if (response is not null && (int)response.StatusCode < 500)
            {
                return response;
            }

            var what = response is null ? "transport_error" : "http_" + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response?.Dispose();
            if (attempt >= _options.MaxServerErrorRetries)
            {
                throw new SlackApiException(method, what, "gave up after retries", failure);
            }

            var delay = Bot.Core.Chat.Backoff.Delay(TimeSpan.FromMilliseconds(500), TimeSpan.MaxValue, attempt);
            SlackLog.ServerErrorRetry(_logger, method, what, attempt + 1, delay.TotalSeconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
