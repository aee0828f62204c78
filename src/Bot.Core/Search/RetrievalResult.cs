using Bot.Core.Answers;

namespace Bot.Core.Search;

/// <summary>A passage found for a question, with the evidence behind its rank.</summary>
public sealed record RetrievedPassage(
    string Id,
    string DocId,
    string Title,
    int Ordinal,
    string Lines,
    string Text,
    double Bm25,
    double Score,
    double Coverage,
    IReadOnlyList<MatchSpan> Spans,
    IReadOnlyList<string> MatchedWords,
    Snippet Snippet);

/// <summary>A question word, its weight, and whether any article contains it.</summary>
public sealed record WordEvidence(string Word, IReadOnlyList<string> Forms, double Weight, bool InCorpus, bool Predicate);

/// <summary>Why the best passage does or does not answer: coverage of the question's words, what is missing, and the
/// signals <see cref="AbstentionPolicy"/> decides on.</summary>
public sealed record Evidence(double BestCoverage, IReadOnlyList<WordEvidence> Words, IReadOnlyList<string> MissingWords, IReadOnlyList<string> WeakWords)
{
    public AbstentionSignals Signals { get; init; } = AbstentionSignals.None;
}

/// <summary>What the answer-or-decline decision looks at (see <see cref="AbstentionPolicy"/>).</summary>
/// <param name="Coverage">Weighted share of the question's words that the best passage contains.</param>
/// <param name="MissingShare">Share of the question's weight carried by content words that no article contains.</param>
/// <param name="MissingName">A name or code the question asks about ("Bitcoin", "R2") is in no article.</param>
/// <param name="MissingTopic">The question's topic or subject (a word followed by 은/는/이/가) is in no article.</param>
/// <param name="NoCount">The question asks how many of a unit ("몇 살", "몇 개") and the best passage gives no number of it.</param>
/// <param name="NoDate">The question asks when ("언제", "what year") and the best passage gives no date.</param>
/// <param name="NoOther">The question asks who else, besides someone it names, and the best passage names no one else.</param>
public sealed record AbstentionSignals(double Coverage, double MissingShare, bool MissingName, bool MissingTopic, bool NoCount = false, bool NoDate = false, bool NoOther = false)
{
    public static AbstentionSignals None { get; } = new(0, 1, false, false);
}

/// <summary>The outcome of <see cref="SearchEngine.Retrieve"/>.</summary>
public enum RetrievalStatus
{
    Found,
    NotFound,
    NoSearchableWords,
}

/// <summary>The passages found for a question and the evidence about them; whether to answer is decided by <see cref="AbstentionPolicy"/>.</summary>
public sealed record RetrievalResult(RetrievalStatus Status, QueryPlan Plan, IReadOnlyList<RetrievedPassage> Hits, Evidence Evidence);
