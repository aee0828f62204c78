using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Storage;

/// <summary>
/// The bot's SQLite file. <see cref="Initialize"/> (run once at start-up, and lazily by the first store call) creates the
/// folder, checks the file, switches to WAL and migrates the schema forward in one transaction. Every connection waits up
/// to <see cref="StorageOptions.BusyTimeout"/> for another writer. A locked, corrupt or too-new file raises one
/// <see cref="StorageException"/>; the file is never deleted or recreated.
/// </summary>
public sealed partial class BotDatabase
{
    private readonly StorageOptions _options;
    private readonly ILogger<BotDatabase> _logger;
    private readonly string _connectionString;
    private readonly Lock _gate = new();
    private volatile bool _initialized;

    public BotDatabase(IOptions<StorageOptions> options, ILogger<BotDatabase> logger)
    {
        _options = options.Value;
        _logger = logger;
        FilePath = System.IO.Path.GetFullPath(_options.Path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds)),
            Pooling = true,
        }.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => Migrations.Latest;

    public StorageOptions Options => _options;

    /// <summary>Creates or upgrades the database. Idempotent and safe to call from several threads or processes.</summary>
    public void Initialize()
    {
        if (_initialized)
        {
            return;
        }

        lock (_gate)
        {
            if (_initialized)
            {
                return;
            }

            var folder = System.IO.Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(folder))
            {
                try
                {
                    Directory.CreateDirectory(folder);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new StorageException($"cannot create the folder for the database {FilePath}: {ex.Message}; set Storage:Path to a writable location", ex);
                }
            }

            try
            {
                using var connection = OpenRaw();
                Check(connection);
                var mode = connection.Scalar("PRAGMA journal_mode=WAL;") as string;
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    LogNoWal(_logger, FilePath, mode ?? "?");
                }

                var (from, to) = Migrate(connection);
                if (from != to)
                {
                    LogMigrated(_logger, FilePath, from, to);
                }
            }
            catch (SqliteException ex)
            {
                throw StorageException.From(ex, FilePath);
            }

            _initialized = true;
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection; SQLite errors become one-line <see cref="StorageException"/>s.</summary>
    public T Run<T>(Func<SqliteConnection, T> work)
    {
        Initialize();
        try
        {
            using var connection = OpenRaw();
            return work(connection);
        }
        catch (SqliteException ex)
        {
            throw StorageException.From(ex, FilePath);
        }
    }

    /// <summary>Like <see cref="Run{T}"/>, inside one write transaction (BEGIN IMMEDIATE: writers queue instead of deadlocking).</summary>
    public T Write<T>(Func<SqliteConnection, T> work) => Run(connection => InTransaction(connection, () => work(connection)));

    internal static T InTransaction<T>(SqliteConnection connection, Func<T> work)
    {
        connection.Exec("BEGIN IMMEDIATE;");
        try
        {
            var result = work();
            connection.Exec("COMMIT;");
            return result;
        }
        catch
        {
            try
            {
                connection.Exec("ROLLBACK;");
            }
            catch (SqliteException)
            {
                // The transaction was already rolled back by SQLite (e.g. after SQLITE_FULL); the original error matters.
            }

            throw;
        }
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            var ms = (long)_options.BusyTimeout.TotalMilliseconds;
            connection.Exec($"PRAGMA busy_timeout={ms}; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Reads the header and runs a quick structural check, so a damaged file fails now with a clear message.</summary>
    private void Check(SqliteConnection connection)
    {
        using var cmd = connection.Command("PRAGMA quick_check(1);");
        var result = cmd.ExecuteScalar() as string;
        if (!string.Equals(result, "ok", StringComparison.Ordinal))
        {
            throw StorageException.Corrupt(FilePath, $"integrity check: {result?.ReplaceLineEndings(" ")}");
        }
    }

    private (int From, int To) Migrate(SqliteConnection connection)
    {
        var before = UserVersion(connection);
        EnsureNotNewer(before);
        if (before == Migrations.Latest)
        {
            return (before, before);
        }

        return InTransaction(connection, () =>
        {
            // Another process may have migrated while we waited for the write lock.
            var current = UserVersion(connection);
            EnsureNotNewer(current);
            for (var v = current; v < Migrations.Latest; v++)
            {
                connection.Exec(Migrations.Steps[v]);
            }

            connection.Exec($"PRAGMA user_version={Migrations.Latest};");
            return (current, Migrations.Latest);
        });
    }

    private void EnsureNotNewer(int version)
    {
        if (version > Migrations.Latest)
        {
            throw new StorageException(
                $"the database {FilePath} has schema version {version}, newer than this bot understands ({Migrations.Latest}); run a newer bot or set Storage:Path to another file")
            { Failure = StorageFailure.TooNew };
        }
    }

    internal static int UserVersion(SqliteConnection connection) => Convert.ToInt32(connection.Scalar("PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} migrated from schema version {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database {Path} could not switch to WAL (journal mode {Mode}); concurrent readers will wait for writers")]
    private static partial void LogNoWal(ILogger logger, string path, string mode);
}
