using Bot.Core.Answers;
using Bot.Core.Chat;

namespace Bot.Core.Commands;

/// <summary>The result of /source: the article, or the closest titles when nothing matched exactly.</summary>
public sealed record SourceResult(string Query, Language Language, ArticleInfo? Article, IReadOnlyList<ArticleInfo> Suggestions);

/// <summary>
/// The one port both chat adapters call: plain request in, platform-neutral result out. Thread-safe; answers come from the
/// current index generation (a re-index swaps it without downtime).
/// </summary>
public interface IQuestionHandler
{
    /// <summary>/ask, mentions and DMs: the best passage and up to <paramref name="top"/>-1 more, or a decline with a reason.</summary>
    Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken);

    /// <summary>/search and "Find sources": up to <paramref name="top"/> passages, same abstention rules.</summary>
    Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken);

    /// <summary>/source: an article by document id or (part of) its title.</summary>
    Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken);

    /// <summary>Autocomplete for /source: articles whose title or id contains <paramref name="prefix"/>, best first.</summary>
    IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max);
}
