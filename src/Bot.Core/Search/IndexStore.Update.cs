using Bot.Core.Corpus;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Bot.Core.Search;

/// <summary>What a call that brings the index up to date did.</summary>
/// <param name="Full">True for a full (re)build, false for an incremental update.</param>
/// <param name="Added">Articles new to the index (all of them for a full build).</param>
/// <param name="Changed">Articles whose seed file changed, re-indexed.</param>
/// <param name="Removed">Articles deleted from the index.</param>
public sealed record IndexChange(bool Full, int Added, int Changed, int Removed)
{
    public override string ToString() => Full ? $"full build ({Added} articles)" : $"{Added} added, {Changed} changed, {Removed} removed";
}

/// <summary>Incremental updates: only the articles whose content hash changed are re-indexed.</summary>
public static partial class IndexStore
{
    /// <summary>Most slices of the old and new documents an update may stitch together before a full build is cheaper.</summary>
    private const int MaxSlices = 48;

    /// <summary>
    /// Brings the committed index to <paramref name="corpus"/> by re-indexing only what changed, in one commit: the
    /// articles whose content hash differs from the one stored with their article document (or that are new) are
    /// analysed into a small in-memory index, and the new commit is written as one segment from the unchanged articles'
    /// documents of the old commit and those, in corpus order, without the removed articles' documents (a merge: no
    /// analysis of unchanged text). So the index holds the same documents in the same order as a full build, with no
    /// deleted documents: every statistic read at query time (document frequencies, document count, average length, the
    /// set of terms, ties broken by document) and so every result is that of a full build. Holds the build lock like
    /// <see cref="Build"/>; a failure rolls back and leaves the last commit as it was (readers never see a partial update).
    /// Returns null when a full build is needed or cheaper: no readable index, another analysis version, an index
    /// without per-article hashes, or changes scattered over too many places. <paramref name="progress"/> is called with
    /// the changed passages written so far and their total.
    /// Cost: analysis only of the changed articles, but a merge of every unchanged document into the new segment (the
    /// window over a partly kept segment cannot use Lucene's bulk copy of stored fields), and the caller re-reads and
    /// re-parses every seed file: seconds on 1,000 articles. So a served index takes this path only once, when its commit
    /// has no seed table (an index built before the table existed); otherwise a changed article goes through the fast
    /// update (<see cref="Apply"/>) and the compaction after it is a parallel full build, both cheaper.
    /// </summary>
    public static (IndexManifest Manifest, IndexChange Change)? Update(LuceneDirectory dir, CorpusSnapshot corpus, TimeProvider time, Action<int, int>? progress = null)
    {
        using var buildLock = dir is FSDirectory fs ? AcquireBuildLock(fs.Directory.FullName) : null;
        var manifest = ReadManifest(dir);
        if (manifest is null || manifest.AnalysisVersion != LuceneSettings.AnalysisVersion)
        {
            return null;
        }

        using var old = DirectoryReader.Open(dir);
        if (ArticleRanges.Of(old) is not { } indexed)
        {
            return null;
        }

        var changed = corpus.Articles.Where(a => !indexed.TryGetValue(a.DocId, out var r) || r.Hash != a.ContentHash).ToList();
        var kept = corpus.Articles.Select(a => a.DocId).ToHashSet(StringComparer.Ordinal);
        var removed = indexed.Keys.Count(id => !kept.Contains(id));
        var change = new IndexChange(false, changed.Count(a => !indexed.ContainsKey(a.DocId)), changed.Count(a => indexed.ContainsKey(a.DocId)), removed);
        if (changed.Count == 0 && removed == 0 && manifest.SeedsHash == corpus.SeedsHash && manifest.Compacted && manifest.Files is not null)
        {
            return (manifest, change);
        }

        using var fresh = new RAMDirectory();
        WriteArticles(fresh, changed, progress);
        using var added = DirectoryReader.Open(fresh);
        var addedRanges = ArticleRanges.Of(added)!;
        var slices = ArticleRanges.Slices(corpus.Articles.Select(a => addedRanges.TryGetValue(a.DocId, out var r) && r.Hash == a.ContentHash ? r : indexed[a.DocId]));
        if (slices.Count > MaxSlices)
        {
            return null;
        }

        using var writer = OpenWriter(dir, WriterConfig(OpenMode.CREATE));
        try
        {
            writer.AddIndexes(slices.ToArray<IndexReader>());
            var updated = new IndexManifest(corpus.SeedsHash, LuceneSettings.AnalysisVersion, corpus.PassageCount, corpus.Articles.Count,
                time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), corpus.Skipped, corpus.Files);
            writer.SetCommitData(updated.ToUserData());
            writer.Commit();
            return (updated, change);
        }
        catch
        {
            writer.Rollback(); // nothing of this update becomes visible
            throw;
        }
    }

    /// <summary>The changed articles' documents, as a full build writes them, into <paramref name="dir"/> (one commit).</summary>
    private static void WriteArticles(LuceneDirectory dir, List<Article> articles, Action<int, int>? progress)
    {
        using var writer = new IndexWriter(dir, WriterConfig(OpenMode.CREATE));
        var total = articles.Sum(a => a.Passages.Count);
        var written = 0;
        foreach (var article in articles)
        {
            writer.AddDocuments(ArticleDocuments(article));
            written += article.Passages.Count;
            progress?.Invoke(written, total);
        }

        writer.Commit();
    }

    /// <summary>An article's documents as a full build writes them: the article document, then its passages in order.</summary>
    private static List<Document> ArticleDocuments(Article article)
    {
        var docs = new List<Document>(article.Passages.Count + 1) { ArticleDocument(article) };
        foreach (var passage in article.Passages)
        {
            docs.Add(new PassageDocumentWriter().Fill(article.Title, passage));
        }

        return docs;
    }
}
