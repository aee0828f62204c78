using Bot.Core.Chat;
using Bot.Slack.Events;
using Bot.Slack.Http;
using Bot.Slack.SocketMode;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>
/// Runs the Slack adapter: auth.test (keeps the bot's user_id/bot_id), the dispatcher's workers, the HTTP receiver when
/// configured, and Socket Mode when configured. The HTTP receiver listens first, whatever the Web API says (its events
/// queue until auth.test succeeds); a port already in use is retried with backoff. A rejected token stops the adapter
/// with one log line and completes <see cref="StoppedForGood"/>; nothing here stops the host or the other platform.
/// </summary>
internal sealed class SlackHostedService : ChatAdapterService
{
    private readonly SlackWebApiClient _api;
    private readonly SlackEventDispatcher _dispatcher;
    private readonly SlackSocketModeClient _socketMode;
    private readonly SlackHttpReceiver _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackHostedService> _logger;

    public SlackHostedService(
        SlackWebApiClient api,
        SlackEventDispatcher dispatcher,
        SlackSocketModeClient socketMode,
        SlackHttpReceiver http,
        IOptions<SlackOptions> options,
        TimeProvider time,
        ILogger<SlackHostedService> logger)
        : base("slack")
    {
        _api = api;
        _dispatcher = dispatcher;
        _socketMode = socketMode;
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes once auth.test succeeded and the receivers are started (tests wait on it).</summary>
    internal TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the adapter stopped for good, or null.</summary>
    internal string? StopReason { get; private set; }

    internal SlackSocketModeClient SocketMode => _socketMode;

    internal SlackHttpReceiver HttpReceiver => _http;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = Task.CompletedTask;
        try
        {
            if (_options.HttpEnabled)
            {
                listening = ListenWithRetryAsync(stoppingToken);
            }

            if (!await AuthenticateAsync(stoppingToken).ConfigureAwait(false))
            {
                StopForGood(StopReason!);
                Started.TrySetResult();
                return;
            }

            _ = Task.Run(() => _dispatcher.WarmUpAsync(stoppingToken), CancellationToken.None); // best effort, alongside the connections

            if (!_options.SocketModeEnabled && !_options.HttpEnabled)
            {
                SlackLog.PostOnly(_logger);
            }

            Started.TrySetResult();
            var receiving = _options.SocketModeEnabled
                ? _socketMode.RunAsync(stoppingToken)
                : Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken);
            var dead = _api.BotTokenRejected;
            if (await Task.WhenAny(receiving, dead).ConfigureAwait(false) == dead)
            {
                // the bot token was revoked or invalidated while running: stop receiving, nothing can be answered
                var reason = $"Slack rejected Slack:BotToken ({await dead.ConfigureAwait(false)})";
                if (_options.SocketModeEnabled)
                {
                    _socketMode.StopFatal(reason);
                }
                else
                {
                    SlackLog.AdapterStopped(_logger, reason);
                }

                StopReason = reason;
                StopForGood(reason);
                await _http.DisposeAsync().ConfigureAwait(false);
            }

            await receiving.ConfigureAwait(false);
            StopReason ??= _socketMode.StopReason;
            if (StopReason is not null && !_options.HttpEnabled)
            {
                StopForGood(StopReason); // Socket Mode stopped for good and nothing else receives
                return;
            }

            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Never take the host (and the Discord adapter) down with us.
            StopReason = CrashReason("Slack", ex);
            SlackLog.AdapterStopped(_logger, StopReason);
            StopForGood(StopReason);
        }
        finally
        {
            Started.TrySetResult();
            try
            {
                await listening.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await _http.DisposeAsync().ConfigureAwait(false);
            await _dispatcher.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> AuthenticateAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var identity = await _api.AuthTestAsync(ct).ConfigureAwait(false);
                SlackLog.AuthOk(_logger, identity.UserId, identity.BotId, identity.TeamId);
                return true;
            }
            catch (SlackApiException ex) when (ex.IsAuthFatal || ex.Error == "missing_scope" || ex.Error == "not_allowed_token_type")
            {
                StopReason = $"auth.test failed with {ex.Error} (check Slack:BotToken)";
                SlackLog.AdapterStopped(_logger, StopReason);
                return false;
            }
            catch (Exception ex) when (ex is SlackApiException or HttpRequestException or IOException
                                           || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                var delay = Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), attempt);
                SlackLog.AuthTestFailed(_logger, ex is SlackApiException api ? api.Error : ex.GetType().Name, delay.TotalSeconds);
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts the HTTP receiver; when the port cannot be bound (in use, no permission), logs and retries with capped backoff.</summary>
    private async Task ListenWithRetryAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _http.StartAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var delay = Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), attempt);
                SlackLog.HttpListenFailed(_logger, _options.HttpListenUrl ?? "", ex.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, ct).ConfigureAwait(false);
            }
        }
    }
}
