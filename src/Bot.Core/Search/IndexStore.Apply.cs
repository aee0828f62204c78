using Bot.Core.Corpus;
using Lucene.Net.Index;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Bot.Core.Search;

/// <summary>Fast updates: the changed articles deleted and re-added in one commit, nothing else touched.</summary>
public static partial class IndexStore
{
    /// <summary>
    /// Applies <paramref name="scan"/> to the committed index in one commit, holding the build lock: each affected
    /// article's documents are deleted by document id and its new documents (if any) added as a new small segment; the
    /// rest of the index is not read or rewritten. The commit records the new seed table and
    /// <see cref="IndexManifest.Compacted"/> false: until a compaction (<see cref="Update"/> with every document in
    /// corpus order again) the deleted documents still count in term statistics and the re-added article sits after the
    /// others, so scores and ties may differ slightly from a full build's. Returns null when the last commit is no longer
    /// the one <paramref name="basis"/> describes (another process committed since the scan): the caller starts over.
    /// A failure rolls back: readers never see part of an update. <paramref name="progress"/> gets passages written and total.
    /// </summary>
    public static (IndexManifest Manifest, IndexChange Change)? Apply(LuceneDirectory dir, IndexManifest basis, SeedScan scan, TimeProvider time, Action<int, int>? progress = null)
    {
        using var buildLock = dir is FSDirectory fs ? AcquireBuildLock(fs.Directory.FullName) : null;
        var manifest = LastCommitManifest(dir); // the caller has just checked this commit whole: only whether it is still the last
        if (manifest is null || manifest.BuiltAt != basis.BuiltAt || manifest.SeedsHash != basis.SeedsHash || manifest.AnalysisVersion != LuceneSettings.AnalysisVersion)
        {
            return null;
        }

        var change = new IndexChange(false, scan.Added, scan.Changed, scan.Removed);
        var files = scan.Files;
        var updated = new IndexManifest(files.Hash, LuceneSettings.AnalysisVersion, files.Passages, files.Articles,
            time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), files.Skipped, files,
            Compacted: manifest.Compacted && !scan.ContentChanged);
        var config = WriterConfig(OpenMode.APPEND);
        config.MergePolicy = NoMergePolicy.NO_COMPOUND_FILES; // no merge here: compaction rewrites the whole index in order
        using var writer = OpenWriter(dir, config);
        try
        {
            var total = scan.Articles.Sum(a => a.Value?.Passages.Count ?? 0);
            var written = 0;
            foreach (var (docId, article) in scan.Articles)
            {
                writer.DeleteDocuments(new Term(Fields.Doc, docId)); // the article document and its passages
                if (article is not null)
                {
                    writer.AddDocuments(ArticleDocuments(article));
                    written += article.Passages.Count;
                    progress?.Invoke(written, total);
                }
            }

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

    /// <summary>The manifest of the last commit, from its segments file alone (no check of the other files).</summary>
    private static IndexManifest? LastCommitManifest(LuceneDirectory dir)
    {
        var infos = new SegmentInfos();
        infos.Read(dir);
        return IndexManifest.FromUserData(infos.UserData);
    }
}
