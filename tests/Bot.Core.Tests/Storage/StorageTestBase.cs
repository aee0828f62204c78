using System.Globalization;
using Bot.Core.Storage;
using Bot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.Storage;

/// <summary>
/// A real database per test and a fake clock: a SQLite file in a temp folder (<see cref="IsPostgres"/> false), or a fresh
/// schema on the assembly's throwaway PostgreSQL cluster (<see cref="PostgresServer"/>; the test is skipped, with the
/// reason, where PostgreSQL is not installed). The store suites are abstract classes with one subclass per provider.
/// </summary>
public abstract class StorageTestBase : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-storage");
    private readonly List<BotDatabase> _opened = [];
    private string? _schema;

    protected StorageTestBase()
    {
        DbPath = Path.Combine(_tmp.Path, "data", "bot.db");
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    }

    /// <summary>True in the PostgreSQL subclass.</summary>
    protected virtual bool IsPostgres => false;

    protected string DbPath { get; }

    protected string TempPath => _tmp.Path;

    protected FakeTimeProvider Time { get; }

    /// <summary>The PostgreSQL connection string of this test's schema (created on first use; skips the test without PostgreSQL).</summary>
    protected string PgConnectionString
    {
        get
        {
            var server = PostgresServer.Instance;
            Skip.IfNot(server.Available, server.Missing);
            return _schema ??= server.NewSchema();
        }
    }

    /// <summary>Options for this test's database (the same database each call: two calls are two processes on one database).</summary>
    protected StorageOptions Options(string? path = null, TimeSpan? busy = null, int days = 90) => IsPostgres
        ? new StorageOptions
        {
            Provider = StorageOptions.Postgres, ConnectionString = PgConnectionString, Path = path ?? DbPath,
            BusyTimeout = busy ?? TimeSpan.FromSeconds(2), QueryLogDays = days, FeedbackSalt = "a test salt of sixteen+ chars",
            ClaimTimeout = LoadedMachine,
        }
        : new StorageOptions { Path = path ?? DbPath, BusyTimeout = busy ?? TimeSpan.FromSeconds(2), QueryLogDays = days, ClaimTimeout = LoadedMachine };

    /// <summary>Claims wait this long in tests: a shared, busy test machine must not turn a slow claim into a let-through.</summary>
    private static readonly TimeSpan LoadedMachine = TimeSpan.FromSeconds(10);

    /// <summary>A new <see cref="BotDatabase"/> on this test's database (another "process" or replica on the same data).</summary>
    protected BotDatabase NewDatabase(string? path = null, TimeSpan? busy = null, int days = 90) => Track(new BotDatabase(
        Microsoft.Extensions.Options.Options.Create(Options(path, busy, days)), NullLogger<BotDatabase>.Instance));

    protected BotDatabase Track(BotDatabase db)
    {
        lock (_opened)
        {
            _opened.Add(db);
        }

        return db;
    }

    /// <summary>Every value of every row of <paramref name="sql"/>, as text, read through the provider itself.</summary>
    protected List<string> ReadAll(string sql) => NewDatabase().Run(c =>
    {
        using var cmd = c.Command(sql);
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            for (var i = 0; i < r.FieldCount; i++)
            {
                list.Add(Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture) ?? "");
            }
        }

        return list;
    });

    public void Dispose()
    {
        lock (_opened)
        {
            foreach (var db in _opened)
            {
                db.Dispose();
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _tmp.Dispose();
        GC.SuppressFinalize(this);
    }
}
