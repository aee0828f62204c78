using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bot.Core.Search;
using Lucene.Net.Analysis.Cjk;

namespace Bot.Host.Cli;

internal static partial class BenchCommand
{
    /// <summary>What a baseline build process measured.</summary>
    internal sealed record BuildResult(int Count, double Seconds, long PeakMb);

    /// <summary>
    /// The baseline runs as a plain Lucene program would: in a process of its own with the runtime's defaults, dynamic PGO
    /// on. The bot itself runs with PGO off (<c>TieredPGO=false</c> in Bot.Host.csproj, which made our cold build faster),
    /// and building or serving the baseline inside the bot's process would hand it that setting too, which slows it far
    /// more than ours and flatters the ratios.
    /// </summary>
    private static void BaselineRuntime(ProcessStartInfo psi) => psi.Environment["DOTNET_TieredPGO"] = "1";

    /// <summary>Runs <c>bot bench --build-baseline FILE --out DIR</c> as a fresh process and reads its JSON line.</summary>
    private static (int Count, TimeSpan Time, long PeakMb) BuildBaselineInChild(string corpusFile, string indexPath, int buildWarmup)
    {
        var psi = SelfStart();
        foreach (var a in new[] { "bench", "--build-baseline", corpusFile, "--out", indexPath, "--build-warmup", buildWarmup.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        BaselineRuntime(psi);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the baseline build process");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"baseline build process failed ({process.ExitCode}): {errors.Result.Split('\n').FirstOrDefault()}");
        }

        var r = JsonSerializer.Deserialize<BuildResult>(line)!;
        return (r.Count, TimeSpan.FromSeconds(r.Seconds), r.PeakMb);
    }

    /// <summary>Child mode: the baseline's index of <paramref name="corpusFile"/> (after an untimed warm-up build, if asked).</summary>
    private static BuildResult BuildBaseline(string corpusFile, string indexPath, int buildWarmup)
    {
        if (buildWarmup > 0)
        {
            Build(indexPath + "-warm", () => ReadPassages(corpusFile).Take(buildWarmup), "warm-up", new CJKAnalyzer(LuceneSettings.Version), 1);
        }

        var (count, time, peak) = Build(indexPath, () => ReadPassages(corpusFile), Path.GetFileName(corpusFile), new CJKAnalyzer(LuceneSettings.Version), 1);
        return new BuildResult(count, time.TotalSeconds, peak);
    }
}
