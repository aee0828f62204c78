namespace Bot.Core.Corpus;

/// <summary>A cleaned article loaded from one seed file.</summary>
/// <param name="DocId">The seed file stem.</param>
/// <param name="Title">A readable title (see <see cref="TitleRule"/>).</param>
/// <param name="Lines">The kept content lines, each with its 1-based line number in the seed file.</param>
/// <param name="Passages">The passages the article was split into, in order.</param>
/// <param name="ContentHash">SHA-256 (hex) of the raw seed file bytes.</param>
public sealed record Article(string DocId, string Title, IReadOnlyList<SourceLine> Lines, IReadOnlyList<Passage> Passages, string ContentHash)
{
    /// <summary>Title, link, author and date the file gives (<see cref="ArticleMetadata.None"/> for a plain seed file).</summary>
    public ArticleMetadata Metadata { get; init; } = ArticleMetadata.None;

    /// <summary>The cleaned text, one kept line per line.</summary>
    public string CleanText => string.Join('\n', Lines.Select(l => l.Text));
}

/// <summary>A kept line of a seed file and its 1-based line number there.</summary>
public readonly record struct SourceLine(int Number, string Text, bool IsHeading);

/// <summary>
/// A passage: consecutive kept lines of one article, about 300 characters, never across articles.
/// A line longer than the passage budget is split on sentence boundaries and its parts share its line number.
/// </summary>
/// <param name="Id">Stable id: "{DocId}#{Ordinal}".</param>
/// <param name="DocId">The article's document id.</param>
/// <param name="Ordinal">1-based position within the article.</param>
/// <param name="Text">The passage text (lines joined with '\n').</param>
/// <param name="FirstLine">1-based source line where the passage starts.</param>
/// <param name="LastLine">1-based source line where the passage ends.</param>
/// <param name="Heading">The nearest section heading above or at the start of the passage, or empty.</param>
public sealed record Passage(string Id, string DocId, int Ordinal, string Text, int FirstLine, int LastLine, string Heading)
{
    public static string MakeId(string docId, int ordinal) => $"{docId}#{ordinal}";
}
