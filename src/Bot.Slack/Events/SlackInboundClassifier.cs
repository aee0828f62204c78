using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Events;

/// <summary>What a delivery asks of us, once it is known to be new and for us.</summary>
internal abstract record SlackRequest;

/// <summary>A mention or a DM: the answer goes in the thread (mentions) or the DM.</summary>
internal sealed record ChannelQuestion(string Channel, string? ThreadTs, string Question) : SlackRequest;

/// <summary>/ask, /search, /source or help, answered on the command's response_url.</summary>
internal sealed record SlashRequest(SlackSlashCommand Command, SlashKind Kind) : SlackRequest;

/// <summary>The "Find sources" message shortcut.</summary>
internal sealed record FindSourcesRequest(string Channel, string? ThreadTs, string Question, string? ResponseUrl) : SlackRequest;

/// <summary>One or more 👍 / 👎 clicks of one block_actions payload.</summary>
internal sealed record FeedbackClick(IReadOnlyList<FeedbackVote> Votes, FeedbackReplyTo ReplyTo) : SlackRequest;

/// <summary>One vote: the answer id from the button, up or down, the language to reply in.</summary>
internal sealed record FeedbackVote(string AnswerId, bool Up, Core.Answers.Language Language);

/// <summary>Where the note to a clicking user goes: the click's response_url, else chat.postEphemeral in its channel.</summary>
internal sealed record FeedbackReplyTo(string? ResponseUrl, string? Channel, string UserId, string? ThreadTs);

internal enum SlashKind
{
    Ask,
    Search,
    Source,
    Help,
}

/// <summary>
/// Decides what a Slack delivery is and whether it was seen before. It owns every de-duplication key, whichever transport
/// the delivery came by: <c>event:{event_id}</c> for Events API callbacks (HTTP retries reuse it), <c>trigger:{trigger_id}</c>
/// for interactivity, <c>envelope:{envelope_id}</c> for Socket Mode redeliveries (the only key a slash command has there;
/// over HTTP a slash command is keyed by its trigger id). Keys are kept for <see cref="SlackOptions.DedupeWindow"/>.
/// Transports only pass the payload and, in Socket Mode, the envelope id. Never throws for a malformed payload
/// (it is ignored).
/// </summary>
internal sealed class SlackInboundClassifier
{
    private readonly SlackWebApiClient _api;
    private readonly SlackOptions _options;
    private readonly RecentKeys _seen;
    private readonly bool _feedback;
    private readonly ILogger<SlackInboundClassifier> _logger;
    private long _duplicates;

    public SlackInboundClassifier(SlackWebApiClient api, IOptions<SlackOptions> options, TimeProvider time, FeedbackVotes votes, ILogger<SlackInboundClassifier> logger, Bot.Core.Storage.IEventClaims? claims = null)
    {
        _api = api;
        _options = options.Value;
        _seen = new RecentKeys(time, _options.DedupeWindow, shared: claims, scope: "slack:");
        _feedback = votes.Enabled;
        _logger = logger;
    }

    /// <summary>Redeliveries dropped by de-duplication since start.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>
    /// An Events API payload (outer <c>event_callback</c>): a question for us (claimed now), a thread follow-up candidate
    /// (claimed later, only once its thread proves to have a context: <see cref="SlackThreadFollowUps"/>), or null
    /// (duplicate or ignored). The event is classified before any claim, so messages not for us never reach the claim store.
    /// </summary>
    public SlackRequest? ClassifyEventCallback(JsonElement payload, string? envelopeId, PendingAck? ack = null)
    {
        if (payload.GetString("type") != "event_callback" || payload.GetObject("event") is not { } ev)
        {
            return null;
        }

        var key = payload.GetString("event_id") is { } eventId ? "event:" + eventId : EnvelopeKey(envelopeId);
        return ClassifyEvent(ev, key) switch
        {
            ChannelQuestion question => FirstSight(key, ack) ? question : null,
            ThreadFollowUp followUp => followUp,
            _ => null,
        };
    }

    /// <summary>Claims a delivery's de-duplication key: true the first time it is seen here and, with shared claims, by any replica.</summary>
    public bool Claim(string? key) => FirstSight(key, null);

    /// <summary>A slash command, or null when it is a redelivery.</summary>
    public SlashRequest? ClassifySlashCommand(SlackSlashCommand command, string? envelopeId, PendingAck? ack = null)
    {
        var key = EnvelopeKey(envelopeId) ?? (command.TriggerId is { } trigger ? "trigger:" + trigger : null);
        return FirstSight(key, ack) ? new SlashRequest(command, CommandKind(command.Command)) : null;
    }

    /// <summary>An interactivity payload: the "Find sources" shortcut, feedback clicks, or null (anything else, or a duplicate).</summary>
    public SlackRequest? ClassifyInteractive(JsonElement payload, string? envelopeId, PendingAck? ack = null)
    {
        if (payload.GetString("type") == "block_actions")
        {
            return ClassifyBlockActions(payload, envelopeId, ack);
        }

        if (payload.GetString("type") != "message_action" || payload.GetString("callback_id") != _options.FindSourcesCallbackId)
        {
            return null;
        }

        if (!FirstSight(TriggerKey(payload, envelopeId), ack))
        {
            return null;
        }

        var message = payload.GetObject("message");
        var channel = payload.GetObject("channel")?.GetString("id") ?? payload.GetString("channel_id") ?? "";
        if (channel.Length == 0)
        {
            return null;
        }

        var ts = message?.GetString("thread_ts") ?? message?.GetString("ts");
        return new FindSourcesRequest(channel, ts, SlackInboundText.ToQuestion(message?.GetString("text") ?? ""), payload.GetString("response_url"));
    }

