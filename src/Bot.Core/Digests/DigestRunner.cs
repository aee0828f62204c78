using System.Collections.Concurrent;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Digests;

/// <summary>What happened at one target for one tick.</summary>
public enum TargetOutcome
{
    /// <summary>Posted; the platform returned its message ids.</summary>
    Posted,

    /// <summary>The platform refused (a <see cref="ChatPlatformException"/>); the next tick posts again.</summary>
    Failed,

    /// <summary>Timed out, crashed or was cancelled mid-post: maybe posted, so never re-posted for this tick.</summary>
    Unknown,

    /// <summary>Nothing to say (and Digest:PostWhenEmpty is off); recorded, nothing posted.</summary>
    Empty,

    /// <summary>This (schedule, tick, target) already has a record: nothing was done (exactly once).</summary>
    AlreadyHandled,

    /// <summary>No <see cref="IChatPlatform"/> with the target's platform name is configured; nothing recorded.</summary>
    NotConfigured,
}

public sealed record TargetResult(ChannelRef Target, TargetOutcome Outcome, IReadOnlyList<string> MessageIds, string? Error);

/// <summary>
/// Posts one tick of one schedule to each of its targets, exactly once per (schedule, tick, target):
/// compose → wait for the channel's turn (<see cref="ChannelPacer"/>) → record the intent (unique key; a second caller
/// finds the row and stops) → post through the <see cref="IChatPlatform"/> whose <see cref="IChatPlatform.Name"/> matches →
/// record the result. Targets run independently: one failing or hanging does not hold up the others.
/// <para>Policy for results: a <see cref="ChatPlatformException"/> means the platform refused, so the post is known not to
/// exist: <see cref="DigestRunState.Failed"/>, and the next tick posts again (its period reaches back to the last delivered
/// digest, so nothing is lost). Any other exception, a timeout (Digest:PostTimeout), a shutdown or a crash mid-post
/// (left as an intent, see <see cref="DigestRunStore.RecoverInterrupted"/>) means the post may exist:
/// <see cref="DigestRunState.Unknown"/>, never re-posted for that tick; the next tick still covers the period.</para>
/// </summary>
public sealed partial class DigestRunner
{
    private readonly DigestRunStore _runs;
    private readonly DigestComposer _composer;
    private readonly IReadOnlyList<IChatPlatform> _platforms;
    private readonly ChannelPacer _pacer;
    private readonly DigestOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DigestRunner> _logger;

    public DigestRunner(DigestRunStore runs, DigestComposer composer, IEnumerable<IChatPlatform> platforms, ChannelPacer pacer,
        IOptions<DigestOptions> options, TimeProvider time, ILogger<DigestRunner> logger)
    {
        _runs = runs;
        _composer = composer;
        _platforms = platforms.ToList();
        _pacer = pacer;
        _options = options.Value;
        _time = time;
        _logger = logger;
        Schedules = DigestSchedule.From(_options);
    }

    /// <summary>The configured schedules, validated.</summary>
    public IReadOnlyList<DigestSchedule> Schedules { get; }

    public IReadOnlyList<IChatPlatform> Platforms => _platforms;

    public DigestOptions Options => _options;

    public DigestSchedule? Find(string name) => Schedules.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Where the digest for <paramref name="target"/> at <paramref name="tick"/> starts: its last delivered digest; if none,
    /// where its first (failed) attempt started; else one period back.
    /// </summary>
    public DateTimeOffset PeriodStart(DigestSchedule schedule, ChannelRef target, DateTimeOffset tick) =>
        _runs.LastDelivered(schedule.Name, target, tick)
        ?? _runs.FirstPeriodStart(schedule.Name, target)
        ?? schedule.Cron.GetPreviousOccurrence(tick, schedule.Zone, inclusive: false)?.ToUniversalTime()
        ?? tick - TimeSpan.FromDays(7);

    /// <summary>Composes what <paramref name="schedule"/> would post at <paramref name="now"/> to its first target (for a preview; nothing is recorded).</summary>
    public Task<DigestContent> PreviewAsync(DigestSchedule schedule, DateTimeOffset now, CancellationToken cancellationToken) =>
        PreviewAsync(schedule, schedule.Targets.Count == 0 ? new ChannelRef("", "") : schedule.Targets[0], now, cancellationToken);

    /// <summary>Composes what <paramref name="schedule"/> would post at <paramref name="now"/> to <paramref name="target"/> (nothing is recorded).</summary>
    public Task<DigestContent> PreviewAsync(DigestSchedule schedule, ChannelRef target, DateTimeOffset now, CancellationToken cancellationToken) =>
        _composer.ComposeAsync(schedule, target, PeriodStart(schedule, target, now), now, cancellationToken);

    /// <summary>Posts <paramref name="schedule"/>'s digest for <paramref name="tick"/> to every target (see the class summary).</summary>
    public async Task<IReadOnlyList<TargetResult>> RunTickAsync(DigestSchedule schedule, DateTimeOffset tick, string trigger, CancellationToken cancellationToken)
    {
        // Each target gets its own digest: the questions it shows are those asked in that channel (privacy), see DigestComposer.
        var contents = new ConcurrentDictionary<(ChannelRef, DateTimeOffset), Lazy<Task<DigestContent>>>();
        Task<DigestContent> Compose(ChannelRef target, DateTimeOffset start) =>
            contents.GetOrAdd((target, start), k => new Lazy<Task<DigestContent>>(() => _composer.ComposeAsync(schedule, k.Item1, k.Item2, tick, cancellationToken))).Value;

        var results = await Task.WhenAll(schedule.Targets.Select(t => RunTargetAsync(schedule, tick, trigger, t, Compose, cancellationToken))).ConfigureAwait(false);
        LogTick(_logger, schedule.Name, tick, string.Join(", ", results.Select(r => $"{r.Target}={r.Outcome}")));
        return results;
    }

