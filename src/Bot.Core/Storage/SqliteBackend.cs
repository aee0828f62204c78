using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Bot.Core.Storage;

/// <summary>
/// The embedded SQLite file: WAL, <c>busy_timeout</c> on every connection, schema version in <c>PRAGMA user_version</c>,
/// writers serialised by <c>BEGIN IMMEDIATE</c>.
/// </summary>
internal sealed class SqliteBackend : StorageBackend
{
    private readonly StorageOptions _options;
    private readonly string _connectionString;

    public SqliteBackend(StorageOptions options)
    {
        _options = options;
        FilePath = System.IO.Path.GetFullPath(options.Path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
            Pooling = true,
        }.ToString();
    }

    public string FilePath { get; }

    public override string Describe => $"the database {FilePath}";

    /// <summary>Set after <see cref="Prepare"/> when the file could not switch to WAL (the journal mode it has instead).</summary>
    public string? NoWalMode { get; private set; }

    public override DbConnection Open()
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

    public override DbConnection OpenQuick()
    {
        var connection = Open();
        connection.Exec($"PRAGMA busy_timeout={(long)_options.ClaimTimeout.TotalMilliseconds};");
        return connection;
    }

    /// <summary>Creates the folder (before any connection), then checks the file and switches it to WAL.</summary>
    public void CreateFolder()
    {
        var folder = System.IO.Path.GetDirectoryName(FilePath);
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"cannot create the folder for the database {FilePath}: {ex.Message}; set Storage:Path to a writable location", ex);
        }
    }

    public override void Prepare(DbConnection connection)
    {
        // A quick structural check, so a damaged file fails now with a clear message.
        var result = connection.Scalar("PRAGMA quick_check(1);") as string;
        if (!string.Equals(result, "ok", StringComparison.Ordinal))
        {
            throw StorageException.Corrupt(FilePath, $"integrity check: {result?.ReplaceLineEndings(" ")}");
        }

        var mode = connection.Scalar("PRAGMA journal_mode=WAL;") as string;
        NoWalMode = string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase) ? null : mode ?? "?";
    }

    public override (int From, int To) Migrate(DbConnection connection)
    {
        var before = UserVersion(connection);
        EnsureNotNewer(before, "set Storage:Path to another file");
        if (before == Migrations.Latest)
        {
            return (before, before);
        }

        BeginWrite(connection);
        try
        {
            // Another process may have migrated while we waited for the write lock.
            var current = UserVersion(connection);
            EnsureNotNewer(current, "set Storage:Path to another file");
            for (var v = current; v < Migrations.Latest; v++)
            {
                connection.Exec(Migrations.Sqlite[v]);
            }

            connection.Exec($"PRAGMA user_version={Migrations.Latest};");
            connection.Exec("COMMIT;");
            return (current, Migrations.Latest);
        }
        catch
        {
            Rollback(connection);
            throw;
        }
    }

    public override void BeginWrite(DbConnection connection) => connection.Exec("BEGIN IMMEDIATE;");

    public override StorageException? Translate(Exception ex) => ex is SqliteException s ? StorageException.From(s, FilePath) : null;

    internal static int UserVersion(DbConnection connection) => Convert.ToInt32(connection.Scalar("PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
}
