using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Storage;

/// <summary>
/// Section "Storage": the bot's database (query log, feedback, digest runs, article snapshots, event claims, leases):
/// an embedded SQLite file (the default) or a shared PostgreSQL database that several replicas use at once.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><see cref="Provider"/> value for the embedded SQLite file at <see cref="Path"/> (the default).</summary>
    public const string Sqlite = "sqlite";

    /// <summary><see cref="Provider"/> value for PostgreSQL at <see cref="ConnectionString"/>.</summary>
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// PostgreSQL connection string in Npgsql format (<c>Host=db;Database=bot;Username=bot;Password=…</c>), used when
    /// <see cref="Provider"/> is <c>postgres</c>. Holds a password: an environment variable, never a tracked file.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>True when <see cref="Provider"/> names PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Provider?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Provider?.Trim(), "postgresql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The SQLite file; its folder is created on first run (the feedback salt file sits beside it with either provider).</summary>
    [Required]
    public string Path { get; set; } = "data/bot.db";

    /// <summary>Query-log rows (and feedback) older than this many days are deleted at start-up and daily.</summary>
    [Range(1, 36500)]
    public int QueryLogDays { get; set; } = 90;

    /// <summary>
    /// Secret salt for the feedback user hashes (at least 16 characters; an environment variable such as
    /// <c>Storage__FeedbackSalt</c>). When unset, a random salt is kept in <c>{Path}.salt</c> beside the database, readable by
    /// the owner only; never in the database, so a copy of the database alone cannot test guesses of user ids.
    /// </summary>
    [MinLength(16)]
    public string? FeedbackSalt { get; set; }

    /// <summary>
    /// How long an event claim (<see cref="IEventClaims"/>, on a chat event's receive path, before the platform's ack) waits
    /// for the database at most, per step (connecting, the statement; whole seconds on PostgreSQL). Past it the event is
    /// answered without the shared check.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a writer waits for another writer's lock before giving up with <see cref="StorageException"/>.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