    /// <summary>Decides whether an event is a question for us; null when it must be ignored.</summary>
    internal SlackRequest? ClassifyEvent(JsonElement ev, string? claimKey = null)
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
            return new ChannelQuestion(channel, ev.GetString("thread_ts") ?? ts, question);
        }

        // DMs (message.im) are all questions; channel messages address the bot as app_mention, or follow up in a thread it answered
        return ev.GetString("channel_type") == "im"
            ? new ChannelQuestion(channel, ev.GetString("thread_ts"), question)
            : SlackThreadFollowUps.Classify(ev, self, claimKey);
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
    /// Feedback clicks: every action whose action_id parses with <see cref="AnswerRecord.TryParseFeedback"/> becomes a vote
    /// (anything else, including forged ids, is ignored); nothing without feedback storage.
    /// </summary>
    private SlackRequest? ClassifyBlockActions(JsonElement payload, string? envelopeId, PendingAck? ack)
    {
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        // "More sources" and "Whole passage": a button whose id says so (a malformed or forged one is refused politely, not
        // ignored); a click carries one action
        foreach (var action in actions.EnumerateArray())
        {
            var actionId = action.GetString("action_id");
            SlackRequest? click = null;
            if (Core.Chat.MoreSources.IsMoreSources(actionId))
            {
                click = new MoreSourcesClick(actionId!, ClickLanguage(action, SlackMoreSources.BlockPrefix), payload.GetString("response_url"));
            }
            else if (Core.Chat.WholePassages.IsWholePassage(actionId))
            {
                click = new WholePassageClick(actionId!, ClickLanguage(action, SlackWholePassage.BlockPrefix), payload.GetString("response_url"));
            }

            if (click is not null)
            {
                return FirstSight(TriggerKey(payload, envelopeId), ack) ? click : null;
            }
        }

        if (!_feedback)
        {
            return null;
        }

        var userId = payload.GetObject("user")?.GetString("id") ?? payload.GetString("user_id");
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }

        var votes = new List<FeedbackVote>();
        foreach (var action in actions.EnumerateArray())
        {
            if (action.GetString("type") is not (null or "button")
                || !AnswerRecord.TryParseFeedback(action.GetString("action_id"), out var answerId, out var up))
            {
                continue;
            }

            var language = ClickLanguage(action, SlackRenderer.FeedbackBlockPrefix);
            votes.Add(new FeedbackVote(answerId, up, language));
        }

        if (votes.Count == 0 || !FirstSight(TriggerKey(payload, envelopeId), ack))
        {
            return null;
        }

        var container = payload.GetObject("container");
        var channel = container?.GetString("channel_id") ?? payload.GetObject("channel")?.GetString("id");
        return new FeedbackClick(votes, new FeedbackReplyTo(payload.GetString("response_url"), channel, userId, container?.GetString("thread_ts")));
    }

    private static string? EnvelopeKey(string? envelopeId) => envelopeId is null ? null : "envelope:" + envelopeId;

    /// <summary>The language to answer a click in: from our block's id, else from the clicked button's text.</summary>
    private static Core.Answers.Language ClickLanguage(JsonElement action, string blockPrefix) =>
        SlackRenderer.BlockLanguage(blockPrefix, action.GetString("block_id")) ?? Core.Answers.LanguageDetector.Detect(action.GetObject("text")?.GetString("text"));

    private static string? TriggerKey(JsonElement payload, string? envelopeId) =>
        payload.GetString("trigger_id") is { } trigger ? "trigger:" + trigger : EnvelopeKey(envelopeId);

    /// <summary>
    /// True the first time a key is seen within the window (or when there is no key); counts and logs the rest. With a
    /// delivery still to be acked (<paramref name="ack"/>), the shared claim is taken for
    /// <see cref="SlackOptions.UnackedClaimTtl"/> only, and its key noted for <see cref="Acknowledged"/>.
    /// </summary>
    private bool FirstSight(string? key, PendingAck? ack)
    {
        if (key is null)
        {
            return true;
        }

        if (_seen.TryFirstSee(key, ack is null || !_seen.Shared ? null : _options.UnackedClaimTtl))
        {
            if (ack is not null)
            {
                ack.ClaimedKey = key;
            }

            return true;
        }

        Interlocked.Increment(ref _duplicates);
        SlackLog.Duplicate(_logger, key);
        return false;
    }

    /// <summary>
    /// The delivery's ack was sent (or tried: this process lives and answers it either way): its shared claim gets the full
    /// de-duplication window, in the background (the receive loop never waits on the database for it).
    /// </summary>
    /// <returns>The extension under way (callers on the receive path do not wait for it).</returns>
    public Task Acknowledged(PendingAck ack)
    {
        if (ack.ClaimedKey is not { } key || !_seen.Shared)
        {
            return Task.CompletedTask;
        }

        return Task.Run(() =>
        {
            try
            {
                _seen.Confirm(key);
            }
            catch (Exception ex)
            {
                SlackLog.HandlerFailed(_logger, ex, "claim extension");
            }
        });
    }
}
