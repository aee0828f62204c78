using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Storage;

/// <summary>
/// The bot's database: the SQLite file at <see cref="StorageOptions.Path"/> (default) or the PostgreSQL database at
/// <see cref="StorageOptions.ConnectionString"/> (<c>Storage:Provider=postgres</c>, shared by replicas).
/// <see cref="Initialize"/> (run once at start-up, and lazily by the first store call) prepares and checks the database and
/// migrates the schema forward in one transaction under a lock, so replicas starting together migrate once. Writers wait
/// up to <see cref="StorageOptions.BusyTimeout"/> for each other. A locked, corrupt, too-new or unreachable database raises
/// one <see cref="StorageException"/>; nothing is ever deleted or recreated.
/// </summary>
public sealed partial class BotDatabase : IDisposable
{
    private readonly StorageOptions _options;
    private readonly ILogger<BotDatabase> _logger;
    private readonly StorageBackend _backend;
    private readonly Lock _gate = new();
    private volatile bool _initialized;

    public BotDatabase(IOptions<StorageOptions> options, ILogger<BotDatabase> logger)
    {
        _options = options.Value;
        _logger = logger;
        FilePath = System.IO.Path.GetFullPath(_options.Path);
        _backend = _options.IsPostgres ? new PostgresBackend(_options) : new SqliteBackend(_options);
    }

    /// <summary>The absolute path of the SQLite file (with PostgreSQL: where the feedback salt file would sit; unused).</summary>
    public string FilePath { get; }

    /// <summary>True when the database is PostgreSQL (shared by replicas), false for the SQLite file.</summary>
    public bool IsPostgres => _options.IsPostgres;

    /// <summary>Names the database for messages ("the database /data/bot.db", "the PostgreSQL database 'bot' on db:5432").</summary>
    public string Description => _backend.Describe;

    /// <summary>The schema version this build writes.</summary>
    public static int SchemaVersion => Migrations.Latest;

    public StorageOptions Options => _options;

    /// <summary>Creates or upgrades the database. Idempotent and safe to call from several threads, processes or replicas.</summary>
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

            (_backend as SqliteBackend)?.CreateFolder();
            try
            {
                using var connection = _backend.Open();
                _backend.Prepare(connection);
                if (_backend is SqliteBackend { NoWalMode: { } mode })
                {
                    LogNoWal(_logger, FilePath, mode);
                }

                var (from, to) = _backend.Migrate(connection);
                if (from != to)
                {
                    LogMigrated(_logger, _backend.Describe, from, to);
                }
            }
            catch (Exception ex) when (_backend.Translate(ex) is { } translated)
            {
                throw translated;
            }

            _initialized = true;
        }
    }

    /// <summary>Runs <paramref name="work"/> on an open connection; driver errors become one-line <see cref="StorageException"/>s.</summary>
    public T Run<T>(Func<DbConnection, T> work)
    {
        Initialize();
        try
        {
            using var connection = _backend.Open();
            return work(connection);
        }
        catch (Exception ex) when (_backend.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Like <see cref="Run{T}"/>, on a connection whose waits are short (<see cref="StorageOptions.ClaimTimeout"/> per step:
    /// connecting, locks, the statement), for work on a chat event's receive path.
    /// </summary>
    public T RunQuick<T>(Func<DbConnection, T> work)
    {
        Initialize();
        try
        {
            using var connection = _backend.OpenQuick();
            return work(connection);
        }
        catch (Exception ex) when (_backend.Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Like <see cref="Run{T}"/>, inside one write transaction that excludes every other writer of the database, in any
    /// process or replica (SQLite <c>BEGIN IMMEDIATE</c>; PostgreSQL: an advisory lock held to the end of the
    /// transaction): read-then-write work sees no other writer in between, and waits instead of deadlocking.
    /// </summary>
    public T Write<T>(Func<DbConnection, T> work) => Run(connection =>
    {
        _backend.BeginWrite(connection);
        try
        {
            var result = work(connection);
            connection.Exec("COMMIT;");
            return result;
        }
        catch
        {
            StorageBackend.Rollback(connection);
            throw;
        }
    });

    /// <summary>Closes pooled connections (PostgreSQL's data source); SQLite connections are pooled by the driver.</summary>
    public void Dispose() => _backend.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} migrated from schema version {From} to {To}")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database {Path} could not switch to WAL (journal mode {Mode}); concurrent readers will wait for writers")]
    private static partial void LogNoWal(ILogger logger, string path, string mode);
}
