using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace Bot.Core.Storage;

/// <summary>
/// A shared PostgreSQL database (Npgsql, one pooled <see cref="NpgsqlDataSource"/> per process). The schema version is
/// the one row of <c>bot_schema</c>; migrations and every <see cref="BotDatabase.Write{T}"/> run inside a transaction
/// holding an advisory lock, so replicas starting or writing at once take turns, as SQLite's writers do. Tables live in
/// the connection's first <c>search_path</c> schema (<c>Search Path=…</c> in the connection string picks another).
/// </summary>
internal sealed class PostgresBackend : StorageBackend
{
    /// <summary>Advisory lock class for migrations ("BotM"); the second key is the schema's hash, so each schema has its own lock.</summary>
    private const int MigrateLock = 0x426F744D;

    /// <summary>Advisory lock class for <see cref="BeginWrite"/> ("BotW"), per schema likewise.</summary>
    private const int WriteLock = 0x426F7457;

    /// <summary>Migrations may rewrite big tables: their statements get this long.</summary>
    private const int MigrateTimeoutSeconds = 600;

    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _quick;
    private readonly string _where;

    public PostgresBackend(StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new StorageException("Storage:Provider is postgres but Storage:ConnectionString is empty; set it (Npgsql format: Host=…;Database=…;Username=…;Password=…)");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            throw new StorageException($"Storage:ConnectionString is not a valid Npgsql connection string: {OneLine(ex.Message)}", ex);
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new StorageException("Storage:ConnectionString names no Host; add Host=… (Npgsql format: Host=…;Database=…;Username=…;Password=…)");
        }

        // Writers wait for each other's advisory lock; give that wait the same budget as SQLite's busy timeout.
        if (builder.CommandTimeout == 30)
        {
            builder.CommandTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds) * 2);
        }

        Database = builder.Database ?? builder.Username ?? "postgres";
        _where = $"PostgreSQL database '{Database}' on {builder.Host}:{builder.Port}";
        _source = NpgsqlDataSource.Create(builder);
        var quickSeconds = Math.Max(1, (int)Math.Ceiling(options.ClaimTimeout.TotalSeconds));
        var quick = new NpgsqlConnectionStringBuilder(builder.ConnectionString)
        {
            Timeout = Math.Min(builder.Timeout, quickSeconds),
            CommandTimeout = quickSeconds,
            ApplicationName = (builder.ApplicationName ?? "bot") + " (events)",
        };
        _quick = NpgsqlDataSource.Create(quick);
    }

    public string Database { get; }

    public override string Describe => $"the {_where}";

    public override DbConnection Open() => _source.OpenConnection();

    public override DbConnection OpenQuick() => _quick.OpenConnection();

    public override void Prepare(DbConnection connection)
    {
        // Nothing to check: the server keeps its own files consistent.
    }

    public override (int From, int To) Migrate(DbConnection connection)
    {
        connection.Exec("BEGIN;");
        try
        {
            // Replicas starting at once queue here (as long as a migration takes); the first migrates, the rest find it done.
            using (var wait = connection.Command("SELECT pg_advisory_xact_lock(@k, hashtext(current_schema()));", ("@k", MigrateLock)))
            {
                wait.CommandTimeout = MigrateTimeoutSeconds;
                wait.ExecuteNonQuery();
            }

            connection.Exec("CREATE TABLE IF NOT EXISTS bot_schema (version INTEGER NOT NULL);");
            var version = connection.Scalar("SELECT version FROM bot_schema;");
            if (version is null)
            {
                connection.Exec("INSERT INTO bot_schema (version) VALUES (0);");
            }

            var current = Convert.ToInt32(version ?? 0, System.Globalization.CultureInfo.InvariantCulture);
            EnsureNotNewer(current, "point Storage:ConnectionString at another database");
            for (var v = current; v < Migrations.Latest; v++)
            {
                using var step = connection.Command(Migrations.Postgres[v]);
                step.CommandTimeout = MigrateTimeoutSeconds;
                step.ExecuteNonQuery();
            }

            connection.Exec("UPDATE bot_schema SET version = @v;", ("@v", Migrations.Latest));
            connection.Exec("COMMIT;");
            return (current, Migrations.Latest);
        }
        catch
        {
            StorageBackend.Rollback(connection);
            throw;
        }
    }

    public override void BeginWrite(DbConnection connection)
    {
        connection.Exec("BEGIN;");
        try
        {
            connection.Exec("SELECT pg_advisory_xact_lock(@k, hashtext(current_schema()));", ("@k", WriteLock));
        }
        catch
        {
            StorageBackend.Rollback(connection);
            throw;
        }
    }

    public override StorageException? Translate(Exception ex)
    {
        switch (ex)
        {
            case PostgresException pg:
                var (failure, text) = pg.SqlState switch
                {
                    "28P01" or "28000" => (StorageFailure.Unreachable, $"PostgreSQL refused the login to {_where} (Storage:ConnectionString): {pg.MessageText}; check Username and Password"),
                    "3D000" => (StorageFailure.Unreachable, $"{_where} does not exist (Storage:ConnectionString); create it (createdb {Database}) or fix Database="),
                    "53300" or "57P03" or "57P01" or "08006" or "08001" => (StorageFailure.Unreachable, $"{_where} is not accepting connections (Storage:ConnectionString): {pg.MessageText}"),
                    "42501" => (StorageFailure.Other, $"PostgreSQL user lacks a permission on {_where} (Storage:ConnectionString): {pg.MessageText}; grant it CREATE and USAGE on the schema"),
                    "55P03" or "40P01" or "57014" => (StorageFailure.Locked, $"{_where}: another writer held the lock too long ({pg.MessageText}); try again"),
                    _ => (StorageFailure.Other, $"database error in {_where}: {pg.SqlState} {pg.MessageText}"),
                };
                return new StorageException(OneLine(text), ex) { Failure = failure };
            case NpgsqlException { InnerException: PostgresException inner }:
                return Translate(inner);
            case NpgsqlException npg:
                var cause = Root(npg);
                if (cause is TimeoutException)
                {
                    return new StorageException(
                        $"the {_where} did not answer in time (Storage:ConnectionString); check that the server is running, reachable and not overloaded", ex)
                    { Failure = StorageFailure.Unreachable };
                }

                return new StorageException(
                    $"cannot reach the {_where} (Storage:ConnectionString): {OneLine(cause.Message)}; check Host, Port and that the server is running", ex)
                { Failure = StorageFailure.Unreachable };
            case SocketException or TimeoutException:
                return new StorageException($"cannot reach the {_where} (Storage:ConnectionString): {OneLine(ex.Message)}", ex) { Failure = StorageFailure.Unreachable };
            default:
                return null;
        }
    }

    public override void Dispose()
    {
        _source.Dispose();
        _quick.Dispose();
    }

    private static Exception Root(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex;
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
