using System.Data.Common;

namespace Bot.Core.Storage;

/// <summary>
/// What differs between the two providers: opening a connection, checking and migrating the schema, taking the write
/// lock, and turning driver errors into one-line <see cref="StorageException"/>s. Everything else (the stores' SQL) is
/// shared: both providers run the same statements (<c>@name</c> parameters, <c>INSERT … ON CONFLICT … RETURNING</c>,
/// times as fixed-width UTC text).
/// </summary>
internal abstract class StorageBackend : IDisposable
{
    /// <summary>Names the database for messages ("the database /data/bot.db", "PostgreSQL bot on db:5432").</summary>
    public abstract string Describe { get; }

    /// <summary>Opens a connection ready for use (pragmas set on SQLite).</summary>
    public abstract DbConnection Open();

    /// <summary>
    /// Opens a connection whose waits are short (connecting, locks, the statement): for calls on a chat event's receive
    /// path, which must not hold the platform's acknowledgement up for long (<see cref="StorageOptions.ClaimTimeout"/> per step).
    /// </summary>
    public abstract DbConnection OpenQuick();

    /// <summary>Creates what must exist before the first connection (the SQLite folder); checks the database.</summary>
    public abstract void Prepare(DbConnection connection);

    /// <summary>Migrates to <see cref="Migrations.Latest"/> under the provider's lock; returns the versions before and after.</summary>
    public abstract (int From, int To) Migrate(DbConnection connection);

    /// <summary>
    /// Starts a write transaction that excludes every other writer of this database, in every process (SQLite:
    /// <c>BEGIN IMMEDIATE</c>; PostgreSQL: a transaction holding one advisory lock), so read-then-write work decides once.
    /// </summary>
    public abstract void BeginWrite(DbConnection connection);

    /// <summary>The one-line error for a driver exception, or null when <paramref name="ex"/> is not the driver's.</summary>
    public abstract StorageException? Translate(Exception ex);

    public virtual void Dispose()
    {
    }

    /// <summary>Throws <see cref="StorageFailure.TooNew"/> for a schema newer than this build.</summary>
    protected void EnsureNotNewer(int version, string fix)
    {
        if (version > Migrations.Latest)
        {
            throw new StorageException(
                $"{Describe} has schema version {version}, newer than this bot understands ({Migrations.Latest}); run a newer bot or {fix}")
            { Failure = StorageFailure.TooNew };
        }
    }

    internal static void Rollback(DbConnection connection)
    {
        try
        {
            connection.Exec("ROLLBACK;");
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The transaction was already rolled back (e.g. SQLite after SQLITE_FULL); the original error matters.
        }
    }
}
