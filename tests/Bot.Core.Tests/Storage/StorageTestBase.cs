using Bot.Core.Storage;
using Bot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.Storage;

/// <summary>A real SQLite file in a temp folder and a fake clock, per test.</summary>
public abstract class StorageTestBase : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-storage");

    protected StorageTestBase()
    {
        DbPath = Path.Combine(_tmp.Path, "data", "bot.db");
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    }

    protected string DbPath { get; }

    protected string TempPath => _tmp.Path;

    protected FakeTimeProvider Time { get; }

    protected BotDatabase NewDatabase(string? path = null, TimeSpan? busy = null, int days = 90) =>
        new(Options.Create(new StorageOptions { Path = path ?? DbPath, BusyTimeout = busy ?? TimeSpan.FromSeconds(2), QueryLogDays = days }),
            NullLogger<BotDatabase>.Instance);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _tmp.Dispose();
        GC.SuppressFinalize(this);
    }
}
