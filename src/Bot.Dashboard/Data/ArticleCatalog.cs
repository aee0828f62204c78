using System.Text;
using Bot.Core.Corpus;
using Bot.Core.Search;
using Microsoft.Extensions.Options;

namespace Bot.Dashboard.Data;

/// <summary>A line of a seed file that cleaning dropped, and why.</summary>
public sealed record RemovedLine(int Number, string Text, string Reason);

/// <summary>An article as /articles/{id} shows it: cleaned passages with their source lines, and what cleaning removed.</summary>
public sealed record ArticleView(Article Article, IReadOnlyList<RemovedLine> Removed, int RawLines);

/// <summary>
/// The articles as the indexer sees them: <see cref="CorpusLoader"/> over Corpus:SeedsPath (the same cleaning and passage
/// split), reloaded when the seed files' hash changes (checked at most every few seconds).
/// </summary>
public sealed class ArticleCatalog
{
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(5);
    private readonly string _seeds;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private (CorpusSnapshot Corpus, DateTimeOffset CheckedAt)? _cached;

    public ArticleCatalog(IOptions<CorpusOptions> corpus, TimeProvider time)
    {
        _seeds = corpus.Value.SeedsPath;
        _time = time;
    }

    public IReadOnlyList<Article> Articles() => Snapshot().Articles;

    public ArticleView? Find(string docId)
    {
        var article = Snapshot().Articles.FirstOrDefault(a => string.Equals(a.DocId, docId, StringComparison.Ordinal));
        if (article is null)
        {
            return null;
        }

        var path = Path.Combine(_seeds, docId + ".txt");
        var raw = File.Exists(path) ? File.ReadAllText(path, new UTF8Encoding(false, false)).TrimStart('\uFEFF') : "";
        var lines = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        return new ArticleView(article, Removed(lines, article), lines.Length);
    }

    /// <summary>Non-blank source lines the cleaned article does not keep, with the rule that dropped each.</summary>
    internal static List<RemovedLine> Removed(string[] lines, Article article)
    {
        var kept = article.Lines.Select(l => l.Number).ToHashSet();
        var removed = new List<RemovedLine>();
        var trailer = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            trailer |= BoilerplateRules.IsTrailerStart(line);
            var normalized = BoilerplateRules.Normalize(line);
            if (kept.Contains(i + 1))
            {
                seen.Add(normalized);
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var reason = trailer ? "trailer (list of other posts)"
                : BoilerplateRules.DropReason(line) is { } r ? r
                : !seen.Add(normalized) ? "duplicate line"
                : "boilerplate";
            removed.Add(new RemovedLine(i + 1, line.Trim(), reason));
        }

        return removed;
    }

    private CorpusSnapshot Snapshot()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_cached is { } c && now - c.CheckedAt < RecheckAfter)
            {
                return c.Corpus;
            }

            var hash = CorpusLoader.HashSeeds(_seeds);
            var corpus = _cached is { } old && old.Corpus.SeedsHash == hash ? old.Corpus : CorpusLoader.Load(_seeds);
            _cached = (corpus, now);
            return corpus;
        }
    }
}
