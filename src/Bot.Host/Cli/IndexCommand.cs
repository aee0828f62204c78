using Bot.Core.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot index [--force] [--no-compact]</c>: brings the index up to date with seeds/ (only the changed articles
/// re-indexed; a full build when there is no usable index, the analysis changed, or with --force), with progress on a
/// terminal, then compacts it (exactly a full build's index again) unless --no-compact, which leaves that to the next
/// process that serves it (after Index:CompactDelay) or the next <c>bot index</c>.
/// </summary>
internal static class IndexCommand
{
    public static int Run(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string>());
        args.RejectUnknown("force", "no-compact");
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

        var compacted = "";
        if (engine.Index.CompactionPending && !args.Flag("no-compact"))
        {
            var compacting = System.Diagnostics.Stopwatch.StartNew();
            engine.Index.Compact();
            compacted = $"; compacted in {compacting.Elapsed.TotalSeconds:F2} s";
        }
        else if (engine.Index.CompactionPending)
        {
            compacted = "; not compacted (--no-compact)";
        }

        m = engine.Manifest!;
        var change = engine.Index.LastChange;
        stdout.WriteLine(!rebuilt
            ? $"index is up to date ({m.Passages} passages from {m.Articles} articles, built {m.BuiltAt}){compacted}"
            : change is { Full: false }
                ? $"updated the index: {change} ({m.Passages} passages from {m.Articles} articles) in {started.Elapsed.TotalSeconds:F2} s{compacted}"
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
