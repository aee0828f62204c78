using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Digests;

/// <summary>
/// Every Corpus:WatchInterval (and once at start-up) checks seeds/: when a file was added, edited or removed,
/// <see cref="SearchEngine.RefreshIfSeedsChanged"/> re-indexes only the changed articles (one commit; questions are
/// answered from the new text as soon as it returns, readers in flight keep the old commit) and the article snapshots
/// record what changed, so the next digest lists it. A failed check (an unreadable file, a busy or unwritable index)
/// changes nothing and is retried at the next interval.
/// </summary>
public sealed partial class CorpusWatcher : BackgroundService
{
    private readonly SearchEngine _engine;
    private readonly ArticleSnapshotStore _snapshots;
    private readonly CorpusOptions _corpus;
    private readonly TimeProvider _time;
    private readonly ILogger<CorpusWatcher> _logger;
    private readonly Lock _gate = new();
    private string? _syncedHash;
    private int _checks;
    private int _armed;

    public CorpusWatcher(SearchEngine engine, ArticleSnapshotStore snapshots, IOptions<CorpusOptions> corpus, TimeProvider time, ILogger<CorpusWatcher> logger)
    {
        _engine = engine;
        _snapshots = snapshots;
        _corpus = corpus.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many checks have completed (health reports and tests).</summary>
    public int Checks => Volatile.Read(ref _checks);

    /// <summary>How many times the interval timer has been armed (tests driving a fake clock wait for this).</summary>
    public int Armed => Volatile.Read(ref _armed);

    /// <summary>Re-indexes when seeds/ changed and updates the snapshots; returns what changed, or null when nothing did.</summary>
    public SnapshotChanges? CheckNow()
    {
        lock (_gate)
        {
            var rebuilt = _engine.RefreshIfSeedsChanged();
            var hash = _engine.Manifest?.SeedsHash;
            if (!rebuilt && hash is not null && hash == _syncedHash)
            {
                return null;
            }

            var corpus = CorpusLoader.Load(_corpus.SeedsPath);
            var changes = _snapshots.Sync(corpus.Articles);
            _syncedHash = corpus.SeedsHash;
            foreach (var skipped in corpus.Skipped ?? [])
            {
                LogSkipped(_logger, skipped);
            }

            if (changes.Added + changes.Changed + changes.Removed > 0)
            {
                LogChanged(_logger, changes.Added, changes.Changed, changes.Removed, rebuilt);
            }

            return changes;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Check();
        var interval = _corpus.WatchInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = Task.Delay(interval, _time, stoppingToken);
            Interlocked.Increment(ref _armed);
            try
            {
                await delay.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Check();
        }
    }

    private void Check()
    {
        try
        {
            CheckNow();
        }
        catch (Exception ex) when (ex is CorpusException or IOException or UnauthorizedAccessException or StorageException or Lucene.Net.Store.LockObtainFailedException)
        {
            LogCheckFailed(_logger, ex.Message);
        }
        finally
        {
            Interlocked.Increment(ref _checks);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "seeds/ changed: {Added} added, {Changed} changed, {Removed} removed (re-indexed: {Rebuilt})")]
    private static partial void LogChanged(ILogger logger, int added, int changed, int removed, bool rebuilt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Seed file skipped, not indexed: {FileAndReason}")]
    private static partial void LogSkipped(ILogger logger, string fileAndReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking seeds/ failed, will retry: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);
}
