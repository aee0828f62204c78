using Bot.Core;
using Bot.Core.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Commands;

public sealed class QuestionExecutorTests
{
    private static QuestionExecutor Create(int workers, int queued) =>
        new(Options.Create(new QuestionExecutorOptions { MaxConcurrentQuestions = workers, MaxQueuedQuestions = queued }), TimeProvider.System);

    [Fact]
    public void Defaults_CoresMinusOne_Queue1000_BoundFromRetrievalSection()
    {
        var defaults = new QuestionExecutorOptions();
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), defaults.MaxConcurrentQuestions);
        Assert.Equal(1000, defaults.MaxQueuedQuestions);

        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Retrieval:MaxConcurrentQuestions"] = "3",
            ["Retrieval:MaxQueuedQuestions"] = "7",
        }).Build();
        using var sp = new ServiceCollection().AddLogging().AddBotCore(config).BuildServiceProvider();
        var executor = sp.GetRequiredService<QuestionExecutor>();
        Assert.Equal(3, executor.Workers);
        Assert.Same(executor, sp.GetRequiredService<QuestionHandler>().Executor);
    }

    [Fact]
    public async Task RunAsync_RunsOnADedicatedThread_NotThePool()
    {
        using var executor = Create(1, 10);
        var (pool, name) = await executor.RunAsync(_ => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), CancellationToken.None);
        Assert.False(pool);
        Assert.Equal("retrieval-0", name);
    }

    [Fact]
    public async Task FullQueue_FailsAtOnceWithBusy_QueuedWorkStillRuns()
    {
        using var executor = Create(1, 1);
        using var gate = new ManualResetEventSlim();
        var first = HoldTheOnlyThread(executor, gate);
        var second = executor.RunAsync(_ => 2, CancellationToken.None);
        Assert.Equal(1, executor.Queued);

        var third = executor.RunAsync(_ => 3, CancellationToken.None);
        Assert.True(third.IsFaulted);
        Assert.IsType<QuestionsBusyException>(third.Exception!.InnerException);
        Assert.Equal(1, executor.Busy);

        gate.Set();
        Assert.Equal(1, await first);
        Assert.Equal(2, await second);
    }

    [Fact]
    public async Task Cancelled_WhileQueued_CompletesAtOnce_WorkSkipped()
    {
        using var executor = Create(1, 10);
        using var gate = new ManualResetEventSlim();
        var first = HoldTheOnlyThread(executor, gate);
        using var cts = new CancellationTokenSource();
        var ran = 0;
        var queued = executor.RunAsync(_ => Interlocked.Increment(ref ran), cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);

        gate.Set();
        Assert.Equal(1, await first);
        await executor.RunAsync(_ => 0, CancellationToken.None);
        Assert.Equal(0, Volatile.Read(ref ran));
    }

    /// <summary>Occupies the executor's one thread until <paramref name="gate"/> is set; returns once it runs.</summary>
    private static Task<int> HoldTheOnlyThread(QuestionExecutor executor, ManualResetEventSlim gate)
    {
        using var running = new ManualResetEventSlim();
        var first = executor.RunAsync(_ =>
        {
            running.Set();
            gate.Wait();
            return 1;
        }, CancellationToken.None);
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)));
        return first;
    }
}
