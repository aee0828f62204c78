using System.Collections.Concurrent;
using Bot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Digests;

/// <summary>
/// Fires each schedule's ticks on the injected clock and hands them to <see cref="DigestRunner"/>.
/// <list type="bullet">
/// <item>At start-up, runs left as intents by a crash become "unknown" and are not re-posted (<see cref="DigestRunStore.RecoverInterrupted"/>).</item>
/// <item>Downtime: of the ticks missed since the schedule's last recorded tick (the oldest over its targets), only the
/// latest is run (one catch-up digest covering the whole gap), then the schedule continues normally. A schedule never
/// run before starts with the first tick after start-up.</item>
/// <item>Each schedule runs in its own loop; a tick that throws is logged and the loop goes on.</item>
/// </list>
/// </summary>
public sealed partial class DigestScheduler : BackgroundService
{
    private readonly DigestRunner _runner;
    private readonly DigestRunStore _runs;
    private readonly TimeProvider _time;
    private readonly ILogger<DigestScheduler> _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _waiting = new(StringComparer.Ordinal);
    private DateTimeOffset _startedAt;

    public DigestScheduler(DigestRunner runner, DigestRunStore runs, TimeProvider time, ILogger<DigestScheduler> logger)
    {
        _runner = runner;
        _runs = runs;
        _time = time;
        _logger = logger;
    }

    /// <summary>Longest single sleep before the clock is read again.</summary>
    public static TimeSpan MaxSleep { get; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The tick each schedule is waiting for, set once its timer is armed (health reports; tests driving a fake clock wait
    /// for this before advancing it).
    /// </summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Waiting => _waiting;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _startedAt = _time.GetUtcNow();
        foreach (var run in _runs.RecoverInterrupted())
        {
            LogRecovered(_logger, run.Schedule, run.Tick, run.Target.ToString());
        }

        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_runner.Schedules.Select(s => RunScheduleAsync(s, stoppingToken)));

    private async Task RunScheduleAsync(DigestSchedule schedule, CancellationToken ct)
    {
        DateTimeOffset anchor;
        try
        {
            anchor = Anchor(schedule);
        }
        catch (StorageException ex)
        {
            LogStorage(_logger, schedule.Name, ex.Message);
            anchor = _startedAt;
        }

        while (!ct.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            if (schedule.LatestDue(anchor, now) is { } due)
            {
                if (due < now - TimeSpan.FromMinutes(1))
                {
                    LogCatchUp(_logger, schedule.Name, due);
                }

                try
                {
                    await _runner.RunTickAsync(schedule, due, DigestRunStore.TriggerSchedule, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    LogTickFailed(_logger, ex, schedule.Name, due);
                }

                anchor = due;
                continue;
            }

            var next = schedule.NextTick(anchor > now ? anchor : now);
            if (next is null)
            {
                LogNeverAgain(_logger, schedule.Name);
                _waiting.TryRemove(schedule.Name, out _);
                return;
            }

            // Sleep at most MaxSleep at a time and re-read the clock, so a wall-clock change or a suspended machine delays a
            // tick by minutes, not by a whole period. Arm the timer before publishing what we wait for, so a test that
            // advances the fake clock cannot slip in between.
            var wait = next.Value - now;
            var delay = Task.Delay(wait < MaxSleep ? wait : MaxSleep, _time, ct);
            _waiting[schedule.Name] = next.Value;
            try
            {
                await delay.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Where catching up starts: the oldest of the targets' last recorded ticks (a process that died between two targets
    /// left one without a row for the last tick; that tick is then run again and only the missing target posts). A target
    /// with no rows at all (newly added) counts as up to date with the schedule. A schedule never run starts now.
    /// </summary>
    private DateTimeOffset Anchor(DigestSchedule schedule)
    {
        if (_runs.LastTick(schedule.Name) is not { } last)
        {
            return _startedAt;
        }

        var anchor = last;
        foreach (var target in schedule.Targets)
        {
            if (_runs.LastTick(schedule.Name, target) is { } t && t < anchor)
            {
                anchor = t;
            }
        }

        return anchor;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Schedule} tick {Tick:o} to {Target} was interrupted mid-post; marked unknown and not re-posted")]
    private static partial void LogRecovered(ILogger logger, string schedule, DateTimeOffset tick, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {Schedule}: catching up missed ticks with one digest for {Tick:o}")]
    private static partial void LogCatchUp(ILogger logger, string schedule, DateTimeOffset tick);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest {Schedule} tick {Tick:o} failed")]
    private static partial void LogTickFailed(ILogger logger, Exception ex, string schedule, DateTimeOffset tick);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Schedule}: its cron never fires again")]
    private static partial void LogNeverAgain(ILogger logger, string schedule);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest {Schedule}: could not read its last tick: {Reason}")]
    private static partial void LogStorage(ILogger logger, string schedule, string reason);
}
