namespace Bot.Core.Storage;

/// <summary>Section "Storage": the bot's SQLite database (query log, feedback, digest runs, article snapshots).</summary>
public sealed class StorageOptions : IValidatedOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file; its folder is created on first run.</summary>
    public string Path { get; set; } = "data/bot.db";

    /// <summary>Query-log rows (and feedback) older than this many days are deleted at start-up and daily.</summary>
    public int QueryLogDays { get; set; } = 90;

    /// <summary>
    /// Secret salt for the feedback user hashes (at least 16 characters; an environment variable such as
    /// <c>Storage__FeedbackSalt</c>). When unset, a random salt is kept in <c>{Path}.salt</c> beside the database, readable by
    /// the owner only; never in the database, so a copy of the database alone cannot test guesses of user ids.
    /// </summary>
    public string? FeedbackSalt { get; set; }

    /// <summary>How long a writer waits for another writer's lock before giving up with <see cref="StorageException"/>.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return "Storage:Path is required.";
        }

        if (QueryLogDays is < 1 or > 36500)
        {
            yield return "Storage:QueryLogDays must be between 1 and 36500.";
        }

        if (FeedbackSalt is { Length: < 16 })
        {
            yield return "Storage:FeedbackSalt must be at least 16 characters.";
        }

        if (BusyTimeout <= TimeSpan.Zero)
        {
            yield return "Storage:BusyTimeout must be positive";
        }
    }
}