    private async Task<TargetResult> RunTargetAsync(DigestSchedule schedule, DateTimeOffset tick, string trigger, ChannelRef target,
        Func<ChannelRef, DateTimeOffset, Task<DigestContent>> compose, CancellationToken ct)
    {
        var platform = _platforms.FirstOrDefault(p => string.Equals(p.Name, target.Platform, StringComparison.OrdinalIgnoreCase));
        if (platform is null)
        {
            LogNotConfigured(_logger, schedule.Name, target.ToString(), target.Platform);
            return new TargetResult(target, TargetOutcome.NotConfigured, [], $"platform '{target.Platform}' is not configured");
        }

        DigestContent content;
        DateTimeOffset periodStart;
        try
        {
            if (_runs.Exists(schedule.Name, tick, target))
            {
                return new TargetResult(target, TargetOutcome.AlreadyHandled, [], null);
            }

            periodStart = PeriodStart(schedule, target, tick);
            content = await compose(target, periodStart).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was recorded for this target, so a restart retries the tick; the running scheduler retries on the next one.
            LogComposeFailed(_logger, ex, schedule.Name, target.ToString());
            return new TargetResult(target, TargetOutcome.Failed, [], ex.Message);
        }

        if (content.IsEmpty && !_options.PostWhenEmpty)
        {
            var emptyId = _runs.TryBegin(schedule.Name, tick, target, trigger, periodStart);
            if (emptyId is null)
            {
                return new TargetResult(target, TargetOutcome.AlreadyHandled, [], null);
            }

            Record(emptyId.Value, DigestRunState.Empty, null, null);
            return new TargetResult(target, TargetOutcome.Empty, [], null);
        }

        using var turn = await _pacer.WaitTurnAsync(target, ct).ConfigureAwait(false);
        var id = _runs.TryBegin(schedule.Name, tick, target, trigger, periodStart);
        if (id is null)
        {
            return new TargetResult(target, TargetOutcome.AlreadyHandled, [], null);
        }

        using var timeout = new CancellationTokenSource(_options.PostTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var posted = await platform.PostAsync(target, content.Message, linked.Token).ConfigureAwait(false);
            Record(id.Value, DigestRunState.Posted, posted.MessageIds, null);
            LogPosted(_logger, schedule.Name, tick, target.ToString(), posted.MessageIds.Count);
            return new TargetResult(target, TargetOutcome.Posted, posted.MessageIds, null);
        }
        catch (ChatPlatformException ex) when (!ex.MaybePosted)
        {
            var error = string.IsNullOrEmpty(ex.ErrorName) ? ex.Message : $"{ex.ErrorName}: {ex.Message}";
            Record(id.Value, DigestRunState.Failed, null, error);
            LogRefused(_logger, schedule.Name, tick, target.ToString(), error, ex.Permanent);
            return new TargetResult(target, TargetOutcome.Failed, [], error);
        }
        catch (Exception ex)
        {
            var error = ex is OperationCanceledException
                ? ct.IsCancellationRequested ? "shut down while posting" : $"no answer within {_options.PostTimeout}"
                : $"{ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
            Record(id.Value, DigestRunState.Unknown, null, error);
            LogUnknown(_logger, schedule.Name, tick, target.ToString(), error);
            if (ct.IsCancellationRequested)
            {
                throw;
            }

            return new TargetResult(target, TargetOutcome.Unknown, [], error);
        }
    }

    private void Record(long id, DigestRunState state, IReadOnlyList<string>? messageIds, string? error)
    {
        try
        {
            _runs.Complete(id, state, messageIds, error);
        }
        catch (StorageException ex)
        {
            // The row stays an intent; start-up recovery turns it into "unknown", so it is still never posted twice.
            LogRecordFailed(_logger, id, state.ToString(), ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {Schedule} tick {Tick:o}: {Outcomes}")]
    private static partial void LogTick(ILogger logger, string schedule, DateTimeOffset tick, string outcomes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest {Schedule} tick {Tick:o} posted to {Target} ({Messages} messages)")]
    private static partial void LogPosted(ILogger logger, string schedule, DateTimeOffset tick, string target, int messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Schedule}: target {Target} skipped, platform {Platform} is not configured")]
    private static partial void LogNotConfigured(ILogger logger, string schedule, string target, string platform);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest {Schedule}: composing for {Target} failed")]
    private static partial void LogComposeFailed(ILogger logger, Exception ex, string schedule, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Schedule} tick {Tick:o} refused by {Target}: {Error} (permanent: {Permanent}); the next tick posts again")]
    private static partial void LogRefused(ILogger logger, string schedule, DateTimeOffset tick, string target, string error, bool permanent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest {Schedule} tick {Tick:o} to {Target} has an unknown outcome ({Error}); not re-posted for this tick")]
    private static partial void LogUnknown(ILogger logger, string schedule, DateTimeOffset tick, string target, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest run {RunId}: could not record {State}: {Reason}")]
    private static partial void LogRecordFailed(ILogger logger, long runId, string state, string reason);
}
