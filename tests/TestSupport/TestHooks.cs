using System.Runtime.CompilerServices;
using Bot.Core.Search;

namespace Bot.TestSupport;

/// <summary>Set once when a test assembly loads, before any test: test-only switches (never set in the bot).</summary>
internal static class TestHooks
{
    [ModuleInitializer]
    internal static void Init()
    {
        // Every engine a test builds shares one built-in synonym map instead of parsing the glossary and lexicon again.
        SynonymLoader.ShareBuiltIn = true;
        UseMemoryTempFolder();
    }

    /// <summary>
    /// The tests' temporary folders (indexes, SQLite files, the throwaway PostgreSQL cluster, the bot processes they start)
    /// go to /dev/shm where it is a writable in-memory file system with room, unless TMPDIR is set: they create and delete
    /// thousands of files, and on the development machine's ext4 /tmp that cost Core's tests about a quarter of their time
    /// (kernel time finding free inodes). Child processes inherit TMPDIR.
    /// </summary>
    private static void UseMemoryTempFolder()
    {
        const string shm = "/dev/shm";
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } || !Directory.Exists(shm))
        {
            return;
        }

        try
        {
            var drive = new DriveInfo(shm);
            if (drive.DriveFormat != "tmpfs" || drive.AvailableFreeSpace < (2L << 30))
            {
                return;
            }

            var probe = Path.Combine(shm, $"bot-tests-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            Environment.SetEnvironmentVariable("TMPDIR", shm);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // keep the default temporary folder
        }
    }
}
