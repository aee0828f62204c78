namespace Bot.Core.Answers;

/// <summary>The language a reply is written in; it follows the user's question.</summary>
public enum Language
{
    Korean,
    English,
}

/// <summary>What happened to a question.</summary>
public enum AnswerStatus
{
    /// <summary>At least one citation answers the question.</summary>
    Answered,

    /// <summary>The corpus does not answer it; <see cref="Answer.Decline"/> says why.</summary>
    NotFound,

    /// <summary>The question was empty (or only punctuation, mentions and whitespace).</summary>
    Empty,

    /// <summary>The question was longer than <see cref="Search.RetrievalOptions.MaxQuestionChars"/>.</summary>
    TooLong,
}

/// <summary>A half-open range [Start, Start+Length) of UTF-16 code units inside a snippet's text.</summary>
public readonly record struct HighlightRange(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// A quoted window of a passage: at most 300 characters, cut on sentence or word boundaries.
/// <see cref="Highlights"/> mark the matched words, sorted and non-overlapping, so each renderer can bold them.
/// </summary>
public sealed record Snippet(string Text, IReadOnlyList<HighlightRange> Highlights, bool CutAtStart, bool CutAtEnd);

/// <summary>One cited passage.</summary>
/// <param name="DocId">The seed file stem.</param>
/// <param name="Title">A readable article title.</param>
/// <param name="Passage">1-based passage number within the article.</param>
/// <param name="Score">Ranking score (higher is better; comparable within one answer only).</param>
/// <param name="Snippet">The quoted window.</param>
/// <param name="MatchedTerms">The question's words found in this passage (as they appear in the text).</param>
public sealed record Citation(string DocId, string Title, int Passage, double Score, Snippet Snippet, IReadOnlyList<string> MatchedTerms)
{
    /// <summary>Where the original article is published (absolute http(s) URL), or null: renderers link the title to it.</summary>
    public string? Url { get; init; }

    /// <summary>The article's publication date, or null.</summary>
    public DateOnly? Published { get; init; }
}

/// <summary>Why the bot declined. <see cref="Message"/> is user-facing text in the answer's language.</summary>
/// <param name="MissingWords">Words of the question that occur in no article.</param>
/// <param name="WeakWords">Words that occur somewhere, but not together with the rest of the question.</param>
public sealed record DeclineReason(string Message, IReadOnlyList<string> MissingWords, IReadOnlyList<string> WeakWords)
{
    /// <summary>What declined (see <see cref="AbstentionPolicy"/>); <see cref="DeclineCause.None"/> for empty or too long questions.</summary>
    public DeclineCause Cause { get; init; }
}

/// <summary>The platform-neutral answer to a question: no markup and no platform limits.</summary>
public sealed record Answer(
    string Question,
    Language Language,
    AnswerStatus Status,
    IReadOnlyList<Citation> Citations,
    DeclineReason? Decline)
{
    public Citation? Best => Citations.Count > 0 ? Citations[0] : null;

    /// <summary>For a follow-up in a thread that took the earlier question's context: which question, and what was searched.</summary>
    public FollowUpContext? FollowUp { get; init; }
}

/// <summary>An elliptical follow-up read in the context of the thread's earlier question.</summary>
/// <param name="EarlierQuestion">The earlier question as its asker wrote it (adapters quote it: <see cref="UiText.FollowUpNote"/>).</param>
/// <param name="Asked">The follow-up as written.</param>
/// <param name="SearchedAs">The follow-up with the carried words, as searched (also <see cref="Answer.Question"/>).</param>
/// <param name="CarriedWords">The earlier question's words that were added.</param>
public sealed record FollowUpContext(string EarlierQuestion, string Asked, string SearchedAs, IReadOnlyList<string> CarriedWords)
{
    /// <summary>The line an adapter shows above the answer, in the answer's language.</summary>
    public string Note(Language language) => string.Format(System.Globalization.CultureInfo.InvariantCulture, UiText.For(language).FollowUpNote,
        Corpus.TextCutter.CutAtWord(EarlierQuestion, 120));
}
