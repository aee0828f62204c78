using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bot.Core.Tests.Storage;

/// <summary>Opening, migrating and refusing on PostgreSQL (the SQLite counterparts are in <see cref="BotDatabaseTests"/>).</summary>
public sealed class PostgresDatabaseTests : StorageTestBase
{
    protected override bool IsPostgres => true;

    private object? Scalar(string sql)
    {
        using var c = new NpgsqlConnection(PgConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    private List<string> Tables()
    {
        using var c = new NpgsqlConnection(PgConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name;", c);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    [SkippableFact]
    public void Initialize_EmptyDatabase_CreatesLatestSchema()
    {
        NewDatabase().Initialize();
        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar("SELECT version FROM bot_schema;")));
        Assert.Equal(["article_snapshots", "bot_schema", "claims", "conversation_context", "digest_runs", "feedback", "leases", "meta", "query_log"], Tables());
        Assert.False(File.Exists(DbPath)); // no SQLite file on the side
    }

    [SkippableFact]
    public void Initialize_FromVersion4_MigratesAndKeepsRows()
    {
        using (var c = new NpgsqlConnection(PgConnectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand(string.Join("\n", Migrations.Postgres.Take(4)) + """
                CREATE TABLE bot_schema (version INTEGER NOT NULL);
                INSERT INTO bot_schema VALUES (4);
                INSERT INTO query_log (at_utc, platform, channel, question, normalized, outcome, status, reason, top_doc, top_passage, kind, in_channel, latency_ms, answer_id)
                VALUES ('2026-11-23T08:00:00.0000000Z', 'slack', 'C1', '딥시크 창업자는 누구야?', '딥시크 창업자는 누구야', 'answered', 'Answered', NULL, '002_x', 3, 'search', 1, 12.5, 'abcdefghij012345');
                INSERT INTO feedback VALUES ('abcdefghij012345', 'hash', 'slack', -1, '2026-11-23T08:00:01.0000000Z');
                INSERT INTO digest_runs (schedule, tick_utc, platform, channel, state, created_utc, updated_utc)
                VALUES ('daily', '2026-11-23T00:00:00.0000000Z', 'slack', 'C1', 'posted', '2026-11-23T00:00:00.0000000Z', '2026-11-23T00:00:01.0000000Z');
                """, c);
            cmd.ExecuteNonQuery();
        }

        var db = NewDatabase();
        db.Initialize();

        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar("SELECT version FROM bot_schema;")));
        var e = Assert.Single(new QueryLogStore(db, Time, NullLogger<QueryLogStore>.Instance).Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal(("딥시크 창업자는 누구야?", "search", "C1", true, ("002_x", (int?)3)), (e.Question, e.Kind, e.Channel, e.InChannel, (e.TopDocId, e.TopPassage)));
        Assert.Equal(new FeedbackTally(0, 1), new FeedbackStore(db, Time).Tally("abcdefghij012345"));
        var runs = new DigestRunStore(db, Time);
        Assert.Equal(DigestRunState.Posted, Assert.Single(runs.Runs()).State);
        Assert.Null(runs.TryBegin("daily", new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), new ChannelRef("slack", "C1"), "schedule", null)); // unique key survived
        Assert.NotNull(runs.TryBegin("daily", new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), new ChannelRef("slack", "C1"), "schedule", null)); // identity continues
        Assert.Contains("claims", Tables());
        Assert.Contains("leases", Tables());
    }

    [SkippableFact]
    public async Task Initialize_ReplicasStartingAtOnce_MigrateOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => NewDatabase().Initialize())));
        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar("SELECT version FROM bot_schema;")));
        Assert.Equal(1L, Scalar("SELECT COUNT(*) FROM bot_schema;"));
    }

    [SkippableFact]
    public void Initialize_NewerSchema_RefusesWithoutTouchingIt()
    {
        Scalar("CREATE TABLE bot_schema (version INTEGER NOT NULL); INSERT INTO bot_schema VALUES (99);");
        var ex = Assert.Throws<StorageException>(() => NewDatabase().Initialize());
        Assert.Equal(StorageFailure.TooNew, ex.Failure);
        Assert.Contains("Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["bot_schema"], Tables());
    }

    [SkippableTheory]
    [InlineData("Host=127.0.0.1;Port=1;Username=bot;Timeout=2", "cannot reach")]
    [InlineData("Host=127.0.0.1;Port={port};Username=postgres;Database=no_such_db", "does not exist")]
    [InlineData("Host=127.0.0.1;Bogus Setting=3", "not a valid Npgsql connection string")]
    [InlineData("Database=bot;Username=bot", "names no Host")]
    public void BadConnectionString_OneLineErrorNamingTheSetting(string connectionString, string expected)
    {
        _ = PgConnectionString; // skips without PostgreSQL
        var options = Options();
        options.ConnectionString = connectionString.Replace("{port}", PostgresServer.Instance.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var ex = Assert.Throws<StorageException>(() =>
        {
            using var db = new BotDatabase(Microsoft.Extensions.Options.Options.Create(options), NullLogger<BotDatabase>.Instance);
            db.Initialize();
        });
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain("at Npgsql", ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Write_ConcurrentReplicas_WaitInsteadOfFailing()
    {
        NewDatabase().Initialize();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var log = new QueryLogStore(NewDatabase(), Time, NullLogger<QueryLogStore>.Instance);
            for (var i = 0; i < 50; i++)
            {
                log.Insert(new QueryLogEntry(Time.GetUtcNow(), "discord", $"ch{w}", "ask", $"q{w}-{i}", AnswerStatus.Answered, null, null, null));
                if (i % 10 == 0)
                {
                    log.Purge();
                }
            }
        })));
        Assert.Equal(200L, Scalar("SELECT COUNT(*) FROM query_log;"));
    }
}
