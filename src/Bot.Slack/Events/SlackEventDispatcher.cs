using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Commands;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Events;

/// <summary>
/// Where both transports (Socket Mode and the HTTP receiver) hand their deliveries: <see cref="SlackInboundClassifier"/>
/// says what each is (or drops it as a duplicate or not for us), then the answer is started on
/// <see cref="SlackReplier"/> (its question goes to Core's executor at once; the transports ack first and never wait for
/// it) or the votes on <see cref="SlackFeedbackHandler"/>. Every started answer is a tracked task, drained on shutdown
/// within <see cref="SlackOptions.ShutdownTimeout"/>. The Accept* methods are fast and never throw.
/// </summary>
internal sealed class SlackEventDispatcher : IAsyncDisposable, IDisposable
{
    private readonly SlackInboundClassifier _classifier;
    private readonly SlackReplier _replier;
    private readonly SlackFeedbackHandler _feedback;
    private readonly SlackConversations _conversations;
    private readonly SlackMoreSources _more;
    private readonly SlackWholePassage _passage;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackEventDispatcher> _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _work = new();
    private int _disposed;
    private int _inFlight;

    public SlackEventDispatcher(
        SlackInboundClassifier classifier,
        SlackReplier replier,
        SlackFeedbackHandler feedback,
        SlackConversations conversations,
        SlackMoreSources more,
        SlackWholePassage passage,
        IOptions<SlackOptions> options,
        TimeProvider time,
        ILogger<SlackEventDispatcher> logger)
    {
        _classifier = classifier;
        _replier = replier;
        _feedback = feedback;
        _conversations = conversations;
        _more = more;
        _passage = passage;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Answers queued or being worked on (backlog).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Redeliveries dropped by de-duplication since start.</summary>
    public long Duplicates => _classifier.Duplicates;

    /// <summary>The start-up warm-up (best effort).</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => _replier.WarmUpAsync(cancellationToken);

    /// <summary>Handles an Events API payload (outer <c>event_callback</c>). Returns false when it was a duplicate or ignored.</summary>
    public bool AcceptEventCallback(JsonElement payload, string? envelopeId = null, PendingAck? ack = null)
    {
        try
        {
            switch (_classifier.ClassifyEventCallback(payload, envelopeId, ack))
            {
                case ChannelQuestion question:
                    Track("event", () => _replier.AnswerChannelAsync(question, _stop.Token));
                    return true;
                case ThreadFollowUp followUp when _conversations.Enabled:
                    Track("follow-up", () => SlackThreadFollowUps.AnswerAsync(followUp, _conversations, _classifier, _replier, _stop.Token));
                    return true;
                default:
                    return false;
            }
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, "event");
            return false;
        }
    }

    /// <summary>Queues a slash command and returns the immediate (ephemeral) ack message, if any.</summary>
    public JsonObject? AcceptSlashCommand(SlackSlashCommand command, string? envelopeId = null, PendingAck? ack = null)
    {
        try
        {
            if (_classifier.ClassifySlashCommand(command, envelopeId, ack) is not { } request)
            {
                return null;
            }

            if (request.Kind == SlashKind.Help)
            {
                Track("command", () => Task.Run(() => _replier.AnswerCommandAsync(request, _stop.Token)));
                return null;
            }

            // Core's question queue is full: the ack itself (sent at once, within Slack's 3 s) says so
            var started = Track("command", () => _replier.AnswerCommandAsync(request, _stop.Token));
            return _replier.CommandAck(command, busy: !started);
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, "command");
            return null;
        }
    }

    /// <summary>Handles an interactivity payload (the "Find sources" message shortcut and feedback button clicks; other
    /// types are acked only).</summary>
    public bool AcceptInteractive(JsonElement payload, string? envelopeId = null, PendingAck? ack = null)
    {
        try
        {
            switch (_classifier.ClassifyInteractive(payload, envelopeId, ack))
            {
                case FindSourcesRequest request:
                    Track("shortcut", () => _replier.AnswerFindSourcesAsync(request, _stop.Token));
                    return true;
                case FeedbackClick click:
                    Track("feedback", () => _feedback.HandleAsync(click, _stop.Token));
                    return true;
                case MoreSourcesClick more:
                    Track("more-sources", () => Task.Run(() => _more.HandleAsync(more, _stop.Token)));
                    return true;
                case WholePassageClick passage:
                    Track("whole-passage", () => Task.Run(() => _passage.HandleAsync(passage, _stop.Token)));
                    return true;
                default:
                    return false;
            }
        }
        catch (Exception ex)
        {
            SlackLog.HandlerFailed(_logger, ex, "interactive");
            return false;
        }
    }

    /// <summary>
    /// The transport sent (or tried to send) the ack of a delivery passed to an Accept* method with <paramref name="ack"/>:
    /// its claim in the shared store, short until now, gets the full de-duplication window. Never throws.
    /// </summary>
    public Task Acknowledged(PendingAck ack) => _classifier.Acknowledged(ack);

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
}
