using System.Collections.Concurrent;
using System.Diagnostics;
using Bot.Core.Answers;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Storage;

/// <summary>The query log under the load of busy chat channels: concurrent writers plus a digest reading.</summary>
public sealed class StorageLoadTests(ITestOutputHelper output) : StorageTestBase
{
    [Fact]
    public async Task QueryLog_FourWritersAndADigestReader_NoWriteFailsOrHitsTheBusyTimeout()
    {
        const int writers = 4;
        const int perWriter = 250;
        var busy = TimeSpan.FromSeconds(2);
        var log = new QueryLogStore(NewDatabase(busy: busy), Time, NullLogger<QueryLogStore>.Instance);
        log.Purge();
        var latencies = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                log.TopAnswered(Channel, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 5);
                log.Unanswered(Channel, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10);
                reads++;
            }
        });
        var started = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            var mine = new QueryLogStore(NewDatabase(busy: busy), Time, NullLogger<QueryLogStore>.Instance);
            for (var i = 0; i < perWriter; i++)
            {
                var sw = Stopwatch.StartNew();
                mine.Insert(new QueryLogEntry(Time.GetUtcNow(), "discord", "ch", "ask", $"딥시크 질문 {i % 40}번은 무엇인가요?",
                    i % 5 == 0 ? AnswerStatus.NotFound : AnswerStatus.Answered, null, "000_x", 1) { InChannel = true });
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }
        })));
        var elapsed = started.Elapsed;
        await stop.CancelAsync();
        await reader;

        var sorted = latencies.Order().ToList();
        double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        output.WriteLine($"query-log insert, {writers} writers x {perWriter} + 1 reader ({reads} digest reads): p50 {P(0.5):F2} ms, p99 {P(0.99):F2} ms, max {sorted[^1]:F2} ms, {writers * perWriter / elapsed.TotalSeconds:F0} inserts/s");
        Assert.Equal(writers * perWriter, log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).Count);
        Assert.True(sorted[^1] < busy.TotalMilliseconds, $"a write waited {sorted[^1]:F0} ms");
        Assert.Equal(32, log.TopAnswered(Channel, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 5).TotalDistinct);
        Assert.Equal(8, log.Unanswered(Channel, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 5).TotalDistinct);
    }

    private static readonly Bot.Core.Chat.ChannelRef Channel = new("discord", "ch");
}
