namespace Bot.Core.Commands;

/// <summary>An article as the /source command and its autocomplete show it.</summary>
/// <param name="DocId">Seed file stem.</param>
/// <param name="Title">Readable title.</param>
/// <param name="Opening">The cleaned opening of the article (at most about 300 characters, cut on a boundary).</param>
/// <param name="PassageCount">How many passages the article was split into.</param>
public sealed record ArticleInfo(string DocId, string Title, string Opening, int PassageCount)
{
    /// <summary>The article's link, author and date from its file (the title is <see cref="Title"/>); none for plain seed files.</summary>
    public Corpus.ArticleMetadata Metadata { get; init; } = Corpus.ArticleMetadata.None;
}
