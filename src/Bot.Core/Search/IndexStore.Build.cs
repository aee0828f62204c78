using Bot.Core.Corpus;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Bot.Core.Search;

/// <summary>Full builds: the whole corpus into a fresh index, in one commit, analysis on every core.</summary>
public static partial class IndexStore
{
    /// <summary>
    /// Analysis threads of a full build (default: one per core). The writer indexes on the calling thread in corpus
    /// order, so the index is the same document for document as one analysed by the writer itself; 1 means exactly that.
    /// </summary>
    public static int DefaultAnalysisThreads => Environment.ProcessorCount;

    /// <summary>
    /// Replaces the index content with <paramref name="corpus"/> in one commit, holding the folder's build lock
    /// (<see cref="AcquireBuildLock"/>) from before the writer opens until after it closes, so two processes never build at
    /// once. Leftovers of a corrupt index (which Lucene cannot even open for writing) are deleted first. <paramref name="progress"/>
    /// is called with the number of passages written so far. Throws <see cref="IndexBusyException"/> when another build holds
    /// the lock and <see cref="IndexNotWritableException"/> when the folder cannot be written.
    /// </summary>
    /// <param name="threads">Analysis threads (0: <see cref="DefaultAnalysisThreads"/>; 1: the writer analyses on its own thread).</param>
    public static IndexManifest Build(LuceneDirectory dir, CorpusSnapshot corpus, TimeProvider time, Action<int, int>? progress = null, int threads = 0)
    {
        using var buildLock = dir is FSDirectory fs ? AcquireBuildLock(fs.Directory.FullName) : null;
        if (dir is FSDirectory && DirectoryReader.IndexExists(dir) && ReadManifest(dir) is null)
        {
            DeleteIndexFiles(dir);
        }

        var total = corpus.PassageCount;
        using var writer = OpenWriter(dir, WriterConfig(OpenMode.CREATE));
        try
        {
            var docs = new PassageDocumentWriter();
            var written = 0;
            void Write(Article article, AnalyzedText[]? analyzed)
            {
                writer.AddDocument(ArticleDocument(article));
                for (var i = 0; i < article.Passages.Count; i++)
                {
                    writer.AddDocument(docs.Fill(article.Title, article.Passages[i], analyzed?[i]));
                    written++;
                    if (progress is not null && (written % 1000 == 0 || written == total))
                    {
                        progress(written, total);
                    }
                }
            }

            threads = threads <= 0 ? DefaultAnalysisThreads : threads;
            if (threads == 1)
            {
                foreach (var article in corpus.Articles)
                {
                    Write(article, null);
                }
            }
            else
            {
                var analyzer = new KoreanIndexAnalyzer();
                OrderedPipeline.Run(corpus.Articles, batchSize: 4, threads,
                    a => (Article: a, Analyzed: a.Passages.Select(p => AnalyzedText.Capture(analyzer, Fields.Text, p.Text)).ToArray()),
                    r => Write(r.Article, r.Analyzed));
            }

            var manifest = new IndexManifest(corpus.SeedsHash, LuceneSettings.AnalysisVersion, total, corpus.Articles.Count,
                time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), corpus.Skipped);
            writer.SetCommitData(manifest.ToUserData());
            writer.Commit();
            return manifest;
        }
        catch
        {
            writer.Rollback(); // nothing of this build becomes visible
            throw;
        }
    }

    /// <summary>Opens a writer; Lucene's own write lock failing while we hold the build lock means the folder is not writable.</summary>
    private static IndexWriter OpenWriter(LuceneDirectory dir, IndexWriterConfig config)
    {
        try
        {
            return new IndexWriter(dir, config);
        }
        catch (LockObtainFailedException ex) when (dir is FSDirectory fs)
        {
            throw new IndexNotWritableException(fs.Directory.FullName, ex);
        }
    }

    /// <summary>Deletes every file of an unreadable index (not the lock files), so a fresh build can start.</summary>
    private static void DeleteIndexFiles(LuceneDirectory dir)
    {
        foreach (var name in dir.ListAll())
        {
            if (name is not BuildLockName && !string.Equals(name, IndexWriter.WRITE_LOCK_NAME, StringComparison.Ordinal))
            {
                dir.DeleteFile(name);
            }
        }
    }

    /// <summary>
    /// Indexes raw passages (benchmarks and synthetic corpora: no article documents, no cleaning) in one commit, streamed
    /// from <paramref name="passages"/>. With our analyzer (<paramref name="analyzer"/> null) analysis runs on
    /// <paramref name="threads"/> threads as in <see cref="Build"/>; another analyzer is run by the writer itself.
    /// </summary>
    public static IndexManifest BuildFromPassages(LuceneDirectory dir, IEnumerable<Passage> passages, Func<string, string> titleOf, string label, TimeProvider time, Analyzer? analyzer = null, int threads = 0)
    {
        using var buildLock = dir is FSDirectory fs ? AcquireBuildLock(fs.Directory.FullName) : null;
        using var writer = OpenWriter(dir, WriterConfig(OpenMode.CREATE, analyzer));
        var docs = new PassageDocumentWriter();
        var count = 0;
        threads = threads <= 0 ? DefaultAnalysisThreads : threads;
        if (analyzer is not null || threads == 1)
        {
            foreach (var p in passages)
            {
                writer.AddDocument(docs.Fill(titleOf(p.DocId), p));
                count++;
            }
        }
        else
        {
            var ours = new KoreanIndexAnalyzer();
            OrderedPipeline.Run(passages, batchSize: 64, threads,
                p => (Passage: p, Analyzed: AnalyzedText.Capture(ours, Fields.Text, p.Text)),
                r =>
                {
                    writer.AddDocument(docs.Fill(titleOf(r.Passage.DocId), r.Passage, r.Analyzed));
                    count++;
                });
        }

        var manifest = new IndexManifest(label, LuceneSettings.AnalysisVersion, count, 0,
            time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        writer.SetCommitData(manifest.ToUserData());
        writer.Commit();
        return manifest;
    }
}
