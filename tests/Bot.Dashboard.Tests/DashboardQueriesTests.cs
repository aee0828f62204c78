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

    /// <summary>Every read-model query on both providers (the dashboard of replicas reads their shared PostgreSQL).</summary>
    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void ReadModel_SameAnswersOnBothProviders(string provider)
    {
        var options = new StorageOptions { Path = Path.Combine(_dir.Path, provider + ".db"), FeedbackSalt = "a test salt of sixteen+ chars" };
        if (provider == "postgres")
        {
            Skip.IfNot(PostgresServer.Instance.Available, PostgresServer.Instance.Missing);
            options.Provider = StorageOptions.Postgres;
            options.ConnectionString = PostgresServer.Instance.NewSchema("dash");
        }

        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        using var db = new BotDatabase(Options.Create(options), NullLogger<BotDatabase>.Instance);
        var log = new QueryLogStore(db, clock, NullLogger<QueryLogStore>.Instance);
        var votes = new FeedbackStore(db, clock);
        var ids = new List<string>();
        void Add(string platform, string q, AnswerStatus status, double latency)
        {
            var id = AnswerRecord.NewId();
            ids.Add(id);
            log.Insert(new QueryLogEntry(clock.GetUtcNow(), platform, "", "ask", q, status, status == AnswerStatus.Answered ? null : "이유", "002_x", 1)
            { LatencyMs = latency, AnswerId = id });
        }

        Add("slack", "딥시크 창업자는?", AnswerStatus.Answered, 20);
        Add("discord", "딥시크 창업자는", AnswerStatus.Answered, 30);
        Add("slack", "딥시크 본사는?", AnswerStatus.NotFound, 400);
        votes.RecordVote(ids[0], "slack", "U1", up: true);
        votes.RecordVote(ids[1], "discord", "2", up: false);
        new DigestRunStore(db, clock).TryBegin("daily", clock.GetUtcNow(), new Bot.Core.Chat.ChannelRef("slack", "C1"), "schedule", null);

        var queries = new DashboardQueries(db, clock);
        var today = queries.Days(3)[^1];
        Assert.Equal((2, 1, 30.0, 400.0, 1, 1), (today.Answered, today.Declined, today.P50Ms, today.P95Ms, today.Up, today.Down));
        Assert.Equal(["discord", "slack"], queries.Platforms());
        var page = queries.Questions(new QuestionFilter(), 10);
        Assert.Equal(2, page.TotalGroups);
        var top = page.Rows[0];
        Assert.Equal((2, 2, "discord,slack", 1, 1), (top.Count, top.Answered, string.Join(",", top.Platforms.Split(',').Order()), top.Up, top.Down));
        Assert.Equal(["딥시크 본사는?"], queries.Questions(new QuestionFilter(Unanswered: true, Text: "본사"), 10).Rows.Select(r => r.Question));
        Assert.Equal(["딥시크 창업자는"], queries.Questions(new QuestionFilter(RatedDown: true), 10).Rows.Select(r => r.Question));
        var detail = queries.Question(top.LastId)!;
        Assert.Equal((2, 0, 1), (detail.TimesAsked, detail.Up, detail.Down));
        var totals = queries.Totals();
        Assert.Equal(3, totals.LatencyCount);
        Assert.Equal(2, totals.LatencyBuckets.Single(b => b.UpperMs == 50).Count);
        Assert.Equal([("intent", 1L)], totals.DigestRuns);
        Assert.Equal(2, totals.Votes.Sum(v => v.Count));
        Assert.Empty(queries.Questions(new QuestionFilter(Page: 5), 10).Rows);
        Assert.Equal(2, queries.Questions(new QuestionFilter(Page: 5), 10).TotalGroups); // past the last page: counted directly
        Assert.True(queries.StorageOpen());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
