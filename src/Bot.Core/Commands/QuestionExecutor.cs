using System.Threading.Channels;
using Bot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Commands;

/// <summary>
/// Runs retrieval on a few dedicated threads (<see cref="QuestionExecutorOptions.MaxConcurrentQuestions"/>), shared by
/// every platform, away from the thread pool. Retrieval is CPU-bound; on a small machine a burst of questions on pool
/// threads would starve the I/O continuations that acknowledge interactions and envelopes and keep heartbeats going.
/// The queue is bounded (<see cref="QuestionExecutorOptions.MaxQueuedQuestions"/>): when full, <see cref="RunAsync{T}"/>
/// returns a task that has already failed with <see cref="QuestionsBusyException"/>, so a caller can tell at once (a
/// Slack slash command says so in its ack) and the queue never grows.
/// </summary>
public sealed partial class QuestionExecutor : IDisposable
{
    /// <summary>Event id of the (throttled) "question work queue full" warning.</summary>
    public const int QueueFullEventId = 301;

    private readonly Channel<Job> _jobs;
    private readonly int _workers;
    private readonly int _capacity;
    private readonly LogThrottle _busyLog;
    private readonly ILogger _logger;
    private long _busy;
    private int _started;
    private int _disposed;

    public QuestionExecutor(IOptions<QuestionExecutorOptions> options, TimeProvider time, ILogger<QuestionExecutor>? logger = null)
    {
        _workers = Math.Max(1, options.Value.MaxConcurrentQuestions);
        _capacity = Math.Max(1, options.Value.MaxQueuedQuestions);
        _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(_capacity) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
        _busyLog = new LogThrottle(time, TimeSpan.FromMinutes(1));
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Dedicated retrieval threads.</summary>
    public int Workers => _workers;

    /// <summary>Questions waiting for a retrieval thread.</summary>
    public int Queued => _jobs.Reader.Count;

    /// <summary>Questions turned away because the queue was full, since start.</summary>
    public long Busy => Interlocked.Read(ref _busy);

    /// <summary>
    /// Queues <paramref name="work"/> and completes with its result when a retrieval thread has run it; fails at once
    /// with <see cref="QuestionsBusyException"/> when the queue is full. A cancelled token completes the task as
    /// cancelled at once; the queued work is then skipped.
    /// </summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        EnsureStarted();
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.Register(static s => ((TaskCompletionSource<T>)s!).TrySetCanceled(), tcs)
            : default;
        var job = new Job(() =>
        {
            using (registration)
            {
                if (tcs.Task.IsCompleted)
                {
                    return; // cancelled while it waited
                }

                try
                {
                    tcs.TrySetResult(work(cancellationToken));
                }
                catch (OperationCanceledException ex)
                {
                    tcs.TrySetCanceled(ex.CancellationToken);
                }
                catch (Exception ex)
                {
                    tcs.TrySetException(ex);
                }
            }
        });
        if (_jobs.Writer.TryWrite(job))
        {
            return tcs.Task;
        }

        registration.Dispose();
        if (Volatile.Read(ref _disposed) == 1)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(QuestionExecutor)));
        }

        Interlocked.Increment(ref _busy);
        if (_busyLog.TryEnter(out var suppressed))
        {
            LogQueueFull(_logger, _capacity, suppressed);
        }

        return Task.FromException<T>(new QuestionsBusyException());
    }

    /// <summary>Stops intake; questions already queued still run (their callers are draining them).</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _jobs.Writer.TryComplete();
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _started) == 1 || Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        for (var i = 0; i < _workers; i++)
        {
            new Thread(Work) { IsBackground = true, Name = "retrieval-" + i }.Start();
        }
    }

    /// <summary>A dedicated retrieval thread: waiting here is this thread's job.</summary>
    private void Work()
    {
        var reader = _jobs.Reader;
        try
        {
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var job))
                {
                    job.Run();
                }
            }
        }
        catch (ChannelClosedException)
        {
        }
    }

    private sealed record Job(Action Run);

    [LoggerMessage(EventId = QueueFullEventId, Level = LogLevel.Warning,
        Message = "Question work queue full ({Capacity} waiting): a question was answered 'busy, try again'; {Suppressed} more since the last such line")]
    private static partial void LogQueueFull(ILogger logger, int capacity, int suppressed);
}
