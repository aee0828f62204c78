using Bot.Core.Answers;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Chat;

/// <summary>
/// The feedback policy and the vote-reply flow every chat platform shares. Which answers carry 👍 / 👎 buttons
/// (<see cref="Rates"/>): answers with citations and "not in the articles" declines alike (a wrong decline is what
/// curators most need to hear about); input problems, errors, search lists and sources get none, and nothing does without
/// a registered <see cref="FeedbackStore"/>. A click becomes one <see cref="Record"/> call: the vote is stored and the
/// returned line (thanks, vote changed, or a polite error in the answer's language) is what the clicker alone is told.
/// Adapters only read the click and choose where the line goes. No user id is ever logged.
/// </summary>
public sealed partial class FeedbackVotes
{
    private readonly FeedbackStore? _store;
    private readonly ILogger _logger;

    public FeedbackVotes(FeedbackStore? store, ILogger logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>True when votes can be recorded, so rateable answers carry buttons.</summary>
    public bool Enabled => _store is not null;

    /// <summary>Whether <paramref name="answer"/> is worth rating: an answer with citations, or a "not in the articles" decline
    /// (input problems such as an empty or too-long question, and error notices, are not).</summary>
    public static bool IsRateable(Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return answer.Status == AnswerStatus.Answered ? answer.Best is not null : answer.Status == AnswerStatus.NotFound;
    }

    /// <summary>Whether this answer gets buttons here: feedback is stored and the answer is rateable.</summary>
    public bool Rates(Answer answer) => Enabled && IsRateable(answer);

    /// <summary>The id to log with a question whose answer may carry buttons (null when feedback is off).</summary>
    public string? MintAnswerId() => Enabled ? AnswerRecord.NewId() : null;

    /// <summary>
    /// Records one vote (a small local SQLite write: run it off any connection loop) and returns the line to tell the
    /// clicker. A storage failure is logged (without the user id) and answered politely; it never throws, except for
    /// cancellation.
    /// </summary>
    public string Record(string platform, string answerId, string userId, bool up, Language language)
    {
        var ui = UiText.For(language);
        if (_store is not { } store)
        {
            VoteFailed(_logger, null, platform, answerId, "storage is not configured");
            return ui.ErrorGeneric;
        }

        try
        {
            var outcome = store.RecordVote(answerId, platform, userId, up);
            VoteRecorded(_logger, platform, answerId, up ? "up" : "down", outcome.ToString());
            return outcome == VoteOutcome.Changed ? ui.FeedbackChanged : ui.FeedbackThanks;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the exception is about the database file, never about the user
            VoteFailed(_logger, ex, platform, answerId, ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "));
            return ui.ErrorGeneric;
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "{Platform} feedback on answer {AnswerId}: {Vote} ({Outcome})")]
    private static partial void VoteRecorded(ILogger logger, string platform, string answerId, string vote, string outcome);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "{Platform} feedback on answer {AnswerId} could not be recorded: {Error}; the user was told politely")]
    private static partial void VoteFailed(ILogger logger, Exception? exception, string platform, string answerId, string error);
}
