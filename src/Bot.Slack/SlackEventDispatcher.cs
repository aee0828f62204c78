using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Storage;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>
/// The meaning side shared by Socket Mode and the HTTP receiver: filters and de-duplicates deliveries, hands each question
/// to Core (which queues it onto the one shared <see cref="QuestionExecutor"/>; the transports ack first and never wait
/// for it), then renders and replies (chat.postMessage or response_url) off the retrieval threads. Every answer is a
/// tracked task, drained on shutdown. The Accept* methods are fast and never throw. With a <see cref="FeedbackStore"/>
/// registered (AddBotStorage), chat answers carry 👍 / 👎 buttons and clicks (block_actions) are recorded one at a time
/// on their own chain, never behind slow questions.
/// </summary>
internal sealed class SlackEventDispatcher : IAsyncDisposable, IDisposable
{
    public const string PlatformName = "slack";

    private readonly IQuestionHandler _handler;
    private readonly SlackWebApiClient _api;
    private readonly SlackRenderer _renderer;
    private readonly RecentKeys _deduper;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackEventDispatcher> _logger;
    private readonly FeedbackStore? _feedback;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _work = new();
    private readonly Lock _voteGate = new();
    private Task _votes = Task.CompletedTask;
    private int _pendingVotes;
    private int _disposed;
    private int _inFlight;
    private long _duplicates;

    /// <summary>Feedback votes waiting at most; beyond that the clicking user is told "busy, try again".</summary>
    internal const int MaxPendingVotes = 1000;

