using Microsoft.Data.Sqlite;

namespace Bot.Core.Storage;

/// <summary>
/// The database cannot be used. <see cref="Exception.Message"/> is one line naming the file (or the PostgreSQL database and
/// the setting, <c>Storage:ConnectionString</c>) and the fix; nothing was deleted or recreated.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException()
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What went wrong, for callers that react differently (e.g. the host's exit code).</summary>
    public StorageFailure Failure { get; init; } = StorageFailure.Other;

    internal static StorageException From(SqliteException ex, string path) => ex.SqliteErrorCode switch
    {
        5 or 6 => new StorageException(
            $"the database {path} is locked by another process (is another bot running with the same Storage:Path?); stop it or set Storage:Path to another file", ex)
        { Failure = StorageFailure.Locked },
        11 or 26 => Corrupt(path, ex),
        8 => new StorageException($"the database {path} is read-only; make the file and its folder writable or set Storage:Path to another file", ex)
        { Failure = StorageFailure.Other },
        13 => new StorageException($"the disk holding the database {path} is full; free some space and restart", ex),
        14 => new StorageException($"cannot open the database {path}; check that its folder exists and is writable, or set Storage:Path", ex),
        _ => new StorageException($"database error in {path}: {OneLine(ex.Message)}", ex),
    };

    internal static StorageException Corrupt(string path, Exception inner) => new(
        $"the database {path} is corrupt or not a SQLite database; it was left untouched. Move it aside (or restore a backup) and restart to create a new one", inner)
    { Failure = StorageFailure.Corrupt };

    internal static StorageException Corrupt(string path, string detail) => new(
        $"the database {path} is corrupt ({detail}); it was left untouched. Move it aside (or restore a backup) and restart to create a new one")
    { Failure = StorageFailure.Corrupt };

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}

/// <summary>Why the database could not be used.</summary>
public enum StorageFailure
{
    Other,
    Locked,
    Corrupt,
    TooNew,

    /// <summary>The database server cannot be reached or refuses the login (PostgreSQL).</summary>
    Unreachable,
}
