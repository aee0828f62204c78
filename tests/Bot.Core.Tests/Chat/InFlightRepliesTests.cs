using System.Diagnostics;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.TestSupport;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Tests.ChatKit;

public sealed class InFlightRepliesTests : IDisposable
{
    private readonly LogSink _logs = new();
    private readonly InFlightReplies _replies;

    public InFlightRepliesTests() =>
        _replies = new InFlightReplies("Slack", TimeProvider.System, _logs.CreateLogger("test"));

    public void Dispose()
    {
        _replies.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Track_CountsWhileRunning_DrainWaitsForTheReplyToFinish()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        Assert.True(_replies.Track("event", async _ =>
        {
            await release.Task;
            await Task.Delay(50);
            finished = true;
        }));
        Assert.Equal(1, _replies.Count);

        var draining = _replies.DrainAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(100);
        Assert.False(draining.IsCompleted); // waits on the running reply
        release.SetResult();

        Assert.Equal(0, await draining);
        Assert.True(finished);
        Assert.Equal(0, _replies.Count);
        Assert.False(_replies.Stopping.IsCancellationRequested); // finished in time: nothing was cancelled
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public async Task Drain_PastBudget_LogsAbandoned_CancelsToken_ReturnsSoon()
    {
        var sawCancel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies.Track("event", async ct =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }
            finally
            {
                sawCancel.TrySetResult();
            }
        });
        var quick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies.Track("command", _ => quick.Task); // finishes in time
        quick.SetResult();

        var clock = Stopwatch.StartNew();
        var abandoned = await _replies.DrainAsync(TimeSpan.FromMilliseconds(300));
        clock.Stop();

        Assert.Equal(1, abandoned);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"returned after {clock.Elapsed}, before the budget");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"returned after {clock.Elapsed}");
        Assert.True(sawCancel.Task.IsCompleted, "the abandoned reply's token was cancelled");
        Assert.Equal(0, _replies.Count);
        var line = Assert.Single(_logs.Entries);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("Slack shutdown: 1 answers abandoned", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_ReplyIgnoringItsToken_GivenUpAfterTheGrace()
    {
        // an instance waits the production grace (InFlightReplies.CancelGrace, 5 s) unless told otherwise; waiting out a
        // shorter one takes the same path
        Assert.Equal(InFlightReplies.CancelGrace, _replies.Grace);
        using var replies = new InFlightReplies("Slack", TimeProvider.System, _logs.CreateLogger("test")) { Grace = TimeSpan.FromMilliseconds(300) };
        var never = new TaskCompletionSource();
        replies.Track("event", _ => never.Task);
        var clock = Stopwatch.StartNew();
        Assert.Equal(1, await replies.DrainAsync(TimeSpan.FromMilliseconds(100)));
        Assert.True(clock.Elapsed < replies.Grace + TimeSpan.FromSeconds(2), $"returned after {clock.Elapsed}");
        Assert.Equal(1, replies.Count); // still running: counted, not forgotten
        never.SetResult();
    }

    [Fact]
    public async Task Track_FaultedReply_LoggedWithItsKind_NotThrown()
    {
        Assert.True(_replies.Track("feedback", async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("post refused");
        }));
        Assert.True(_replies.Track("shortcut", _ => throw new IOException("start threw")));

        Assert.Equal(0, await _replies.DrainAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, _replies.Count);
        var failures = _logs.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, e => e.Message == "Slack handling of feedback failed" && e.Exception is InvalidOperationException);
        Assert.Contains(failures, e => e.Message == "Slack handling of shortcut failed" && e.Exception is IOException);
    }

    [Fact]
    public async Task Track_QuestionQueueFull_ReturnsFalse_TracksNothing()
    {
        Assert.False(_replies.Track("command", _ => Task.FromException(new QuestionsBusyException())));
        Assert.Equal(0, _replies.Count);
        Assert.Equal(0, await _replies.DrainAsync(TimeSpan.FromSeconds(1)));
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public async Task Track_AfterDrainBegan_StartsNothing_LogsOneLine()
    {
        await _replies.DrainAsync(TimeSpan.FromSeconds(1));
        var started = false;
        _replies.Track("event", _ =>
        {
            started = true;
            return Task.CompletedTask;
        });
        Assert.False(started);
        Assert.Equal(0, _replies.Count);
        Assert.Contains("Slack handling of event failed", Assert.Single(_logs.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drain_ManyConcurrentReplies_AllCountedAndAwaited()
    {
        var done = 0;
        var starts = Enumerable.Range(0, 200).Select(i => Task.Run(() => _replies.Track("event", async _ =>
        {
            await Task.Delay(i % 20);
            Interlocked.Increment(ref done);
        })));
        await Task.WhenAll(starts);
        Assert.Equal(0, await _replies.DrainAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(200, Volatile.Read(ref done));
        Assert.Equal(0, _replies.Count);
    }
}
