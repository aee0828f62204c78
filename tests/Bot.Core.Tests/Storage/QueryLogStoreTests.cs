using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Storage;
using Bot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Storage;

public abstract class QueryLogStoreTests : StorageTestBase
{
    private QueryLogStore NewLog(int days = 90) => new(NewDatabase(days: days), Time, NullLogger<QueryLogStore>.Instance);

    private static Answer Declined(string q) =>
        new(q, Language.Korean, AnswerStatus.NotFound, [], new DeclineReason("기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.", ["본사"], []));

    private static Answer Answered(string q, string doc = "001_x", int passage = 2) =>
        new(q, Language.Korean, AnswerStatus.Answered,
            [new Citation(doc, "제목", passage, 1.0, new Snippet("인용문", [], false, false), [])], null);

    [SkippableFact]
    public void Record_StoresOutcomeAndTopCitationButNoUser()
    {
        var log = NewLog();
        log.Record("ask", new QueryContext("discord", "123", InChannel: true), Answered("딥시크 창업자는?"));
        log.Record("search", new QueryContext("slack", "C9"), Declined("딥시크 본사는?"));
        log.Record("ask", new QueryContext(QueryLogStore.InternalPlatform, ""), Answered("digest's own lookup"));
        var huge = string.Concat(Enumerable.Repeat("딥시크 ", 20_000));
        log.Record("ask", new QueryContext("slack", "C9"), new Answer(huge, Language.Korean, AnswerStatus.TooLong, [], new DeclineReason("너무 깁니다", [], [])));

        var rows = log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal(3, rows.Count);
        Assert.InRange(rows[2].Question.Length, 900, QueryLogStore.MaxQuestionChars);
        Assert.Equal(AnswerStatus.TooLong, rows[2].Status);
        Assert.Equal(("discord", "123", "ask", AnswerStatus.Answered, "001_x", (int?)2), (rows[0].Platform, rows[0].Channel, rows[0].Kind, rows[0].Status, rows[0].TopDocId, rows[0].TopPassage));
        Assert.Equal(("slack", "search", AnswerStatus.NotFound), (rows[1].Platform, rows[1].Kind, rows[1].Status));
        Assert.Contains("본사", rows[1].Reason, StringComparison.Ordinal);

        var columns = NewDatabase().Run(c =>
        {
            using var cmd = c.Command("SELECT * FROM query_log;");
            using var r = cmd.ExecuteReader();
            return Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToList();
        });
        Assert.Contains("question", columns);
        Assert.DoesNotContain(columns, n => n.Contains("user", StringComparison.OrdinalIgnoreCase));
    }

