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

/// <summary>Why the best passage does or does not answer: coverage of the question's words and what is missing.</summary>
public sealed record Evidence(double BestCoverage, IReadOnlyList<WordEvidence> Words, IReadOnlyList<string> MissingWords, IReadOnlyList<string> WeakWords);

/// <summary>The outcome of <see cref="SearchEngine.Retrieve"/>.</summary>
public enum RetrievalStatus
{
    Found,
    NotFound,
    NoSearchableWords,
}

public sealed record RetrievalResult(RetrievalStatus Status, QueryPlan Plan, IReadOnlyList<RetrievedPassage> Hits, Evidence Evidence, bool Abstain);
