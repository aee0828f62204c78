using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Bot.Core.Storage;

/// <summary>Small helpers shared by the stores.</summary>
internal static class Db
{
    /// <summary>UTC, fixed width, sorts as text: 2026-11-24T00:00:00.0000000Z.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string s) =>
        new(DateTime.ParseExact(s, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    public static DateTimeOffset? ParseTimeOrNull(object? value) => value is string s ? ParseTime(s) : null;

    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    public static int Exec(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = connection.Command(sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = connection.Command(sql, parameters);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static string? StringOrNull(this SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
