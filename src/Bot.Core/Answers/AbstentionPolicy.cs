using Bot.Core.Search;

namespace Bot.Core.Answers;

/// <summary>Why the bot declines (or <see cref="None"/> when it answers).</summary>
public enum DeclineCause
{
    None,

    /// <summary>No passage was found at all, or the question had no searchable words.</summary>
    NothingFound,

    /// <summary>A name or code the question asks about ("Bitcoin", "R2") is in no article.</summary>
    MissingName,

    /// <summary>The question's topic or subject ("본사는", "상무부가") is in no article.</summary>
    MissingTopic,

    /// <summary>The question asks how many ("몇 살", "몇 개") and the passage that matches it gives no such number.</summary>
    NoCount,

    /// <summary>The question asks when ("언제", "what year") and the passage that matches it gives no date.</summary>
    NoDate,

    /// <summary>The question asks who else, besides someone it names ("량원펑 말고 또 누가"), and the passage that matches it
    /// names no one else.</summary>
    NoOther,

    /// <summary>Most of the question's weight is carried by words that no article contains.</summary>
    MissingWords,

    /// <summary>The best passage covers too little of the question.</summary>
    LowCoverage,
}

/// <summary>Whether to answer, and if not, the first cause that declined.</summary>
public readonly record struct AnswerDecision(bool Answer, DeclineCause Cause);

/// <summary>
/// The one place that decides to answer or decline, from several signals of the retrieval (<see cref="AbstentionSignals"/>):
/// the bot declines when a name or the question's topic is in no article (vetoes: the articles cannot be about it),
/// when a counting question's best passage gives no number of the unit asked for (<see cref="CountedUnits"/>), when a
/// "when" question's best passage gives no date (<see cref="QuestionCues.AsksForDate"/>), when a "who else" question's
/// best passage names no one besides those the question names (<see cref="OtherPeople"/>), when words that no article contains carry at least <see cref="RetrievalOptions.MaxMissingShare"/> of the question's
/// weight, or when the best passage covers less than <see cref="RetrievalOptions.MinCoverage"/> of it. A colloquial word
/// or a predicate that no article contains counts for nothing. The thresholds were chosen on the dev and train sets
/// with cross-validation (<c>tests/eval/fit_abstention.py</c>; operating point and ROC in the README).
/// </summary>
public static class AbstentionPolicy
{
    /// <summary>The decision for <paramref name="result"/>. Levers (<see cref="EvalLevers"/>, measurement only): <c>names</c>
    /// and <c>topic</c> switch off the two vetoes.</summary>
    public static AnswerDecision Decide(RetrievalResult result, RetrievalOptions options, EvalLevers? levers = null)
    {
        levers ??= EvalLevers.None;
        if (result.Status != RetrievalStatus.Found || result.Hits.Count == 0)
        {
            return new AnswerDecision(false, DeclineCause.NothingFound);
        }

        var s = result.Evidence.Signals;
        var cause = s switch
        {
            { MissingName: true } when !levers.IsDisabled("names") => DeclineCause.MissingName,
            { MissingTopic: true } when !levers.IsDisabled("topic") => DeclineCause.MissingTopic,
            { NoCount: true } => DeclineCause.NoCount,
            { NoDate: true } => DeclineCause.NoDate,
            { NoOther: true } => DeclineCause.NoOther,
            _ when s.MissingShare >= options.MaxMissingShare => DeclineCause.MissingWords,
            _ when s.Coverage < options.MinCoverage => DeclineCause.LowCoverage,
            _ => DeclineCause.None,
        };
        return new AnswerDecision(cause == DeclineCause.None, cause);
    }
}
