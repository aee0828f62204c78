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
    /// Threads of a full build (default: one per core), each writing whole segments (see <see cref="WriteSegments"/>), so the
    /// index is the same document for document as one written by a single writer; 1 means exactly that.
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
    /// <param name="segmentPassages">Passages per segment one thread writes (default <see cref="SegmentPassages"/>).</param>
    public static IndexManifest Build(LuceneDirectory dir, CorpusSnapshot corpus, TimeProvider time, Action<int, int>? progress = null, int threads = 0, int segmentPassages = SegmentPassages)
    {
        using var buildLock = dir is FSDirectory fs ? AcquireBuildLock(fs.Directory.FullName) : null;
        if (dir is FSDirectory && DirectoryReader.IndexExists(dir) && ReadManifest(dir) is null)
        {
            DeleteIndexFiles(dir);
        }

        if (dir is FSDirectory scratchParent)
        {
            DeleteScratch(null, scratchParent.Directory.FullName); // a crashed parallel build's segments
        }

        var total = corpus.PassageCount;
        using var workerDocs = new ThreadLocal<PassageDocumentWriter>(() => new PassageDocumentWriter());
        using var writer = OpenWriter(dir, OrderedMerges(WriterConfig(OpenMode.CREATE)));
        try
        {
            var docs = new PassageDocumentWriter();
            var written = 0;
            void Write(Article article)
            {
                writer.AddDocument(ArticleDocument(article));
                for (var i = 0; i < article.Passages.Count; i++)
                {
                    writer.AddDocument(docs.Fill(article.Title, article.Passages[i]));
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
                    Write(article);
                }
            }
            else
            {
                WriteSegments(dir, writer, Batches(corpus.Articles, a => a.Passages.Count, BalancedBatch(total, threads, segmentPassages)), threads, (w, a) =>
                {
                    var docs = workerDocs.Value!;
                    w.AddDocument(ArticleDocument(a));
                    foreach (var p in a.Passages)
                    {
                        w.AddDocument(docs.Fill(a.Title, p));
                    }

                    return a.Passages.Count;
                }, n =>
                {
                    written += n;
                    progress?.Invoke(written, total);
                });
            }

            var manifest = new IndexManifest(corpus.SeedsHash, LuceneSettings.AnalysisVersion, total, corpus.Articles.Count,
                time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), corpus.Skipped, corpus.Files);
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
    /// <param name="expectedPassages">The number of passages when known in advance (0: unknown), to balance the batches
    /// across threads (see <see cref="BalancedBatch"/>); a collection's own count is used when it has one.</param>
    public static IndexManifest BuildFromPassages(LuceneDirectory dir, IEnumerable<Passage> passages, Func<string, string> titleOf, string label, TimeProvider time, Analyzer? analyzer = null, int threads = 0, int segmentPassages = SegmentPassages, int expectedPassages = 0)
    {
        using var buildLock = dir is FSDirectory fs ? AcquireBuildLock(fs.Directory.FullName) : null;
        if (dir is FSDirectory scratchParent)
        {
            DeleteScratch(null, scratchParent.Directory.FullName); // a crashed parallel build's segments
        }

        using var writer = OpenWriter(dir, analyzer is null ? OrderedMerges(WriterConfig(OpenMode.CREATE)) : WriterConfig(OpenMode.CREATE, analyzer));
        using var docs = new ThreadLocal<PassageDocumentWriter>(() => new PassageDocumentWriter());
        var count = 0;
        threads = threads <= 0 ? DefaultAnalysisThreads : threads;
        if (analyzer is not null || threads == 1)
        {
            foreach (var p in passages)
            {
                writer.AddDocument(docs.Value!.Fill(titleOf(p.DocId), p));
                count++;
            }
        }
        else
        {
            var expected = expectedPassages > 0 ? expectedPassages : passages.TryGetNonEnumeratedCount(out var known) ? known : 0;
            WriteSegments(dir, writer, Batches(passages, _ => 1, expected > 0 ? BalancedBatch(expected, threads, segmentPassages) : segmentPassages), threads, (w, p) =>
            {
                w.AddDocument(docs.Value!.Fill(titleOf(p.DocId), p));
                return 1;
            }, n => count += n);
        }

        var manifest = new IndexManifest(label, LuceneSettings.AnalysisVersion, count, 0,
            time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        writer.SetCommitData(manifest.ToUserData());
        writer.Commit();
        return manifest;
    }

    /// <summary>Merges only of adjacent segments, so that documents keep the order they were written in (ties in ranking go by it).</summary>
    private static IndexWriterConfig OrderedMerges(IndexWriterConfig config)
    {
        config.MergePolicy = new LogByteSizeMergePolicy { NoCFSRatio = 0 };
        return config;
    }

    /// <summary>Passages per segment that one thread writes in a parallel full build (large: few segments, no merging).</summary>
    public const int SegmentPassages = 20_000;

    /// <summary>
    /// Passages per batch when the total is known and exceeds one batch: a multiple of the threads' count of equal batches,
    /// about <paramref name="segmentPassages"/> each (never fewer than one per thread), so no thread is left alone with a
    /// last batch while the others idle. 100,000 passages on 2 threads: 4 batches of 25,000 rather than 20,000 × 5, the
    /// fifth on one thread (and one segment fewer to search).
    /// </summary>
    internal static int BalancedBatch(int total, int threads, int segmentPassages)
    {
        if (threads <= 1 || total <= segmentPassages)
        {
            return segmentPassages; // one batch: a small corpus stays one segment
        }

        var batches = Math.Max(threads, total / segmentPassages / threads * threads);
        return (total + batches - 1) / batches;
    }

    /// <summary>Consecutive items, grouped until they hold at least <see cref="SegmentPassages"/> passages.</summary>
    private static IEnumerable<List<T>> Batches<T>(IEnumerable<T> items, Func<T, int> passagesOf, int segmentPassages)
    {
        var batch = new List<T>();
        var passages = 0;
        foreach (var item in items)
        {
            batch.Add(item);
            passages += passagesOf(item);
            if (passages >= segmentPassages)
            {
                yield return batch;
                batch = [];
                passages = 0;
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Each batch is analysed and indexed by a worker thread into a segment of its own (one writer each), and the segments
    /// are added to <paramref name="writer"/> in batch order (files copied, not merged): the index holds the same documents in
    /// the same order as one writer would have written them, with analysis and inversion on every core. A batch's segment
    /// is written to a scratch folder inside <paramref name="dir"/>'s folder when that is on disk (plain file writes: cheaper
    /// than <see cref="RAMDirectory"/>'s locked 1 KB buffers, and no segment held in managed memory), deleted once copied.
    /// <paramref name="write"/> writes one item and returns its passage count; <paramref name="added"/> gets each batch's.
    /// </summary>
    private static void WriteSegments<T>(LuceneDirectory dir, IndexWriter writer, IEnumerable<List<T>> batches, int threads, Func<IndexWriter, T, int> write, Action<int> added)
    {
        var scratch = dir is FSDirectory fs ? System.IO.Path.Combine(fs.Directory.FullName, ScratchPrefix + Guid.NewGuid().ToString("N")) : null;
        var next = 0;
        try
        {
            OrderedPipeline.Run(batches, batchSize: 1, threads, batch =>
            {
                var segment = scratch is null
                    ? (LuceneDirectory)new RAMDirectory()
                    : new SimpleFSDirectory(new DirectoryInfo(System.IO.Path.Combine(scratch, Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture))), NoLockFactory.GetNoLockFactory());
                var config = WriterConfig(OpenMode.CREATE);
                config.MergePolicy = NoMergePolicy.NO_COMPOUND_FILES; // flushed segments stay in write order
                var passages = 0;
                using (var w = new IndexWriter(segment, config))
                {
                    foreach (var item in batch)
                    {
                        passages += write(w, item);
                    }

                    w.Commit();
                }

                return (Segment: segment, Passages: passages);
            }, r =>
            {
                var folder = (r.Segment as FSDirectory)?.Directory;
                using (r.Segment)
                {
                    writer.AddIndexes(r.Segment);
                }

                folder?.Delete(recursive: true);

                added(r.Passages);
            }, inFlight: threads + 1);
        }
        finally
        {
            DeleteScratch(scratch);
        }
    }

    /// <summary>Name prefix of the scratch folders of parallel builds (inside the Lucene folder; Lucene ignores folders).</summary>
    private const string ScratchPrefix = "build-scratch-";

    /// <summary>Deletes a scratch folder (or, with <paramref name="luceneFolder"/>, every one a crashed build left there).</summary>
    private static void DeleteScratch(string? scratch, string? luceneFolder = null)
    {
        var folders = luceneFolder is not null && System.IO.Directory.Exists(luceneFolder)
            ? System.IO.Directory.GetDirectories(luceneFolder, ScratchPrefix + "*")
            : scratch is not null && System.IO.Directory.Exists(scratch) ? [scratch] : [];
        foreach (var folder in folders)
        {
            try
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // left for the next build to remove
            }
        }
    }
}