    [SkippableFact]
    public void Purge_DeletesRowsOlderThanRetentionOnly()
    {
        var log = NewLog(days: 90);
        var now = Time.GetUtcNow();
        log.Insert(new QueryLogEntry(now - TimeSpan.FromDays(91), "slack", "C1", "ask", "old", AnswerStatus.Answered, null, null, null));
        log.Insert(new QueryLogEntry(now - TimeSpan.FromDays(89), "slack", "C1", "ask", "recent", AnswerStatus.Answered, null, null, null));

        Assert.Equal(1, log.Purge());
        Assert.Equal(["recent"], log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).Select(e => e.Question));

        Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, log.Purge());
        Assert.Empty(log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [SkippableFact]
    public async Task PurgeOncePerDay_TwoReplicas_OnePurgesEachDay()
    {
        var replicas = new[] { NewLog(), NewLog() };
        var now = Time.GetUtcNow();
        replicas[0].Insert(new QueryLogEntry(now - TimeSpan.FromDays(91), "slack", "C1", "ask", "old", AnswerStatus.Answered, null, null, null));
        replicas[0].Insert(new QueryLogEntry(now - TimeSpan.FromDays(89.5), "slack", "C1", "ask", "recent", AnswerStatus.Answered, null, null, null));
        using var go = new ManualResetEventSlim();
        var purges = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
        {
            go.Wait();
            return replicas[i % 2].PurgeOncePerDay();
        })).ToArray();
        go.Set();
        var results = await Task.WhenAll(purges);
        Assert.Equal([1], results.Where(r => r is not null).Select(r => r!.Value));

        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, replicas[1].PurgeOncePerDay());
        Assert.Null(replicas[0].PurgeOncePerDay());
        Assert.Empty(replicas[0].Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [SkippableFact]
    public void TopAnswered_GroupsNormalisedTextMostAskedFirstWithinPeriod()
    {
        var log = NewLog();
        var t0 = Time.GetUtcNow();
        void Add(int minutes, string q, bool answered = true) => log.Insert(new QueryLogEntry(t0 + TimeSpan.FromMinutes(minutes), "slack", "C1", "ask", q,
            answered ? AnswerStatus.Answered : AnswerStatus.NotFound, answered ? null : "reason", answered ? "d" : null, answered ? 1 : null) { InChannel = true });
        Add(-5, "딥시크 창업자는?");                 // before the period
        Add(1, "딥시크 창업자는?");
        Add(2, "딥시크  창업자는");
        Add(3, "딥시크 창업자는!!");
        Add(4, "엔비디아 주가는?");
        Add(5, "엔비디아 주가는");
        Add(6, "R1은 뭐야?");
        Add(7, "딥시크 본사는?", answered: false);
        Add(8, "딥시크 본사는", answered: false);
        Add(9, "   ", answered: true);

        var top = log.TopAnswered(new ChannelRef("slack", "C1"), t0, t0 + TimeSpan.FromHours(1), 2);
        Assert.Equal(3, top.TotalDistinct);
        Assert.Equal([("딥시크 창업자는!!", 3), ("엔비디아 주가는", 2)], top.Items.Select(i => (i.Question, i.Count)));

        var gaps = log.Unanswered(new ChannelRef("slack", "C1"), t0, t0 + TimeSpan.FromHours(1), 10);
        var gap = Assert.Single(gaps.Items);
        Assert.Equal(("딥시크 본사는", 2, "reason"), (gap.Question, gap.Count, gap.Reason));
    }

    [SkippableFact]
    public void Normalize_IgnoresCasePunctuationAndSpacing()
    {
        Assert.Equal("딥시크 v3 비용은", QueryLogStore.Normalize("  딥시크   V3 비용은??"));
        Assert.Equal(QueryLogStore.Normalize("DeepSeek R1?"), QueryLogStore.Normalize("deepseek, r1"));
    }

    [SkippableFact]
    public async Task QuestionHandler_LogsAsksAndStillAnswersWhenTheLogFails()
    {
        using var tmp = RepoPaths.NewTempDir("bot-qlog");
        using var sp = EngineFixture.Build(RepoPaths.Seeds, tmp.Sub("index"));
        var engine = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Bot.Core.Search.SearchEngine>(sp);
        var log = NewLog();
        var handler = new QuestionHandler(engine, log);

        var a = await handler.AskAsync("딥시크 창업자는 누구야?", new QueryContext("discord", "42"), 3, CancellationToken.None);
        var s = await handler.SearchAsync("딥시크 본사는 어디야?", new QueryContext("slack", "C7"), 5, CancellationToken.None);
        var rows = log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal(2, rows.Count);
        Assert.Equal((AnswerStatus.Answered, a.Best!.DocId, a.Best.Passage), (rows[0].Status, rows[0].TopDocId, rows[0].TopPassage!.Value));
        Assert.Equal(("search", s.Status), (rows[1].Kind, rows[1].Status));

        var lines = new List<string>();
        var broken = new QuestionHandler(engine, new ThrowingLog(), new ListLogger<QuestionHandler>(lines));
        var again = await broken.AskAsync("딥시크 창업자는 누구야?", new QueryContext("discord", "42"), 3, CancellationToken.None);
        Assert.Equal(AnswerStatus.Answered, again.Status);
        Assert.Contains(lines, l => l.Contains("Query log write failed", StringComparison.Ordinal) && l.Contains("disk on fire", StringComparison.Ordinal));

        // A corrupt database behind the real store: the answer still comes back.
        if (IsPostgres)
        {
            return;
        }

        var bad = Path.Combine(TempPath, "bad.db");
        File.WriteAllText(bad, new string('x', 5000));
        var corrupt = new QuestionHandler(engine, new QueryLogStore(NewDatabase(bad), Time, NullLogger<QueryLogStore>.Instance));
        Assert.Equal(AnswerStatus.Answered, (await corrupt.AskAsync("딥시크 창업자는 누구야?", new QueryContext("discord", "42"), 3, CancellationToken.None)).Status);
    }

    [SkippableFact]
    public void Record_DmsAndEphemeralKeepNoChannel_MentionsAndIdsStripped()
    {
        var log = NewLog();
        log.Record("ask", new QueryContext("discord", "900000000000000001"), Answered("<@444> 딥시크 <@!555> 창업자는 <#123456789012345678> 누구야? <@&777>"));
        log.Record("search", new QueryContext("slack", "C42", InChannel: false), Answered("<@U0ABCDEF12|kim> 딥시크 비용 U0ZZZZ9999 <!here> <#C01234567|general>"));
        log.Record("ask", new QueryContext("slack", "D0DM12345", InChannel: true), Answered("DM 질문 1234567890123456789"));
        log.Record("ask", new QueryContext("slack", "C42", InChannel: true), Answered("딥시크 V3 2048개 GPU 2025년"));

        var rows = log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal("딥시크 창업자는 누구야?", rows[0].Question);
        Assert.Equal("딥시크 비용", rows[1].Question);
        Assert.Equal("DM 질문", rows[2].Question);
        Assert.Equal("딥시크 V3 2048개 GPU 2025년", rows[3].Question); // ordinary numbers and words stay
        Assert.Equal(["", "", "D0DM12345", "C42"], rows.Select(r => r.Channel));
        Assert.Equal([false, false, true, true], rows.Select(r => r.InChannel));

        var dump = string.Join("|", ReadAll("SELECT question || channel FROM query_log;"));
        foreach (var id in new[] { "444", "555", "123456789012345678", "900000000000000001", "U0ABCDEF12", "U0ZZZZ9999", "C01234567", "1234567890123456789" })
        {
            Assert.DoesNotContain(id, dump, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void TopAnswered_OnlyQuestionsSeenInTheTargetChannel()
    {
        var log = NewLog();
        log.Record("ask", new QueryContext("discord", "G1", InChannel: true), Answered("공개 채널 질문"));
        log.Record("ask", new QueryContext("discord", "DM1"), Answered("디엠 질문 <@444>"));
        log.Record("search", new QueryContext("slack", "C1"), Answered("임시 검색 질문"));
        log.Record("ask", new QueryContext("discord", "G2", InChannel: true), Answered("다른 채널 질문"));
        log.Record("ask", new QueryContext("slack", "G1", InChannel: true), Answered("다른 플랫폼 질문"));
        var from = Time.GetUtcNow().AddHours(-1);
        var to = Time.GetUtcNow().AddHours(1);

        Assert.Equal(["공개 채널 질문"], log.TopAnswered(new ChannelRef("discord", "G1"), from, to, 10).Items.Select(i => i.Question));
        Assert.Empty(log.TopAnswered(new ChannelRef("slack", "C1"), from, to, 10).Items);
        Assert.Empty(log.TopAnswered(new ChannelRef("discord", ""), from, to, 10).Items);
    }

    private sealed class ListLogger<T>(List<string> lines) : Microsoft.Extensions.Logging.ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }

    private sealed class ThrowingLog : IQueryLog
    {
        public void Record(string kind, QueryContext context, Answer answer) => throw new InvalidOperationException("disk on fire");
    }

    /// <summary>The suite on a SQLite file.</summary>
    public sealed class OnSqlite : QueryLogStoreTests
    {
    }

    /// <summary>The suite on PostgreSQL (skipped where it is not installed).</summary>
    public sealed class OnPostgres : QueryLogStoreTests
    {
        protected override bool IsPostgres => true;
    }
}
