using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Events;

/// <summary>
/// Where both transports (Socket Mode and the HTTP receiver) hand their deliveries: <see cref="SlackInboundClassifier"/>
/// says what each is (or drops it as a duplicate or not for us), then the answer is started on
/// <see cref="SlackReplier"/> (its question goes to Core's executor at once; the transports ack first and never wait for
/// it) or the votes on <see cref="SlackFeedbackHandler"/>. Every started answer is tracked by Core's <see cref="Bot.Core.Chat.InFlightReplies"/>, drained on shutdown
/// within <see cref="SlackOptions.ShutdownTimeout"/>. The Accept* methods are fast and never throw.
/// </summary>
internal sealed class SlackEventDispatcher : IAsyncDisposable, IDisposable
{
    private readonly SlackInboundClassifier _classifier;
    private readonly SlackReplier _replier;
    private readonly SlackFeedbackHandler _feedback;
    private readonly ChatConversations _conversations;
    private readonly SlackMoreSources _more;
    private readonly SlackWholePassage _passage;
    private readonly SlackOptions _options;
    private readonly ILogger<SlackEventDispatcher> _logger;
    private readonly InFlightReplies _inFlight;
    private int _disposed;

    public SlackEventDispatcher(
        SlackInboundClassifier classifier,
        SlackReplier replier,
        SlackFeedbackHandler feedback,
        ChatConversations conversations,
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
        _logger = logger;
        _inFlight = new InFlightReplies("Slack", time, logger);
    }

    /// <summary>Answers queued or being worked on (backlog).</summary>
    public int InFlight => _inFlight.Count;

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
                    _inFlight.Track("event", ct => _replier.AnswerChannelAsync(question, ct));
                    return true;
                case ThreadFollowUp followUp when _conversations.Enabled:
                    _inFlight.Track("follow-up", ct => SlackThreadFollowUps.AnswerAsync(followUp, _conversations, _classifier, _replier, ct));
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
                _inFlight.Track("command", ct => Task.Run(() => _replier.AnswerCommandAsync(request, ct)));
                return null;
            }

            // Core's question queue is full: the ack itself (sent at once, within Slack's 3 s) says so
            var started = _inFlight.Track("command", ct => _replier.AnswerCommandAsync(request, ct));
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
                    _inFlight.Track("shortcut", ct => _replier.AnswerFindSourcesAsync(request, ct));
                    return true;
                case FeedbackClick click:
                    _inFlight.Track("feedback", ct => _feedback.HandleAsync(click, ct));
                    return true;
                case MoreSourcesClick more:
                    _inFlight.Track("more-sources", ct => Task.Run(() => _more.HandleAsync(more, ct)));
                    return true;
                case WholePassageClick passage:
                    _inFlight.Track("whole-passage", ct => Task.Run(() => _passage.HandleAsync(passage, ct)));
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

        // intake is stopped (new work is refused); queued and running answers get the drain budget, then the rest is abandoned
        await _inFlight.DrainAsync(_options.ShutdownTimeout).ConfigureAwait(false);
        _inFlight.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
