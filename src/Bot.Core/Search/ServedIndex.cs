using Bot.Core.Commands;
using Bot.Core.Corpus;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Microsoft.Extensions.Logging;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Bot.Core.Search;

/// <summary>
/// The index being served: built from seeds/ when missing or of another analysis version, updated article by article
/// when seeds/ changed (a fast update, then a compaction in the background), one
/// <see cref="SearcherManager"/> over its latest commit (readers in flight keep theirs while a rebuild commits), and the
/// article list of that commit. Ranking lives in <see cref="SearchEngine"/>. Thread-safe.
/// </summary>
public sealed partial class ServedIndex : IDisposable
{
    private readonly CorpusOptions _corpus;
    private readonly IndexOptions _index;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private LuceneDirectory? _dir;
    private SearcherManager? _manager;
    private IndexManifest? _manifest;
    private bool _disposed;
    private (DirectoryReader? Reader, IReadOnlyList<ArticleInfo> Articles) _articles = (null, []);

    public ServedIndex(CorpusOptions corpus, IndexOptions index, TimeProvider time, ILogger logger)
    {
        _corpus = corpus;
        _index = index;
        _time = time;
        _logger = logger;
    }

    /// <summary>The manifest of the index generation being served.</summary>
    public IndexManifest? Manifest => _manifest;

    /// <summary>What the last <see cref="EnsureIndex"/> that changed the index did (null: nothing yet).</summary>
    public IndexChange? LastChange { get; private set; }

