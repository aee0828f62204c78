using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>
/// Runs retrieval on a few dedicated background threads (<see cref="DiscordOptions.MaxConcurrentQuestions"/>), away
/// from the thread pool. Retrieval is CPU-bound and the Core handler may be synchronous inside; on a small machine a
/// burst of questions on pool threads would starve the I/O continuations that send the defers and heartbeats. Here
/// acknowledgements never wait on retrieval: they run on the pool, retrieval queues here.
/// </summary>
internal sealed class DiscordWorkLimiter : IDisposable
{
    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = false });
    private readonly int _workers;
    private int _started;

    public DiscordWorkLimiter(IOptions<DiscordOptions> options) => _workers = Math.Max(1, options.Value.MaxConcurrentQuestions);

    /// <summary>Queues <paramref name="work"/> and completes with its result.</summary>
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
            tcs.TrySetException(new ObjectDisposedException(nameof(DiscordWorkLimiter)));
        }

        return tcs.Task;
    }

    public void Dispose() => _jobs.Writer.TryComplete();

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
