using Bot.Core.Commands;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Chat;

/// <summary>
/// The replies an adapter has started and not finished (answers, button clicks, warm-up), so that a stop can give them
/// a budget: <see cref="Track"/> starts one with <see cref="Stopping"/> as its token and counts it; <see cref="DrainAsync"/>
/// closes the intake, waits for them until the budget runs out, then says how many were abandoned, cancels
/// <see cref="Stopping"/> and waits a short grace for them to unwind. A reply that fails is logged, never thrown.
/// </summary>
public sealed partial class InFlightReplies : IDisposable
{
    /// <summary>How long the cancelled replies get to unwind after the budget ran out.</summary>
    public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    /// <summary>This instance's grace: <see cref="CancelGrace"/>; a test may set a shorter one so as not to wait it out.</summary>
    internal TimeSpan Grace { get; init; } = CancelGrace;

    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _platform;
    private bool _closed;
    private int _count;

    /// <param name="platform">The platform's name as it starts a log line ("Discord", "Slack").</param>
    public InFlightReplies(string platform, TimeProvider time, ILogger logger)
    {
        _platform = platform;
        _time = time;
        _logger = logger;
    }

    /// <summary>Replies started and not yet finished.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The token every tracked reply runs with: cancelled once the drain budget has run out.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// Starts one reply (<paramref name="start"/> runs synchronously, so a question reaches Core's executor before this
    /// returns) and tracks it until it ends. Returns false, and tracks nothing, when Core turned the question away at
    /// once because its queue is full (the reply has then already failed with <see cref="QuestionsBusyException"/>).
    /// After <see cref="DrainAsync"/> began nothing new is started: that is logged as a failure of <paramref name="kind"/>.
    /// </summary>
    public bool Track(string kind, Func<CancellationToken, Task> start)
    {
        lock (_gate)
        {
            if (_closed)
            {
                LogFailed(_logger, _platform, kind, new InvalidOperationException($"the {_platform} adapter is stopping"));
                return true;
            }

            Interlocked.Increment(ref _count);
        }

        Task reply;
        try
        {
            reply = start(_stopping.Token);
        }
        catch (Exception ex)
        {
            reply = Task.FromException(ex);
        }

        if (reply.IsFaulted && reply.Exception!.InnerException is QuestionsBusyException)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        var observed = ObserveAsync(kind, reply);
        lock (_gate)
        {
            _running.Add(observed);
        }

        _ = observed.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _running.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        return true;
    }

    /// <summary>
    /// Stops the intake and waits for the running replies up to <paramref name="budget"/>; past it, logs how many were
    /// abandoned, cancels <see cref="Stopping"/> and waits at most <see cref="CancelGrace"/> (<see cref="Grace"/>) more. Returns the number
    /// abandoned (0 when all finished in time). Never throws; a second call only waits again.
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan budget)
    {
        lock (_gate)
        {
            _closed = true;
        }

        var deadline = _time.GetUtcNow() + budget;
        while (Snapshot() is { Length: > 0 } pending)
        {
            var left = deadline - _time.GetUtcNow();
            try
            {
                // a reply whose start raced the close joins the next round, within the same budget
                await Task.WhenAll(pending).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        var abandoned = Snapshot();
        if (abandoned.Length == 0)
        {
            return 0;
        }

        LogAbandoned(_logger, _platform, abandoned.Length);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            // real time: the grace is a guard against a reply that ignores its token, whatever clock the budget runs on
            await Task.WhenAll(abandoned).WaitAsync(Grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return abandoned.Length;
    }

    public void Dispose() => _stopping.Dispose();

    private Task[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _running.Where(t => !t.IsCompleted)];
        }
    }

    /// <summary>Awaits one reply: a failure is logged (a cancellation after the budget ran out is not); counted out when done.</summary>
    private async Task ObserveAsync(string kind, Task reply)
    {
        try
        {
            await reply.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(_logger, _platform, kind, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _count);
        }
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Error, Message = "{Platform} handling of {Kind} failed")]
    private static partial void LogFailed(ILogger logger, string platform, string kind, Exception exception);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning,
        Message = "{Platform} shutdown: {Count} answers abandoned (queued or still running when the shutdown budget ran out); cancelled")]
    private static partial void LogAbandoned(ILogger logger, string platform, int count);
}
