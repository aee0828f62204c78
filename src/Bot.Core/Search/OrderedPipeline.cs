using System.Threading.Channels;

namespace Bot.Core.Search;

/// <summary>
/// Producer, workers, consumer: one thread reads <c>source</c> into batches, <c>workers</c> threads transform the
/// batches, and the calling thread consumes the results in source order. At most <c>inFlight</c> batches exist at once,
/// so memory stays bounded however fast the source is. The first exception (source, work or consume) stops every stage
/// and is rethrown on the calling thread once all of them have stopped.
/// </summary>
internal static class OrderedPipeline
{
    public static void Run<TIn, TOut>(IEnumerable<TIn> source, int batchSize, int workers, Func<TIn, TOut> work, Action<TOut> consume, int inFlight = 0)
    {
        workers = Math.Max(1, workers);
        inFlight = inFlight > 0 ? inFlight : workers * 4;
        using var cts = new CancellationTokenSource();
        using var tickets = new SemaphoreSlim(inFlight, inFlight);
        var ct = cts.Token;
        var pending = Channel.CreateUnbounded<(List<TIn> Batch, TaskCompletionSource<TOut[]> Done)>(new UnboundedChannelOptions { SingleWriter = true });
        var order = Channel.CreateUnbounded<Task<TOut[]>>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });

        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                var batch = new List<TIn>(batchSize);
                foreach (var item in source)
                {
                    batch.Add(item);
                    if (batch.Count == batchSize)
                    {
                        Emit(batch);
                        batch = new List<TIn>(batchSize);
                    }
                }

                if (batch.Count > 0)
                {
                    Emit(batch);
                }

                order.Writer.Complete();
            }
            catch (Exception ex)
            {
                order.Writer.Complete(ex);
            }
            finally
            {
                pending.Writer.Complete();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        void Emit(List<TIn> batch)
        {
            tickets.Wait(ct);
            var done = new TaskCompletionSource<TOut[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            order.Writer.TryWrite(done.Task);
            pending.Writer.TryWrite((batch, done));
        }

        var stages = new Task[workers + 1];
        stages[0] = producer;
        for (var w = 1; w <= workers; w++)
        {
            stages[w] = Task.Factory.StartNew(() =>
            {
                while (pending.Reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
                {
                    while (pending.Reader.TryRead(out var job))
                    {
                        if (ct.IsCancellationRequested)
                        {
                            job.Done.TrySetCanceled(ct);
                            continue;
                        }

                        try
                        {
                            var results = new TOut[job.Batch.Count];
                            for (var i = 0; i < results.Length; i++)
                            {
                                results[i] = work(job.Batch[i]);
                            }

                            job.Done.TrySetResult(results);
                        }
                        catch (Exception ex)
                        {
                            job.Done.TrySetException(ex);
                        }
                    }
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        try
        {
            while (order.Reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                while (order.Reader.TryRead(out var next))
                {
                    foreach (var result in next.GetAwaiter().GetResult())
                    {
                        consume(result);
                    }

                    tickets.Release();
                }
            }
        }
        catch
        {
            cts.Cancel();
            WaitQuietly(stages);
            throw;
        }

        Task.WaitAll(stages);
    }

    private static void WaitQuietly(Task[] tasks)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            // the first failure is the one rethrown
        }
    }
}