    /// <summary>Answers queued or being worked on (backlog).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Redeliveries dropped by de-duplication since start.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public SlackEventDispatcher(
        IQuestionHandler handler,
        SlackWebApiClient api,
        SlackRenderer renderer,
        IOptions<SlackOptions> options,
        TimeProvider time,
        ILogger<SlackEventDispatcher> logger,
        FeedbackStore? feedback = null,
        IEventClaims? claims = null)
    {
        _feedback = feedback;
        _handler = handler;
        _api = api;
        _renderer = renderer;
        _options = options.Value;
        _deduper = new RecentKeys(time, _options.DedupeWindow, shared: claims, scope: "slack:");
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Runs one question (an article title) through retrieval, rendering and JSON serialisation, without network and
    /// without logging it, so that the first users after a start do not wait for JIT compilation. Best effort.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var question = _handler.SuggestArticles("", 1).FirstOrDefault()?.Title ?? "DeepSeek";
            var answer = await _handler.AskAsync(question, QueryContext.WarmUp, _options.AskTop, cancellationToken).ConfigureAwait(false);
            var message = RenderChatAnswer(answer, _options.AskTop);
            _ = new JsonObject { ["text"] = message.Text, ["blocks"] = message.Blocks.DeepClone() }.ToJsonString();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SlackLog.HandlerFailed(_logger, ex, "warm-up");
        }
    }

    /// <summary>Handles an Events API payload (outer <c>event_callback</c>). Returns false when it was a duplicate or ignored.</summary>
    public bool AcceptEventCallback(JsonElement payload, string? fallbackKey)
    {
        try
        {
            if (payload.GetString("type") != "event_callback" || payload.GetObject("event") is not { } ev)
            {
                return false;
            }

            var key = payload.GetString("event_id") is { } eventId ? "event:" + eventId : fallbackKey;
            if (key is not null && !_deduper.TryFirstSee(key))
            {
                Interlocked.Increment(ref _duplicates);
                SlackLog.Duplicate(_logger, key);
                return false;
            }

            var reply = ClassifyEvent(ev);
            if (reply is null)
            {
                return false;
            }

            Track("event", () => AnswerChannelAsync(reply.Value, _stop.Token));
            return true;
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, "event");
            return false;
        }
    }

    /// <summary>Queues a slash command and returns the immediate (ephemeral) ack message, if any.</summary>
    public JsonObject? AcceptSlashCommand(SlackSlashCommand command, string? dedupeKey)
    {
        try
        {
            if (dedupeKey is not null && !_deduper.TryFirstSee(dedupeKey))
            {
                Interlocked.Increment(ref _duplicates);
                SlackLog.Duplicate(_logger, dedupeKey);
                return null;
            }

            var kind = CommandKind(command.Command);
            var language = LanguageDetector.Detect(command.Text);
            if (kind == SlashKind.Help)
            {
                Track("command", () => Task.Run(() => AnswerCommandAsync(command, kind, _stop.Token)));
                return null;
            }

            if (!Track("command", () => AnswerCommandAsync(command, kind, _stop.Token)))
            {
                // Core's question queue is full: the ack itself (sent at once, within Slack's 3 s) says so
                return new JsonObject { ["response_type"] = "ephemeral", ["text"] = BusyNotice(command.Text).Text };
            }

            var working = _renderer.RenderNotice(UiText.For(language).Working);
            return new JsonObject { ["response_type"] = "ephemeral", ["text"] = working.Text };
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, "command");
            return null;
        }
    }

    /// <summary>Handles an interactivity payload (the "Find sources" message shortcut and feedback button clicks; other
    /// types are acked only).</summary>
    public bool AcceptInteractive(JsonElement payload, string? dedupeKey)
    {
        try
        {
            if (payload.GetString("type") == "block_actions")
            {
                return AcceptBlockActions(payload, dedupeKey);
            }

            if (payload.GetString("type") != "message_action" || payload.GetString("callback_id") != _options.FindSourcesCallbackId)
            {
                return false;
            }

            var key = payload.GetString("trigger_id") is { } trigger ? "trigger:" + trigger : dedupeKey;
            if (key is not null && !_deduper.TryFirstSee(key))
            {
                Interlocked.Increment(ref _duplicates);
                SlackLog.Duplicate(_logger, key);
                return false;
            }

            var message = payload.GetObject("message");
            var channel = payload.GetObject("channel")?.GetString("id") ?? payload.GetString("channel_id") ?? "";
            var text = message?.GetString("text") ?? "";
            var ts = message?.GetString("thread_ts") ?? message?.GetString("ts");
            var responseUrl = payload.GetString("response_url");
            if (channel.Length == 0)
            {
                return false;
            }

            var question = SlackInboundText.ToQuestion(text);
            Track("shortcut", () => AnswerFindSourcesAsync(channel, ts, question, responseUrl, _stop.Token));
            return true;
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, "interactive");
            return false;
        }
    }

    /// <summary>
    /// Feedback clicks: every action whose action_id parses with <see cref="AnswerRecord.TryParseFeedback"/> becomes a vote
    /// (anything else, including forged ids, is ignored). The vote and the ephemeral "thanks" (via the payload's
    /// response_url) run after the ack, on the feedback queue.
    /// </summary>
    private bool AcceptBlockActions(JsonElement payload, string? dedupeKey)
    {
        if (_feedback is null || payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var userId = payload.GetObject("user")?.GetString("id") ?? payload.GetString("user_id");
        if (string.IsNullOrEmpty(userId))
        {
            return false;
        }

        var responseUrl = payload.GetString("response_url");
        var container = payload.GetObject("container");
        var channel = container?.GetString("channel_id") ?? payload.GetObject("channel")?.GetString("id");
        var threadTs = container?.GetString("thread_ts");
        var replyTo = new FeedbackReplyTo(responseUrl, channel, userId, threadTs);
        var votes = new List<(string AnswerId, bool Up, Language Language)>();
        foreach (var action in actions.EnumerateArray())
        {
            if (action.GetString("type") is not (null or "button")
                || !AnswerRecord.TryParseFeedback(action.GetString("action_id"), out var answerId, out var up))
            {
                continue;
            }

            var language = SlackRenderer.FeedbackLanguage(action.GetString("block_id"))
                           ?? LanguageDetector.Detect(action.GetObject("text")?.GetString("text"));
            votes.Add((answerId, up, language));
        }

        if (votes.Count == 0)
        {
            return false;
        }

        var key = payload.GetString("trigger_id") is { } trigger ? "trigger:" + trigger : dedupeKey;
        if (key is not null && !_deduper.TryFirstSee(key))
        {
            Interlocked.Increment(ref _duplicates);
            SlackLog.Duplicate(_logger, key);
            return false;
        }

        foreach (var vote in votes)
        {
            if (Interlocked.Increment(ref _pendingVotes) > MaxPendingVotes)
            {
                Interlocked.Decrement(ref _pendingVotes);
                Track("feedback busy note", () => PostNoteAsync(replyTo.ResponseUrl, SlackText.EscapeWithin(UiText.For(vote.Language).Busy, SlackRenderer.MaxFallbackText), _stop.Token));
                continue;
            }

            Track("feedback", () => ChainVote(() => RecordVoteAsync(vote.AnswerId, vote.Up, vote.Language, replyTo, _stop.Token)));
        }

        return true;
    }

    /// <summary>Where the note to a clicking user goes: the click's response_url, else chat.postEphemeral in its channel.</summary>
    private sealed record FeedbackReplyTo(string? ResponseUrl, string? Channel, string UserId, string? ThreadTs);

    private async Task RecordVoteAsync(string answerId, bool up, Language language, FeedbackReplyTo replyTo, CancellationToken ct)
    {
        var userId = replyTo.UserId;
        var ui = UiText.For(language);
        string reply;
        try
        {
            var outcome = _feedback!.RecordVote(answerId, PlatformName, userId, up);
            SlackLog.FeedbackRecorded(_logger, answerId, up ? "up" : "down", outcome.ToString());
            reply = outcome == VoteOutcome.Changed ? ui.FeedbackChanged : ui.FeedbackThanks;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the user id is not logged; the exception is about the database file
            SlackLog.FeedbackFailed(_logger, ex, answerId);
            reply = ui.ErrorGeneric;
        }

        var text = SlackText.EscapeWithin(reply, SlackRenderer.MaxFallbackText);
        if (TryResponseUrl(replyTo.ResponseUrl, out var uri))
        {
            try
            {
                await _api.PostEphemeralNoteAsync(uri, text, ct).ConfigureAwait(false);
                return;
            }
            catch (SlackApiException ex)
            {
                // e.g. an expired response_url: fall back to chat.postEphemeral below
                SlackLog.ReplyFailed(_logger, ex.Error);
            }
        }

        if (string.IsNullOrEmpty(replyTo.Channel))
        {
            SlackLog.ReplyFailed(_logger, "no response_url or channel for the feedback note");
            return;
        }

        try
        {
            await _api.PostEphemeralAsync(replyTo.Channel, userId, text, replyTo.ThreadTs, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>Renders a chat answer, with feedback buttons under a fresh answer id when feedback is stored.</summary>
    private SlackMessage RenderChatAnswer(Answer answer, int top, string? answerId = null) =>
        _renderer.RenderAnswer(answer, top, _feedback is not null && SlackRenderer.TakesFeedback(answer) ? answerId ?? AnswerRecord.NewId() : null);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // intake is stopped (Accept* ignore new work); let queued and running answers finish within the drain timeout, then abandon the rest
        try
        {
            await Task.WhenAll(_work.Keys).WaitAsync(_options.ShutdownTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // every answer still queued, being prepared or being posted is dropped now: say how many
            var abandoned = _work.Keys.Count(t => !t.IsCompleted);
            if (abandoned > 0)
            {
                SlackLog.AnswersAbandoned(_logger, abandoned);
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_work.Keys).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal enum SlashKind
    {
        Ask,
        Search,
        Source,
        Help,
    }

    internal readonly record struct ChannelReply(string Channel, string? ThreadTs, string Question);

    /// <summary>Decides whether an event is a question for us; null when it must be ignored.</summary>
    internal ChannelReply? ClassifyEvent(JsonElement ev)
    {
        var type = ev.GetString("type");
        if (type is not ("app_mention" or "message"))
        {
            return null;
        }

        if (ev.GetBool("hidden") || ev.GetString("bot_id") is not null || ev.GetObject("bot_profile") is not null)
        {
            return null;
        }

        var subtype = ev.GetString("subtype");
        if (subtype is not (null or "file_share" or "thread_broadcast" or "me_message"))
        {
            return null;
        }

        var user = ev.GetString("user");
        var self = _api.Identity;
        if (user is null || (self is not null && user == self.UserId))
        {
            return null;
        }

        var channel = ev.GetString("channel");
        var ts = ev.GetString("ts");
        if (string.IsNullOrEmpty(channel) || string.IsNullOrEmpty(ts))
        {
            return null;
        }

        var question = SlackInboundText.ToQuestion(ev.GetString("text"));
        if (type == "app_mention")
        {
            return new ChannelReply(channel, ev.GetString("thread_ts") ?? ts, question);
        }

        // message.im only: channel messages reach us as app_mention when they address the bot
        if (ev.GetString("channel_type") != "im")
        {
            return null;
        }

        return new ChannelReply(channel, ev.GetString("thread_ts"), question);
    }

    internal SlashKind CommandKind(string command)
    {
        var names = _options.Commands;
        if (string.Equals(command, names.Ask, StringComparison.OrdinalIgnoreCase))
        {
            return SlashKind.Ask;
        }

        if (string.Equals(command, names.Search, StringComparison.OrdinalIgnoreCase))
        {
            return SlashKind.Search;
        }

        return string.Equals(command, names.Source, StringComparison.OrdinalIgnoreCase) ? SlashKind.Source : SlashKind.Help;
    }

    /// <summary>
    /// Starts one answer (its question goes to Core's executor before <paramref name="start"/> returns) and tracks it for
    /// the drain on shutdown. Returns false, and tracks nothing, when Core turned the question away at once because its
    /// queue is full (the answer task has then already failed with <see cref="QuestionsBusyException"/>).
    /// </summary>
    private bool Track(string kind, Func<Task> start)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            SlackLog.HandlerFailed(_logger, new InvalidOperationException("the Slack dispatcher is stopped"), kind);
            return true;
        }

        Interlocked.Increment(ref _inFlight);
        Task answering;
        try
        {
            answering = start();
        }
        catch (Exception ex)
        {
            answering = Task.FromException(ex);
        }

        if (answering.IsFaulted && answering.Exception!.InnerException is QuestionsBusyException)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        var tracked = ObserveAsync(kind, answering);
        if (!tracked.IsCompleted)
        {
            _work.TryAdd(tracked, 0);
            _ = tracked.ContinueWith(t => _work.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return true;
    }

    /// <summary>Awaits one tracked answer; logs a failure and counts it out of <see cref="InFlight"/> when done.</summary>
    private async Task ObserveAsync(string kind, Task answering)
    {
        try
        {
            await answering.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, kind);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Votes are recorded one at a time, in arrival order, on the thread pool (a small SQLite write each).</summary>
    private Task ChainVote(Func<Task> record)
    {
        lock (_voteGate)
        {
            _votes = _votes.ContinueWith(async _ =>
            {
                try
                {
                    await record().ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _pendingVotes);
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            return _votes;
        }
    }

    /// <summary>A response_url from a payload: absolute http(s) only (on Unix "/x" would parse as a file: URI).</summary>
    internal static bool TryResponseUrl(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri)
    {
        if (value is not null && Uri.TryCreate(value, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp))
        {
            uri = parsed;
            return true;
        }

        uri = null;
        return false;
    }

    private SlackMessage BusyNotice(string? question) => _renderer.RenderNotice(UiText.For(LanguageDetector.Detect(question)).Busy);

    /// <summary>An ephemeral note on a response_url, when there is one.</summary>
    private async Task PostNoteAsync(string? responseUrl, string mrkdwnText, CancellationToken ct)
    {
        if (!TryResponseUrl(responseUrl, out var uri))
        {
            return;
        }

        try
        {
            await _api.PostEphemeralNoteAsync(uri, mrkdwnText, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>
    /// Where a question was asked, for the query log: <paramref name="seenByChannel"/> only when the answer is posted where
    /// the whole channel sees it (a mention, /ask, Find sources in a thread), never for DMs (D…) or ephemeral replies.
    /// </summary>
    private QueryContext Context(string channel, bool seenByChannel) =>
        new(PlatformName, channel, seenByChannel && !channel.StartsWith('D'));

    /// <summary>A context for an answer that may carry feedback buttons: the answer id is minted first, so the query log links votes.
    /// Every such answer is posted where the channel sees it (not in a DM).</summary>
    private QueryContext RatedContext(string channel) => Context(channel, seenByChannel: true) with { AnswerId = _feedback is not null ? AnswerRecord.NewId() : null };

    /// <summary>A mention or DM: the answer (or "busy, try again" when Core's queue is full) in the thread.</summary>
    private async Task AnswerChannelAsync(ChannelReply reply, CancellationToken ct)
    {
        SlackMessage message;
        try
        {
            var context = RatedContext(reply.Channel);
            var answer = await _handler.AskAsync(reply.Question, context, _options.AskTop, ct).ConfigureAwait(false);
            message = RenderChatAnswer(answer, _options.AskTop, context.AnswerId);
        }
        catch (QuestionsBusyException)
        {
            message = BusyNotice(reply.Question);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            SlackLog.HandlerFailed(_logger, ex, "question");
            message = _renderer.RenderNotice(UiText.For(LanguageDetector.Detect(reply.Question)).ErrorGeneric);
        }

        await PostAsync(reply.Channel, message, reply.ThreadTs, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A slash command, answered on its response_url. A full queue is not caught here: the task fails at once with
    /// <see cref="QuestionsBusyException"/>, and the ack says "busy" instead (see <see cref="Track"/>).
    /// </summary>
    private async Task AnswerCommandAsync(SlackSlashCommand command, SlashKind kind, CancellationToken ct)
    {
        var question = SlackInboundText.ToQuestion(command.Text);
        var language = LanguageDetector.Detect(question);
        SlackMessage message;
        var responseType = "ephemeral";
        try
        {
            switch (kind)
            {
                case SlashKind.Ask:
                    var context = RatedContext(command.ChannelId);
                    var answer = await _handler.AskAsync(question, context, _options.AskTop, ct).ConfigureAwait(false);
                    message = RenderChatAnswer(answer, _options.AskTop, context.AnswerId);
                    responseType = answer.Status is AnswerStatus.Answered or AnswerStatus.NotFound ? "in_channel" : "ephemeral";
                    break;
                case SlashKind.Search:
                    var found = await _handler.SearchAsync(question, Context(command.ChannelId, seenByChannel: false), _options.SearchTop, ct).ConfigureAwait(false);
                    message = _renderer.RenderAnswer(found, _options.SearchTop); // an ephemeral list of passages: no feedback buttons
                    break;
                case SlashKind.Source:
                    if (question.Length == 0)
                    {
                        message = _renderer.RenderNotice(UiText.For(language).EmptyQuestion);
                        break;
                    }

                    var source = await _handler.SourceAsync(question, Context(command.ChannelId, seenByChannel: false), ct).ConfigureAwait(false);
                    message = _renderer.RenderSource(source);
                    break;
                default:
                    message = _renderer.RenderHelp(language);
                    break;
            }
        }
        catch (Exception ex) when (ex is not QuestionsBusyException && (ex is not OperationCanceledException || !ct.IsCancellationRequested))
        {
            SlackLog.HandlerFailed(_logger, ex, "command");
            message = _renderer.RenderNotice(UiText.For(language).ErrorGeneric);
            responseType = "ephemeral";
        }

        if (!TryResponseUrl(command.ResponseUrl, out var responseUrl))
        {
            SlackLog.ReplyFailed(_logger, "no response_url");
            return;
        }

        try
        {
            await _api.PostToResponseUrlAsync(responseUrl, message, responseType, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>The "Find sources" shortcut: passages in the message's thread (or "busy, try again" privately).</summary>
    private async Task AnswerFindSourcesAsync(string channel, string? threadTs, string text, string? responseUrl, CancellationToken ct)
    {
        SlackMessage message;
        try
        {
            var context = RatedContext(channel);
            var answer = await _handler.SearchAsync(text, context, _options.FindSourcesTop, ct).ConfigureAwait(false);
            message = RenderChatAnswer(answer, _options.FindSourcesTop, context.AnswerId);
        }
        catch (QuestionsBusyException)
        {
            await PostNoteAsync(responseUrl, BusyNotice(text).Text, ct).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            SlackLog.HandlerFailed(_logger, ex, "shortcut");
            message = _renderer.RenderNotice(UiText.For(LanguageDetector.Detect(text)).ErrorGeneric);
        }

        await PostFindSourcesAsync(channel, threadTs, responseUrl, message, ct).ConfigureAwait(false);
    }

    private async Task PostFindSourcesAsync(string channel, string? threadTs, string? responseUrl, SlackMessage message, CancellationToken ct)
    {
        try
        {
            await _api.PostMessageAsync(channel, message, threadTs, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex) when (ex.Error is "not_in_channel" or "channel_not_found" && TryResponseUrl(responseUrl, out var fallback))
        {
            // the bot is not in that channel: tell the user privately instead
            SlackLog.ReplyFailed(_logger, ex.Error);
            try
            {
                await _api.PostToResponseUrlAsync(fallback, message, "ephemeral", ct).ConfigureAwait(false);
            }
            catch (SlackApiException inner)
            {
                SlackLog.ReplyFailed(_logger, inner.Error);
            }
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    private async Task PostAsync(string channel, SlackMessage message, string? threadTs, CancellationToken ct)
    {
        try
        {
            await _api.PostMessageAsync(channel, message, threadTs, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }
}
