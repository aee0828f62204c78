using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Events;

/// <summary>
/// 👍 / 👎 clicks (block_actions), after the ack: each vote goes through Core's <see cref="FeedbackVotes"/> (record, reply
/// line) one at a time, in arrival order, on a chain of its own, never behind slow questions; the line reaches the clicker
/// alone (the click's response_url, else chat.postEphemeral). At most <see cref="MaxPendingVotes"/> wait; beyond that the
/// clicker is told "busy, try again".
/// </summary>
internal sealed class SlackFeedbackHandler
{
    /// <summary>Feedback votes waiting at most; beyond that the clicking user is told "busy, try again".</summary>
    internal const int MaxPendingVotes = 1000;

    private readonly FeedbackVotes _votes;
    private readonly SlackReplier _replier;
    private readonly SlackWebApiClient _api;
    private readonly ILogger<SlackFeedbackHandler> _logger;
    private readonly Lock _gate = new();
    private Task _chain = Task.CompletedTask;
    private int _pending;

    public SlackFeedbackHandler(FeedbackVotes votes, SlackReplier replier, SlackWebApiClient api, ILogger<SlackFeedbackHandler> logger)
    {
        _votes = votes;
        _replier = replier;
        _api = api;
        _logger = logger;
    }

    /// <summary>Queues the click's votes (the pending limit is applied now, synchronously); the task ends when all are answered.</summary>
    public Task HandleAsync(FeedbackClick click, CancellationToken ct)
    {
        var work = new List<Task>(click.Votes.Count);
        foreach (var vote in click.Votes)
        {
            if (Interlocked.Increment(ref _pending) > MaxPendingVotes)
            {
                Interlocked.Decrement(ref _pending);
                work.Add(_replier.PostNoteAsync(click.ReplyTo.ResponseUrl, SlackText.EscapeWithin(UiText.For(vote.Language).Busy, SlackRenderer.MaxFallbackText), ct));
                continue;
            }

            work.Add(Chain(() => RecordAsync(vote, click.ReplyTo, ct)));
        }

        return Task.WhenAll(work);
    }

    private async Task RecordAsync(FeedbackVote vote, FeedbackReplyTo replyTo, CancellationToken ct)
    {
        var reply = _votes.Record(SlackReplier.PlatformName, vote.AnswerId, replyTo.UserId, vote.Up, vote.Language);
        var text = SlackText.EscapeWithin(reply, SlackRenderer.MaxFallbackText);
        if (SlackReplier.TryResponseUrl(replyTo.ResponseUrl, out var uri))
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
            await _api.PostEphemeralAsync(replyTo.Channel, replyTo.UserId, text, replyTo.ThreadTs, ct).ConfigureAwait(false);
        }
        catch (SlackApiException ex)
        {
            SlackLog.ReplyFailed(_logger, ex.Error);
        }
    }

    /// <summary>Votes are recorded one at a time, in arrival order, on the thread pool (a small SQLite write each).</summary>
    private Task Chain(Func<Task> record)
    {
        lock (_gate)
        {
            _chain = _chain.ContinueWith(async _ =>
            {
                try
                {
                    await record().ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            return _chain;
        }
    }
}
