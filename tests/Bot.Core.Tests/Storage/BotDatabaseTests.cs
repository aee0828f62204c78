using Bot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Core.Tests.Storage;

public sealed class BotDatabaseTests : StorageTestBase
{
    /// <summary>The schema as version 1 shipped it (kept here verbatim to build "previous version" files).</summary>
    private const string V1Schema = """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE query_log (
            id INTEGER PRIMARY KEY, at_utc TEXT NOT NULL, platform TEXT NOT NULL, channel TEXT NOT NULL, question TEXT NOT NULL,
            normalized TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'declined')), status TEXT NOT NULL,
            reason TEXT, top_doc TEXT, top_passage INTEGER);
        CREATE INDEX ix_query_log_at ON query_log (at_utc);
        CREATE TABLE feedback (
            answer_id TEXT NOT NULL, user_hash TEXT NOT NULL, platform TEXT NOT NULL, vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            at_utc TEXT NOT NULL, PRIMARY KEY (answer_id, user_hash));
        PRAGMA user_version = 1;
        """;

    private static SqliteConnection Open(string path)
    {
        var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        return c;
    }

    private static List<string> Tables(string path)
    {
        using var c = Open(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    private static object? Scalar(string path, string sql)
    {
        using var c = Open(path);
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Fact]
    public void Initialize_NoFile_CreatesFolderWalAndLatestSchema()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(DbPath)));
        NewDatabase().Initialize();

