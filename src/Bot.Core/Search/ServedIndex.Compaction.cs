using Bot.Core.Corpus;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Search;

/// <summary>
/// Compaction: after fast updates the index holds deleted documents and re-added articles out of corpus order; a
/// compaction is a full build of the seeds as they are then (<see cref="IndexStore.Build"/>, analysis on every core: on
/// 1,000 articles faster than <see cref="IndexStore.Update"/>'s in-order merge of the kept documents), so that the index
/// and every result are again exactly a full build's. It runs
/// <see cref="IndexOptions.CompactDelay"/> after the first uncompacted update (later updates do not postpone it), on a
/// timer of the <see cref="TimeProvider"/>, under the same gate and build lock as updates; questions keep being
/// answered from the current commit meanwhile.
/// </summary>
public sealed partial class ServedIndex
{
    private ITimer? _compactTimer;

    /// <summary>True while the served commit is a fast update's, not yet compacted.</summary>
    public bool CompactionPending => _manifest is { Compacted: false };

    /// <summary>
    /// Compacts the index now when the last commit is uncompacted (and cancels the pending timer); returns true when it
    /// rewrote the index. Throws like <see cref="EnsureIndex"/> (busy, not writable, unreadable seeds).
    /// </summary>
    public bool Compact()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _dir ??= IndexStore.Open(_index.Path);
            return CompactLocked();
        }
    }

    private bool CompactLocked()
    {
        _compactTimer?.Dispose();
        _compactTimer = null;
        var manifest = IndexStore.ReadManifest(_dir!);
        if (manifest is null || manifest.Compacted)
        {
            return false;
        }

        var started = _time.GetTimestamp();
        var corpus = CorpusLoader.Load(_corpus.SeedsPath);
        _manifest = IndexStore.Build(_dir!, corpus, _time); // parallel; faster than merging the kept documents in order (IndexStore.Update)
        ServeCurrentCommit();
        LogCompacted(_logger, _manifest.Passages, _manifest.Articles, _time.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    /// <summary>Arms the compaction timer unless it is already armed (the delay runs from the first uncompacted update).</summary>
    private void ScheduleCompaction()
    {
        if (_compactTimer is null && !_disposed)
        {
            _compactTimer = _time.CreateTimer(_ => CompactInBackground(), null, _index.CompactDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void CompactInBackground()
    {
        try
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    CompactLocked();
                }
            }
        }
        catch (Exception ex) when (ex is CorpusException or IOException or UnauthorizedAccessException or Lucene.Net.Store.LockObtainFailedException)
        {
            LogCompactFailed(_logger, ex.Message);
            lock (_gate)
            {
                ScheduleCompaction(); // retried a delay later; the served commit stays as it is meanwhile
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Index compacted: {Passages} passages from {Articles} articles in {Millis:F0} ms")]
    private static partial void LogCompacted(ILogger logger, int passages, int articles, double millis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index compaction failed, will retry: {Reason}")]
    private static partial void LogCompactFailed(ILogger logger, string reason);
}
