using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Events;
using Bot.Core.Chat;
using Bot.Slack.WebApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Http;

/// <summary>
/// Optional signed HTTP receiver on Kestrel (Events API JSON, slash-command forms, interactivity forms with payload=JSON),
/// all on <see cref="SlackOptions.HttpPath"/>. The raw body is buffered and its v0 signature checked before any parsing;
/// bad/missing/stale signatures get 401 and nothing is processed; <c>ssl_check=1</c> gets 200 and nothing else;
/// url_verification is answered with the challenge. Work is queued on the shared dispatcher, so the 2xx goes out at once.
/// </summary>
internal sealed class SlackHttpReceiver : IAsyncDisposable, IDisposable
{
    private readonly SlackEventDispatcher _dispatcher;
    private readonly SlackOptions _options;
    private readonly SlackSignatureVerifier _verifier;
    private readonly ILogger<SlackHttpReceiver> _logger;
    private readonly TimeProvider _time;
    private readonly LogThrottle _rejectedLog;
    private WebApplication? _app;

    public SlackHttpReceiver(SlackEventDispatcher dispatcher, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackHttpReceiver> logger)
    {
        _dispatcher = dispatcher;
        _options = options.Value;
        _verifier = new SlackSignatureVerifier(_options.SigningSecret ?? "", time, _options.SignatureTolerance);
        _logger = logger;
        _time = time;
        _rejectedLog = new LogThrottle(time, _options.RejectedLogInterval);
    }

    /// <summary>The addresses Kestrel actually listens on (port 0 resolved).</summary>
    public IReadOnlyList<string> Urls { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(_options.HttpListenUrl!);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = _options.MaxRequestBodyBytes);
        var app = builder.Build();
        app.MapPost(_options.HttpPath, HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        SlackLog.HttpListening(_logger, string.Join(", ", Urls));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        byte[] body;
        using var bodyTimeout = new CancellationTokenSource(_options.RequestBodyTimeout, _time);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, bodyTimeout.Token);
        try
        {
            body = await ReadBodyAsync(request, reading.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bodyTimeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // a slow (or stalled) body: the client is too slow, not the body too large
            Reject(context, StatusCodes.Status408RequestTimeout, "body not received within Slack:RequestBodyTimeout");
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel's own minimum body data rate
            Reject(context, StatusCodes.Status408RequestTimeout, "body arrived too slowly");
            return;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            Reject(context, StatusCodes.Status413PayloadTooLarge, "body too large");
            return;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away: nothing to answer
        }

        var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        if (isForm)
        {
            // Slack's ssl_check probes are unsigned: answer 200 and process nothing else in that request.
            var probe = ParseForm(body);
            if (probe.TryGetValue("ssl_check", out var ssl) && ssl == "1")
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }
        }

        var failure = _verifier.Verify(request.Headers["X-Slack-Request-Timestamp"], request.Headers["X-Slack-Signature"], body);
        if (failure is not null)
        {
            Reject(context, StatusCodes.Status401Unauthorized, failure);
            return;
        }

        if (isForm)
        {
            var form = ParseForm(body);
            if (form.TryGetValue("payload", out var payloadJson))
            {
                HandleInteractive(context, payloadJson);
                return;
            }

            if (form.ContainsKey("command"))
            {
                var command = SlackSlashCommand.FromForm(form);
                var ack = _dispatcher.AcceptSlashCommand(command, ack: AckOnResponse(context));
                context.Response.StatusCode = StatusCodes.Status200OK;
                if (ack is not null)
                {
                    await WriteJsonAsync(context, ack).ConfigureAwait(false);
                }

                return;
            }

            Reject(context, StatusCodes.Status400BadRequest, "unknown form body");
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            Reject(context, StatusCodes.Status400BadRequest, "body is not JSON");
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            switch (root.GetString("type"))
            {
                case "url_verification":
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    await WriteJsonAsync(context, new JsonObject { ["challenge"] = root.GetString("challenge") ?? "" }).ConfigureAwait(false);
                    return;
                case "event_callback":
                    // retries (X-Slack-Retry-Num) reuse event_id, so the classifier's de-duplication drops them
                    _dispatcher.AcceptEventCallback(root, ack: AckOnResponse(context));
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    return;
                default:
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    return;
            }
        }
    }

    private void HandleInteractive(HttpContext context, string payloadJson)
    {
        try
        {
            using var payload = JsonDocument.Parse(payloadJson);
            _dispatcher.AcceptInteractive(payload.RootElement, ack: AckOnResponse(context));
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (JsonException)
        {
            Reject(context, StatusCodes.Status400BadRequest, "payload is not JSON");
        }
    }

    /// <summary>
    /// A delivery whose ack is this request's response: its claim is extended once the response has been sent (a replica
    /// that dies before answering the request leaves only a short claim, so Slack's retry is answered by another).
    /// </summary>
    private PendingAck AckOnResponse(HttpContext context)
    {
        var ack = new PendingAck();
        context.Response.OnCompleted(() =>
        {
            _ = _dispatcher.Acknowledged(ack);
            return Task.CompletedTask;
        });
        return ack;
    }

    private void Reject(HttpContext context, int status, string reason)
    {
        if (_rejectedLog.TryEnter(out var suppressed))
        {
            SlackLog.HttpRejected(_logger, status, reason, suppressed, _options.RejectedLogInterval.TotalSeconds);
        }

        context.Response.StatusCode = status;
        context.Response.Headers["X-Slack-No-Retry"] = "1";
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(SlackJson.ToUtf8(body)).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > _options.MaxRequestBodyBytes)
            {
                throw new InvalidDataException("body too large");
            }
        }

        return buffer.ToArray();
    }

    private static Dictionary<string, string> ParseForm(byte[] body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
        {
            result[key] = value.ToString();
        }

        return result;
    }
}
