using Microsoft.Data.Sqlite;

namespace Bot.TestSupport;

/// <summary>The feedback table of a bot's SQLite database, read directly (read-only, unpooled) to check what a click stored.</summary>
internal static class FeedbackTable
{
    /// <summary>How many votes are stored.</summary>
    public static long Rows(string dbPath)
    {
        using var c = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM feedback;";
        return (long)cmd.ExecuteScalar()!;
    }
}
