using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Storage;

/// <summary>Section "Storage": the bot's SQLite database (query log, feedback, digest runs, article snapshots).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file; its folder is created on first run.</summary>
    [Required]
    public string Path { get; set; } = "data/bot.db";

    /// <summary>Query-log rows (and feedback) older than this many days are deleted at start-up and daily.</summary>
    [Range(1, 36500)]
    public int QueryLogDays { get; set; } = 90;

    /// <summary>How long a writer waits for another writer's lock before giving up with <see cref="StorageException"/>.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
