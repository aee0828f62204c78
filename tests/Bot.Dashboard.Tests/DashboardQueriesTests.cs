using Bot.Core.Answers;
using Bot.Core.Storage;
using Bot.Dashboard.Data;
using Bot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Dashboard.Tests;

public sealed class DashboardQueriesTests : IDisposable
{
    private readonly TempDir _dir = RepoPaths.NewTempDir("bot-dashboard-queries");

    [Fact]
    public void Totals_CountOnlyNewRowsEachScrape_AndNeverGoDownWhenThePurgeDeletes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var db = new BotDatabase(Options.Create(new StorageOptions { Path = Path.Combine(_dir.Path, "bot.db"), QueryLogDays = 1 }), NullLogger<BotDatabase>.Instance);
        db.Initialize();
        var log = new QueryLogStore(db, clock, NullLogger<QueryLogStore>.Instance);
        var queries = new DashboardQueries(db, clock);
        void Add(AnswerStatus status, double latency) =>
            log.Insert(new QueryLogEntry(clock.GetUtcNow(), "slack", "", "ask", "질문", status, null, null, null) { LatencyMs = latency });
        long Count(MetricTotals t, string outcome) => t.Questions.Where(q => q.Outcome == outcome).Sum(q => q.Count);

        Add(AnswerStatus.Answered, 3);
        Add(AnswerStatus.NotFound, 40);
        var first = queries.Totals();
        Assert.Equal(1, Count(first, "answered"));
        Assert.Equal(1, Count(first, "declined"));
        Assert.Equal(2, first.LatencyCount);

        clock.Advance(TimeSpan.FromDays(2));
        Add(AnswerStatus.Answered, 7);
        Assert.Equal(2, log.Purge()); // the two old rows go
        var second = queries.Totals();
        Assert.Equal(2, Count(second, "answered"));
        Assert.Equal(1, Count(second, "declined"));
        Assert.Equal(3, second.LatencyCount);
        Assert.Equal(2, second.LatencyBuckets.Single(b => b.UpperMs == 10).Count); // 3 ms and 7 ms
        Assert.Equal(0.050, second.LatencySumSeconds, 6);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
