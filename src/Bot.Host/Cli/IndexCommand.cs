using Bot.Core.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot index [--force]</c>: brings the index up to date with seeds/ (only the changed articles re-indexed; a full build
/// when there is no usable index, the analysis changed, or with --force), with progress on a terminal.
/// </summary>
internal static class IndexCommand
{
    public static int Run(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string>());
        args.RejectUnknown("force");
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"index takes no arguments (got '{args.Positionals[0]}')");
        }

        using var sp = BotCli.CoreServices(config);
        var engine = sp.GetRequiredService<SearchEngine>();
        var interactive = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var rebuilt = engine.EnsureIndex(args.Flag("force"), interactive ? (done, total) => stderr.Write($"\rindexing {done}/{total} passages") : null);
        if (interactive && rebuilt)
        {
            stderr.WriteLine();
        }

        var m = engine.Manifest!;
        if (rebuilt)
        {
            WarnSkipped(m, stderr);
        }

        var change = engine.Index.LastChange;
        stdout.WriteLine(!rebuilt
            ? $"index is up to date ({m.Passages} passages from {m.Articles} articles, built {m.BuiltAt})"
            : change is { Full: false }
                ? $"updated the index: {change} ({m.Passages} passages from {m.Articles} articles) in {started.Elapsed.TotalSeconds:F2} s"
                : $"indexed {m.Passages} passages from {m.Articles} articles in {started.Elapsed.TotalSeconds:F2} s");
        return ExitCodes.Ok;
    }

    /// <summary>One warning line per seed file the build left out, naming the file.</summary>
    internal static void WarnSkipped(IndexManifest manifest, TextWriter stderr)
    {
        foreach (var skipped in manifest.Skipped ?? [])
        {
            stderr.WriteLine($"warning: seed file skipped: {skipped}");
        }
    }
}