        Assert.True(File.Exists(DbPath));
        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar(DbPath, "PRAGMA user_version;")));
        Assert.Equal("wal", Scalar(DbPath, "PRAGMA journal_mode;"));
        Assert.Equal(["article_snapshots", "claims", "digest_runs", "feedback", "leases", "meta", "query_log"], Tables(DbPath));
    }

    [Fact]
    public void Initialize_EmptyFile_MigratesToLatest()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        File.WriteAllBytes(DbPath, []);
        NewDatabase().Initialize();
        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar(DbPath, "PRAGMA user_version;")));
        Assert.Contains("digest_runs", Tables(DbPath));
    }

    [Fact]
    public void Initialize_PreviousVersion_MigratesAndKeepsRows()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        using (var c = Open(DbPath))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = V1Schema + """
                INSERT INTO meta VALUES ('feedback_salt', '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
                INSERT INTO query_log (at_utc, platform, channel, question, normalized, outcome, status, reason, top_doc, top_passage)
                VALUES ('2026-11-23T08:00:00.0000000Z', 'slack', 'C1', '딥시크 창업자는 누구야?', '딥시크 창업자는 누구야', 'answered', 'Answered', NULL, '002_x', 3);
                INSERT INTO feedback VALUES ('abcdefghij012345', 'hash', 'slack', 1, '2026-11-23T08:00:01.0000000Z');
                """;
            cmd.ExecuteNonQuery();
        }

        var db = NewDatabase();
        db.Initialize();

        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar(DbPath, "PRAGMA user_version;")));
        var log = new QueryLogStore(db, Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueryLogStore>.Instance);
        var entries = log.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        var e = Assert.Single(entries);
        Assert.Equal("딥시크 창업자는 누구야?", e.Question);
        Assert.Equal("ask", e.Kind);
        Assert.Equal(("002_x", 3), (e.TopDocId, e.TopPassage));
        Assert.Equal(("", false), (e.Channel, e.InChannel)); // v3: rows logged before are private, their channel ids forgotten
        Assert.Equal(new FeedbackTally(1, 0), new FeedbackStore(db, Time).Tally("abcdefghij012345"));
        Assert.Contains("digest_runs", Tables(DbPath));
        Assert.Contains("article_snapshots", Tables(DbPath));
    }

    [Fact]
    public void Initialize_FromVersion4_MigratesAndKeepsRows()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        using (var c = Open(DbPath))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = string.Join("\n", Migrations.Sqlite.Take(4)) + """
                PRAGMA user_version = 4;
                INSERT INTO query_log (at_utc, platform, channel, question, normalized, outcome, status, reason, top_doc, top_passage, kind, in_channel, latency_ms, answer_id)
                VALUES ('2026-11-23T08:00:00.0000000Z', 'slack', 'C1', '딥시크 창업자는 누구야?', '딥시크 창업자는 누구야', 'answered', 'Answered', NULL, '002_x', 3, 'search', 1, 12.5, 'abcdefghij012345');
                INSERT INTO feedback VALUES ('abcdefghij012345', 'hash', 'slack', -1, '2026-11-23T08:00:01.0000000Z');
                """;
            cmd.ExecuteNonQuery();
        }

        var db = NewDatabase();
        db.Initialize();

        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar(DbPath, "PRAGMA user_version;")));
        var e = Assert.Single(new QueryLogStore(db, Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueryLogStore>.Instance).Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal(("딥시크 창업자는 누구야?", "search", "C1", true), (e.Question, e.Kind, e.Channel, e.InChannel));
        Assert.Equal(new FeedbackTally(0, 1), new FeedbackStore(db, Time).Tally("abcdefghij012345"));
        Assert.Contains("claims", Tables(DbPath));
        Assert.Contains("leases", Tables(DbPath));
    }

    [Fact]
    public async Task Initialize_TwoProcessesAtOnce_BothSucceedOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => NewDatabase().Initialize())));
        Assert.Equal(BotDatabase.SchemaVersion, Convert.ToInt32(Scalar(DbPath, "PRAGMA user_version;")));
    }

    [Fact]
    public async Task Write_ConcurrentWriters_WaitInsteadOfFailing()
    {
        var db = NewDatabase();
        db.Initialize();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var other = NewDatabase();
            var log = new QueryLogStore(other, Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueryLogStore>.Instance);
            for (var i = 0; i < 50; i++)
            {
                log.Insert(new QueryLogEntry(Time.GetUtcNow(), "discord", $"ch{w}", "ask", $"q{w}-{i}", Bot.Core.Answers.AnswerStatus.Answered, null, null, null));
            }
        }));
        await Task.WhenAll(writers);
        Assert.Equal(200L, Scalar(DbPath, "SELECT COUNT(*) FROM query_log;"));
    }

    [Fact]
    public void Initialize_GarbageFile_ThrowsOneLineCorruptErrorAndLeavesFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        var garbage = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not a database, just some notes. ", 200)));
        File.WriteAllBytes(DbPath, garbage);

        var ex = Assert.Throws<StorageException>(() => NewDatabase().Initialize());

        Assert.Equal(StorageFailure.Corrupt, ex.Failure);
        Assert.Contains(DbPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Move it aside", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(garbage, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public void Initialize_DamagedPages_ThrowsCorruptErrorAndLeavesFile()
    {
        var db = NewDatabase();
        var log = new QueryLogStore(db, Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<QueryLogStore>.Instance);
        for (var i = 0; i < 300; i++)
        {
            log.Insert(new QueryLogEntry(Time.GetUtcNow(), "slack", "C1", "ask", new string('가', 200) + i, Bot.Core.Answers.AnswerStatus.Answered, null, null, null));
        }

        SqliteConnection.ClearAllPools();
        using (var c = Open(DbPath))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;";
            cmd.ExecuteNonQuery();
        }

        var bytes = File.ReadAllBytes(DbPath);
        Assert.True(bytes.Length > 8 * 4096);
        for (var i = 2 * 4096; i < 6 * 4096; i++)
        {
            bytes[i] = 0x5A;
        }

        File.WriteAllBytes(DbPath, bytes);
        var ex = Assert.Throws<StorageException>(() => NewDatabase().Initialize());
        Assert.Equal(StorageFailure.Corrupt, ex.Failure);
        Assert.Contains(DbPath, ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(DbPath));
    }

    [Fact]
    public void Initialize_FileLockedByAnotherProcess_ThrowsOneLineLockedError()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        using var holder = Open(DbPath);
        using (var cmd = holder.CreateCommand())
        {
            cmd.CommandText = "CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);";
            cmd.ExecuteNonQuery();
        }

        var sw = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Throws<StorageException>(() => NewDatabase(busy: TimeSpan.FromMilliseconds(200)).Initialize());

        Assert.Equal(StorageFailure.Locked, ex.Failure);
        Assert.Contains(DbPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:Path", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"gave up after {sw.Elapsed}");
    }

    [Fact]
    public void Initialize_NewerSchema_RefusesWithoutTouchingIt()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DbPath)!);
        using (var c = Open(DbPath))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "CREATE TABLE future (x); PRAGMA user_version = 99;";
            cmd.ExecuteNonQuery();
        }

        var ex = Assert.Throws<StorageException>(() => NewDatabase().Initialize());
        Assert.Equal(StorageFailure.TooNew, ex.Failure);
        Assert.Equal(99, Convert.ToInt32(Scalar(DbPath, "PRAGMA user_version;")));
        Assert.Equal(["future"], Tables(DbPath));
    }
}