    /// <summary>
    /// Brings the index up to date, then serves it: a full build when it is missing, unreadable, built by other analysis
    /// code, or <paramref name="force"/> is set; when only seeds/ changed, a fast update of the articles whose files
    /// changed (<see cref="SeedScan"/> finds them by size and time, <see cref="IndexStore.Apply"/> re-indexes them in one
    /// commit), followed by a compaction <see cref="IndexOptions.CompactDelay"/> later; an index without a seed table
    /// (older) gets an exact update (<see cref="IndexStore.Update"/>). Returns true when the index content changed; then
    /// <see cref="LastChange"/> says how. The served searcher moves to the new commit before this returns.
    /// </summary>
    public bool EnsureIndex(bool force = false, Action<int, int>? progress = null)
    {
        lock (_gate)
        {
            _dir ??= IndexStore.Open(_index.Path);
            var manifest = IndexStore.ReadManifest(_dir);
            var changed = false;
            if (!force && manifest is { Files: { } files } && manifest.AnalysisVersion == LuceneSettings.AnalysisVersion
                && FastUpdate(manifest, files, progress) is { } fast)
            {
                (manifest, changed) = fast;
            }
            else if (force || IndexStore.IsStale(manifest, CorpusLoader.HashSeeds(_corpus.SeedsPath)) || manifest is { Files: null })
            {
                var started = _time.GetTimestamp();
                var corpus = CorpusLoader.Load(_corpus.SeedsPath);
                var update = force ? null : IndexStore.Update(_dir, corpus, _time, progress);
                IndexChange change;
                if (update is { } u)
                {
                    (manifest, change) = u;
                    LogUpdated(_logger, change.Added, change.Changed, change.Removed, manifest.Passages, _time.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    manifest = IndexStore.Build(_dir, corpus, _time, progress);
                    change = new IndexChange(true, corpus.Articles.Count, 0, 0);
                    LogBuilt(_logger, manifest.Passages, manifest.Articles, _time.GetElapsedTime(started).TotalMilliseconds);
                }

                LastChange = change;
                changed = change.Full || change.Added + change.Changed + change.Removed > 0;
            }

            _manifest = manifest!;
            ServeCurrentCommit();
            if (!_manifest.Compacted)
            {
                if (_index.CompactDelay <= TimeSpan.Zero)
                {
                    CompactLocked();
                }
                else
                {
                    ScheduleCompaction();
                }
            }

            return changed;
        }
    }

    /// <summary>
    /// The fast path: what changed since the commit's seed table, applied in one commit. Returns the manifest now served
    /// and whether the content changed, or null when the commit moved under the scan (the caller falls back).
    /// </summary>
    private (IndexManifest Manifest, bool Changed)? FastUpdate(IndexManifest manifest, SeedFiles files, Action<int, int>? progress)
    {
        var started = _time.GetTimestamp();
        var scan = SeedScan.Run(_corpus.SeedsPath, files);
        if (!scan.ContentChanged && scan.Files.Files.SequenceEqual(files.Files))
        {
            return (manifest, false);
        }

        // Touched files with the same content are committed too (their new times only), so they are not read again.
        if (IndexStore.Apply(_dir!, manifest, scan, _time, progress) is not { } applied)
        {
            return null;
        }

        if (!scan.ContentChanged)
        {
            return (applied.Manifest, false);
        }

        LastChange = applied.Change;
        LogFastUpdated(_logger, applied.Change.Added, applied.Change.Changed, applied.Change.Removed, scan.Read, _time.GetElapsedTime(started).TotalMilliseconds);
        return (applied.Manifest, true);
    }

    /// <summary>Serves whatever index is in Index:Path without looking at seeds/ (benchmarks over synthetic corpora).</summary>
    public void ServeExisting()
    {
        lock (_gate)
        {
            _dir ??= IndexStore.Open(_index.Path);
            _manifest = IndexStore.ReadManifest(_dir) ?? throw new InvalidOperationException($"no index in {_index.Path}");
            ServeCurrentCommit();
        }
    }

    /// <summary>Opens the one SearcherManager, or refreshes it to the latest commit (readers in flight keep theirs).</summary>
    private void ServeCurrentCommit()
    {
        if (_manager is null)
        {
            _manager = new SearcherManager(_dir!, new Bm25SearcherFactory());
        }
        else
        {
            _manager.MaybeRefreshBlocking();
        }
    }

    /// <summary>Checks seeds/ and re-indexes when it changed; readers keep the old generation until the new one is committed.</summary>
    public bool RefreshIfSeedsChanged() => EnsureIndex(force: false);

    private SearcherManager Manager
    {
        get
        {
            if (_manager is null)
            {
                EnsureIndex();
            }

            return _manager!;
        }
    }

    /// <summary>A searcher over the current commit (building the index first if nothing is served); release it with <see cref="Release"/>.</summary>
    public IndexSearcher Acquire() => Manager.Acquire();

    public void Release(IndexSearcher searcher) => _manager!.Release(searcher);

    /// <summary>Every article in the served index, in document-id order.</summary>
    public IReadOnlyList<ArticleInfo> Articles()
    {
        var manager = Manager;
        var searcher = manager.Acquire();
        try
        {
            var reader = (DirectoryReader)searcher.IndexReader;
            var cached = _articles;
            if (ReferenceEquals(cached.Reader, reader))
            {
                return cached.Articles;
            }

            var top = searcher.Search(new TermQuery(new Term(Fields.Kind, Fields.KindArticle)), 10_000);
            var list = top.ScoreDocs.Select(sd => searcher.Doc(sd.Doc))
                .Select(d => new ArticleInfo(d.Get(Fields.Doc), d.Get(Fields.Title), d.Get(Fields.Opening), d.GetField(Fields.PassageCount)?.GetInt32Value() ?? 0)
                {
                    Metadata = new ArticleMetadata(null, d.Get(Fields.Url), d.Get(Fields.Author), ArticleMetadata.ParseDate(d.Get(Fields.Published))),
                })
                .OrderBy(a => a.DocId, StringComparer.Ordinal)
                .ToList();
            _articles = (reader, list);
            return list;
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _compactTimer?.Dispose();
            _compactTimer = null;
            _manager?.Dispose();
            _dir?.Dispose();
            _manager = null;
            _dir = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Index built: {Passages} passages from {Articles} articles in {Millis:F0} ms")]
    private static partial void LogBuilt(ILogger logger, int passages, int articles, double millis);

    [LoggerMessage(Level = LogLevel.Information, Message = "Index updated (fast, compaction pending): {Added} articles added, {Changed} changed, {Removed} removed ({Read} seed files read) in {Millis:F0} ms")]
    private static partial void LogFastUpdated(ILogger logger, int added, int changed, int removed, int read, double millis);

    [LoggerMessage(Level = LogLevel.Information, Message = "Index updated: {Added} articles added, {Changed} changed, {Removed} removed ({Passages} passages) in {Millis:F0} ms")]
    private static partial void LogUpdated(ILogger logger, int added, int changed, int removed, int passages, double millis);

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }
}
