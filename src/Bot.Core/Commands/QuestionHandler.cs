using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Search;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Commands;

/// <summary>
/// The retrieval layer behind both chat adapters, the digests and the command line (see <see cref="IQuestionHandler"/>).
/// Its async methods queue onto the one <see cref="QuestionExecutor"/> (dedicated retrieval threads shared by every
/// platform) and complete when the work is done; a full queue fails them at once with <see cref="QuestionsBusyException"/>.
/// </summary>
public sealed partial class QuestionHandler : IQuestionHandler, IDisposable
{
    private readonly SearchEngine _engine;
    private readonly IQueryLog? _queryLog;
    private readonly ILogger _logger;
    private readonly QuestionExecutor _executor;
    private readonly bool _ownsExecutor;

    /// <param name="queryLog">Optional: when registered (AddBotStorage), every ask/search is logged; a failed write never fails the answer.</param>
    /// <param name="logger">Where a failed query-log write is reported (one warning line, the answer still goes out).</param>
    /// <param name="executor">The shared question executor (AddBotCore registers one); when null the handler makes its own with the defaults.</param>
    public QuestionHandler(SearchEngine engine, IQueryLog? queryLog = null, ILogger<QuestionHandler>? logger = null, QuestionExecutor? executor = null)
    {
        _engine = engine;
        _queryLog = queryLog;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _ownsExecutor = executor is null;
        _executor = executor ?? new QuestionExecutor(Microsoft.Extensions.Options.Options.Create(new QuestionExecutorOptions()), TimeProvider.System);
    }

    public SearchEngine Engine => _engine;

    /// <summary>The executor every ask, search and source request runs on.</summary>
    public QuestionExecutor Executor => _executor;

    public Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken) =>
        _executor.RunAsync(_ =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            return Logged("ask", context, Ask(question, top), started);
        }, cancellationToken);

    public Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken) =>
        _executor.RunAsync(_ =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            return Logged("search", context, Ask(query, top), started);
        }, cancellationToken);

    public void Dispose()
    {
        if (_ownsExecutor)
        {
            _executor.Dispose();
        }
    }

    private Answer Logged(string kind, QueryContext context, Answer answer, long started)
    {
        if (context.IsWarmUp)
        {
            return answer;
        }

        try
        {
            _queryLog?.Record(kind, context, answer, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            // The query log is best-effort: the user still gets the answer, and the operator a line saying it was not logged.
            LogQueryLogFailed(_logger, ex.GetType().Name, ex.Message);
        }

        return answer;
    }

    /// <summary>Synchronous core of /ask and /search; also returns the retrieval result for --explain.</summary>
    public Answer Ask(string question, int top) => AskWithEvidence(question, top).Answer;

    public (Answer Answer, RetrievalResult? Result) AskWithEvidence(string question, int top)
    {
        var text = AnswerComposer.Normalize(question);
        var language = LanguageDetector.Detect(text);
        var max = _engine.Options.MaxQuestionChars;
        if (text.Length > max)
        {
            return (AnswerComposer.TooLong(text, language, max), null);
        }

        if (!AnswerComposer.HasContent(text))
        {
            return (AnswerComposer.Empty(text, language), null);
        }

        var result = _engine.Retrieve(text, Math.Clamp(top, 1, 20));
        var decision = AbstentionPolicy.Decide(result, _engine.Options, _engine.Levers);
        return (WithSources(AnswerComposer.Compose(text, language, result, decision, Math.Clamp(top, 1, 20))), result);
    }

    private (IReadOnlyList<ArticleInfo> Articles, Dictionary<string, ArticleInfo> WithMetadata) _sources = ([], []);

    /// <summary>Gives each citation its article's link and date (from the served index's article documents), when it has any.</summary>
    private Answer WithSources(Answer answer)
    {
        if (answer.Citations.Count == 0)
        {
            return answer;
        }

        var articles = _engine.Articles();
        var sources = _sources;
        if (!ReferenceEquals(sources.Articles, articles))
        {
            sources = (articles, articles.Where(a => !a.Metadata.IsEmpty).ToDictionary(a => a.DocId, StringComparer.Ordinal));
            _sources = sources;
        }

        if (sources.WithMetadata.Count == 0)
        {
            return answer;
        }

        var citations = answer.Citations
            .Select(c => sources.WithMetadata.TryGetValue(c.DocId, out var a) ? c with { Url = a.Metadata.Url, Published = a.Metadata.Published } : c)
            .ToList();
        return answer with { Citations = citations };
    }

    public Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken) =>
        _executor.RunAsync(_ => Source(document), cancellationToken);

    /// <summary>Synchronous core of /source.</summary>
    public SourceResult Source(string document)
    {
        var query = AnswerComposer.Normalize(document);
        var language = LanguageDetector.Detect(query);
        var articles = _engine.Articles();
        var exact = articles.FirstOrDefault(a => string.Equals(a.DocId, query, StringComparison.OrdinalIgnoreCase)
                                                 || string.Equals(a.Title, query, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return new SourceResult(query, language, exact, []);
        }

        var ranked = Rank(articles, query).ToList();
        if (ranked.Count == 1 || (ranked.Count > 1 && query.Length > 0 && ranked[0].Score > ranked[1].Score * 1.5 && ranked[0].Score > 0.3))
        {
            return new SourceResult(query, language, ranked[0].Article, []);
        }

        var suggestions = (ranked.Count > 0 ? ranked.Select(r => r.Article) : articles).Take(10).ToList();
        return new SourceResult(query, language, null, suggestions);
    }

    public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max)
    {
        var query = AnswerComposer.Normalize(prefix);
        var articles = _engine.Articles();
        if (query.Length == 0)
        {
            return articles.Take(max).ToList();
        }

        return Rank(articles, query).Select(r => r.Article).Take(max).ToList();
    }

    /// <summary>Articles whose id or title share characters with the query: substring first, then bigram overlap.</summary>
    private static IEnumerable<(ArticleInfo Article, double Score)> Rank(IReadOnlyList<ArticleInfo> articles, string query)
    {
        if (query.Length == 0)
        {
            return [];
        }

        var q = query.ToLowerInvariant();
        var qGrams = Grams(q);
        return articles
            .Select(a =>
            {
                var title = a.Title.ToLowerInvariant();
                var score = title.Contains(q, StringComparison.Ordinal) || a.DocId.StartsWith(q, StringComparison.OrdinalIgnoreCase) ? 2.0 : 0.0;
                if (qGrams.Count > 0)
                {
                    var tGrams = Grams(title);
                    score += (double)qGrams.Count(tGrams.Contains) / qGrams.Count;
                }

                return (Article: a, Score: score);
            })
            .Where(x => x.Score > 0.25)
            .OrderByDescending(x => x.Score);
    }

    private static HashSet<string> Grams(string s)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var compact = new string(s.Where(char.IsLetterOrDigit).ToArray());
        for (var i = 0; i + 1 < compact.Length; i++)
        {
            set.Add(compact.Substring(i, 2));
        }

        return set;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query log write failed ({Kind}), question not logged: {Reason}")]
    private static partial void LogQueryLogFailed(ILogger logger, string kind, string reason);
}
