using System.Threading.Channels;
using Bot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>
/// Runs retrieval on a few dedicated background threads (<see cref="DiscordOptions.MaxConcurrentQuestions"/>), away
/// from the thread pool. Retrieval is CPU-bound and the Core handler may be synchronous inside; on a small machine a
/// burst of questions on pool threads would starve the I/O continuations that send the defers and heartbeats. Here
/// acknowledgements never wait on retrieval: they run on the pool, retrieval queues here. The queue is bounded
/// (<see cref="DiscordOptions.MaxQueuedQuestions"/>): when full, <see cref="RunAsync{T}"/> fails at once with
/// <see cref="QueueFullException"/> and the caller answers "busy, try again" instead of the queue growing.
/// </summary>
internal sealed class DiscordWorkLimiter : IDisposable
{
    private readonly Channel<Job> _jobs;
    private readonly int _workers;
    private readonly int _capacity;
    private readonly LogThrottle _busyLog;
    private readonly ILogger<DiscordWorkLimiter> _logger;
    private long _busy;
    private int _started;

    public DiscordWorkLimiter(IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordWorkLimiter> logger)
    {
        _workers = Math.Max(1, options.Value.MaxConcurrentQuestions);
        _capacity = Math.Max(1, options.Value.MaxQueuedQuestions);
        _jobs = Channel.CreateBounded<Job>(new BoundedChannelOptions(_capacity) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
        _busyLog = new LogThrottle(time, TimeSpan.FromMinutes(1));
        _logger = logger;
    }

    /// <summary>Questions waiting for a retrieval thread.</summary>
    public int Queued => _jobs.Reader.Count;

    /// <summary>Questions turned away because the queue was full, since start.</summary>
    public long Busy => Interlocked.Read(ref _busy);

    /// <summary>The queue is full: the question was not queued.</summary>
    public sealed class QueueFullException() : Exception("the Discord question queue is full");

    /// <summary>Queues <paramref name="work"/> and completes with its result (or fails at once with <see cref="QueueFullException"/>).</summary>
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        EnsureStarted();
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = new Job(
            () =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    tcs.TrySetCanceled(cancellationToken);
                    return;
                }

                try
                {
                    tcs.TrySetResult(work(cancellationToken).GetAwaiter().GetResult());
                }
                catch (OperationCanceledException ex)
                {
                    tcs.TrySetCanceled(ex.CancellationToken);
                }
                catch (Exception ex)
                {
                    tcs.TrySetException(ex);
                }
            });
        if (!_jobs.Writer.TryWrite(job))
        {
            if (_jobs.Reader.Completion.IsCompleted || Volatile.Read(ref _disposed) == 1)
            {
                tcs.TrySetException(new ObjectDisposedException(nameof(DiscordWorkLimiter)));
            }
            else
            {
                Interlocked.Increment(ref _busy);
                if (_busyLog.TryEnter(out var suppressed))
                {
                    DiscordLog.QueueFull(_logger, _capacity, suppressed);
                }

                tcs.TrySetException(new QueueFullException());
            }
        }

        return tcs.Task;
    }

    private int _disposed;

    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _jobs.Writer.TryComplete();
    }

    private void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        for (var i = 0; i < _workers; i++)
        {
            var thread = new Thread(Work) { IsBackground = true, Name = "discord-retrieval-" + i };
            thread.Start();
        }
    }

    private void Work()
    {
        var reader = _jobs.Reader;
        while (true)
        {
            Job job;
            try
            {
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }

                if (!reader.TryRead(out job!))
                {
                    continue;
                }
            }
            catch (ChannelClosedException)
            {
                return;
            }

            job.Run();
        }
    }

    private sealed record Job(Action Run);
}
