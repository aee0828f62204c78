using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bot.Core.Corpus;
using Bot.Core.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Fields = Bot.Core.Search.Fields;
using IndexOptions = Bot.Core.Search.IndexOptions;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot bench</c>: indexing speed and query latency (top 10 with snippets) of our retrieval against a plain
/// CJKAnalyzer + BM25 baseline on the same machine and corpus, so improvements show as ratios.
/// Corpora: the seeds, and the deterministic synthetic corpora of ../shared/perf/gen_corpus.py
/// (<c>python3 ../shared/perf/gen_corpus.py --out perf-corpus --sizes 1000,10000,100000</c>).
/// </summary>
internal static partial class BenchCommand
{
    private const string Ours = "ours";
    private const string Baseline = "cjk";

    public static int Run(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string> { "corpus", "sizes", "queries", "warmup", "serve", "engine", "threads", "articles", "build-warmup", "build-baseline", "out" });
        args.RejectUnknown("corpus", "sizes", "queries", "warmup", "no-baseline", "serve", "engine", "threads", "index-only", "update", "articles", "build-warmup", "build-baseline", "out");
        if (args.Value("build-baseline") is { } baselineCorpus)
        {
            // Child mode: build the baseline's index of one corpus file in this fresh process (see BuildBaselineInChild).
            stdout.WriteLine(JsonSerializer.Serialize(BuildBaseline(baselineCorpus, args.Value("out") ?? throw new UsageException("--build-baseline needs --out DIR"), args.Int("build-warmup", 0, 0, 10_000_000))));
            return ExitCodes.Ok;
        }

        var corpusDir = args.Value("corpus") ?? "perf-corpus";
        var sizes = (args.Value("sizes") ?? "1k,10k,100k").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var maxQueries = args.Int("queries", 1000, 1, 100_000);
        var warmup = args.Int("warmup", 200, 0, 100_000);
        if (args.Flag("update"))
        {
            return UpdateBench.Run(corpusDir, args.Int("articles", 1000, 1, 1000), rounds: 5, stdout);
        }

        var seeds = config["Corpus:SeedsPath"] ?? "seeds";
        var queriesPath = Path.Combine(corpusDir, "queries.jsonl");
        if (!File.Exists(queriesPath))
        {
            throw new UsageException($"no {queriesPath}; generate the corpora first: python3 ../shared/perf/gen_corpus.py --out {corpusDir} --sizes 1000,10000,100000");
        }

        var retrieval = config.GetSection(RetrievalOptions.Section).Get<RetrievalOptions>() ?? new RetrievalOptions();
        BotCli.RejectOldLeverSetting(config);
        var levers = config.GetSection(EvalLevers.Section).Get<EvalLevers>() ?? EvalLevers.None;
        if (args.Value("serve") is { } serveDir)
        {
            // Child mode: serve one built index in this fresh process and report latency and memory as one JSON line.
            var queries = ReadQueries(queriesPath, maxQueries);
            var result = Serve(serveDir, args.Value("engine") ?? Ours, retrieval, levers, queries, warmup);
            stdout.WriteLine(JsonSerializer.Serialize(result));
            return ExitCodes.Ok;
        }

        var queryCount = File.ReadLines(queriesPath).Take(maxQueries).Count(); // the child processes parse them
        stdout.WriteLine($"bench: {queryCount} queries, top 10 with snippets, {Environment.ProcessorCount} cores, .NET {Environment.Version}; each index is served by a fresh process");
        if (levers.Disable.Length > 0)
        {
            stdout.WriteLine($"levers off: {levers.Disable}");
        }

        stdout.WriteLine("| corpus | engine | passages | index passages/s | p50 / p99 ms (1 thread) | p50 / p99 ms (2 threads) | q/s (2 threads) | KB allocated/query | peak RSS MB (indexing / serving) |");
        stdout.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var seedCorpus = CorpusLoader.Load(seeds);
        var seedPassages = seedCorpus.Articles.SelectMany(a => a.Passages).ToList();
        var child = new ChildArgs(corpusDir, maxQueries, warmup, levers.Disable, args.Int("threads", 0, 0, 256), args.Flag("index-only"), args.Int("build-warmup", 0, 0, 10_000_000));
        RunOne("seeds", () => seedPassages, null, child, !args.Flag("no-baseline"), stdout);
        foreach (var size in sizes)
        {
            var file = Path.Combine(corpusDir, $"corpus_{size}.jsonl");
            if (!File.Exists(file))
            {
                stderr.WriteLine($"skipping {size}: {file} not found");
                continue;
            }

            // Streamed from the file (read twice: ours, then the baseline), so the process never holds the corpus; its line
            // count (counted before any timing) lets our build balance its batches across threads, as a full build of the
            // seeds does with its known passage count.
            var lines = File.ReadLines(file).Count(l => l.Length > 0);
            RunOne(size, () => ReadPassages(file), file, child with { Passages = lines }, !args.Flag("no-baseline"), stdout);
        }

        return ExitCodes.Ok;
    }

    /// <param name="Threads">Analysis threads of our full build (0: one per core); the baseline always indexes on one thread.</param>
    /// <param name="IndexOnly">Measure indexing only (no serving processes).</param>
    /// <param name="BuildWarmup">Passages that each engine indexes, untimed, before its timed build of a corpus (0: none), so
    /// both are timed with JIT-compiled indexing code instead of the first one paying Lucene's tier-up.</param>
    /// <param name="Passages">Passages of the corpus, when known before reading it (0: unknown).</param>
    private sealed record ChildArgs(string CorpusDir, int Queries, int Warmup, string Disable, int Threads, bool IndexOnly, int BuildWarmup = 0, int Passages = 0);

    /// <summary>What a serving process measured.</summary>
    internal sealed record ServeResult(double P50, double P99, double Qps, double P50x2, double P99x2, double KbPerQuery, long PeakMb);

    private static List<string> ReadQueries(string path, int max) =>
        File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("q").GetString()!).Take(max).ToList();

    private static IEnumerable<Passage> ReadPassages(string file)
    {
        var i = 0;
        foreach (var line in File.ReadLines(file))
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            i++;
            yield return new Passage(e.GetProperty("id").GetString()!, "src" + e.GetProperty("src").GetInt32().ToString(CultureInfo.InvariantCulture), i, e.GetProperty("text").GetString()!, i, i, "");
        }
    }

    private static void RunOne(string label, Func<IEnumerable<Passage>> passages, string? corpusFile, ChildArgs child, bool baseline, TextWriter stdout)
    {
        var root = Path.Combine(Path.GetTempPath(), $"bot-bench-{Guid.NewGuid():N}");
        try
        {
            if (child.BuildWarmup > 0 && label != "seeds")
            {
                Build(Path.Combine(root, "warm-" + Ours), () => passages().Take(child.BuildWarmup), label, null, child.Threads);
                if (baseline && corpusFile is null)
                {
                    Build(Path.Combine(root, "warm-" + Baseline), () => passages().Take(child.BuildWarmup), label, new CJKAnalyzer(LuceneSettings.Version), 1);
                }
            }

            var (count, ours, oursPeak) = Build(Path.Combine(root, Ours), passages, label, null, child.Threads, child.Passages);
            var served = child.IndexOnly ? NotServed : ServeInChild(Path.Combine(root, Ours), Ours, child);
            Print(stdout, label, "ours (Korean-aware + re-rank)", count, ours, served, oursPeak);
            if (baseline)
            {
                var (_, baseTime, basePeak) = corpusFile is null
                    ? Build(Path.Combine(root, Baseline), passages, label, new CJKAnalyzer(LuceneSettings.Version), 1)
                    : BuildBaselineInChild(corpusFile, Path.Combine(root, Baseline), child.BuildWarmup);
                var b = child.IndexOnly ? NotServed : ServeInChild(Path.Combine(root, Baseline), Baseline, child);
                Print(stdout, label, "baseline (CJKAnalyzer, BM25)", count, baseTime, b, basePeak);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | ratio ours/baseline (below 1 is better; index: above 1 is better) | | {baseTime.TotalSeconds / ours.TotalSeconds:F2}x | {served.P50 / b.P50:F2}x / {served.P99 / b.P99:F2}x | {served.P50x2 / b.P50x2:F2}x / {served.P99x2 / b.P99x2:F2}x | {served.Qps / b.Qps:F2}x | {served.KbPerQuery / b.KbPerQuery:F2}x | {served.PeakMb / (double)b.PeakMb:F2}x serving |"));
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static readonly ServeResult NotServed = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);

    private static (int Count, TimeSpan Time, long PeakMb) Build(string path, Func<IEnumerable<Passage>> passages, string label, Analyzer? analyzer, int threads, int expected = 0)
    {
        Memory.ResetPeak();
        var count = 0;
        var time = Measure(() =>
        {
            using var dir = IndexStore.Open(path);
            count = IndexStore.BuildFromPassages(dir, passages(), d => d, label, TimeProvider.System, analyzer, threads, expectedPassages: expected).Passages;
        });
        return (count, time, Memory.PeakMb());
    }

    /// <summary>Runs <c>bot bench --serve DIR</c> as a fresh process (the same executable) and reads its JSON line.</summary>
    private static ServeResult ServeInChild(string indexPath, string engine, ChildArgs child)
    {
        var psi = SelfStart();
        foreach (var a in new[] { "bench", "--serve", indexPath, "--engine", engine, "--corpus", child.CorpusDir,
                     "--queries", child.Queries.ToString(CultureInfo.InvariantCulture), "--warmup", child.Warmup.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        if (child.Disable.Length > 0)
        {
            psi.ArgumentList.Add("--set");
            psi.ArgumentList.Add(EvalLevers.Section + ":Disable=" + child.Disable);
        }

        if (engine == Baseline)
        {
            BaselineRuntime(psi);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the serving process");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"serving process failed ({process.ExitCode}): {errors.Result.Split('\n').FirstOrDefault()}");
        }

        return JsonSerializer.Deserialize<ServeResult>(line)!;
    }

    /// <summary>
    /// This bot as a new process: the apphost when that is what runs, else <c>dotnet bot.dll</c> (also when the command
    /// runs inside another host, such as the test runner).
    /// </summary>
    private static ProcessStartInfo SelfStart()
    {
        var assembly = typeof(BenchCommand).Assembly.Location;
        var current = Environment.ProcessPath;
        var currentName = current is null ? "" : Path.GetFileNameWithoutExtension(current);
        var apphost = currentName == Path.GetFileNameWithoutExtension(assembly);
        var psi = new ProcessStartInfo(apphost || currentName == "dotnet" ? current! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        if (!apphost)
        {
            psi.ArgumentList.Add(assembly);
        }

        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        return psi;
    }

    private static ServeResult Serve(string indexPath, string engineName, RetrievalOptions retrieval, EvalLevers levers, List<string> queries, int warmup)
    {
        if (engineName == Baseline)
        {
            using var dir = IndexStore.Open(indexPath);
            using var reader = DirectoryReader.Open(dir);
            var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
            var analyzer = new CJKAnalyzer(LuceneSettings.Version);
            return Latency(q => PlainSearch(searcher, analyzer, q), queries, warmup);
        }

        using var engine = new SearchEngine(
            Options.Create(new CorpusOptions()), Options.Create(new IndexOptions { Path = indexPath }),
            Options.Create(retrieval), TimeProvider.System, NullLogger<SearchEngine>.Instance, levers);
        engine.ServeExisting();
        return Latency(q => engine.Retrieve(q, 10), queries, warmup);
    }

    /// <summary>The straightforward way: analyze, OR the terms, top 10, load stored text, first 300 characters as the snippet.</summary>
    private static int PlainSearch(IndexSearcher searcher, Analyzer analyzer, string q)
    {
        var query = new BooleanQuery();
        using (var ts = analyzer.GetTokenStream(Fields.Text, q))
        {
            var term = ts.AddAttribute<ICharTermAttribute>();
            ts.Reset();
            while (ts.IncrementToken())
            {
                query.Add(new TermQuery(new Term(Fields.Text, term.ToString())), Occur.SHOULD);
            }

            ts.End();
        }

        var top = searcher.Search(query, 10);
        var chars = 0;
        foreach (var sd in top.ScoreDocs)
        {
            var text = searcher.Doc(sd.Doc).Get(Fields.Text);
            chars += Math.Min(300, text.Length);
        }

        return chars;
    }

    private static TimeSpan Measure(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed;
    }

    private static ServeResult Latency<T>(Func<string, T> run, List<string> queries, int warmup)
    {
        // Warm up to steady state: at least `warmup` queries and 3 s, so tiered JIT has promoted the hot paths (a fresh
        // process; cold start is measured separately with `ask`).
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < warmup || (warmup > 0 && warm.Elapsed < TimeSpan.FromSeconds(3)); i++)
        {
            run(queries[i % queries.Count]);
        }

        var times = new double[queries.Count];
        var alloc0 = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < queries.Count; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            run(queries[i]);
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        var allocKb = (GC.GetAllocatedBytesForCurrentThread() - alloc0) / (double)queries.Count / 1024;
        Array.Sort(times);
        var p50 = times[times.Length / 2];
        var p99 = times[Math.Min(times.Length - 1, (int)Math.Ceiling(times.Length * 0.99) - 1)];

        // two threads, each running the whole query list
        var both = new double[2 * queries.Count];
        var sw = Stopwatch.StartNew();
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, t =>
        {
            for (var i = 0; i < queries.Count; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                run(queries[i]);
                both[(t * queries.Count) + i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        });
        var qps = 2.0 * queries.Count / sw.Elapsed.TotalSeconds;
        Array.Sort(both);
        return new ServeResult(p50, p99, qps, both[both.Length / 2], both[Math.Min(both.Length - 1, (int)Math.Ceiling(both.Length * 0.99) - 1)], allocKb, Memory.PeakMb());
    }

    private static void Print(TextWriter w, string label, string engine, int passages, TimeSpan index, ServeResult r, long indexPeakMb) =>
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {engine} | {passages:N0} | {passages / index.TotalSeconds:N0} | {r.P50:F2} / {r.P99:F2} | {r.P50x2:F2} / {r.P99x2:F2} | {r.Qps:N0} | {r.KbPerQuery:N0} | {indexPeakMb} / {r.PeakMb} |"));

    /// <summary>
    /// Peak resident memory of a phase: Linux's high-water mark (VmHWM), reset between phases through
    /// /proc/self/clear_refs; elsewhere the process's peak working set (not resettable, so cumulative).
    /// </summary>
    private static class Memory
    {
        public static void ResetPeak()
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        public static long PeakMb()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) / 1024;
                    }
                }
            }
            catch (IOException)
            {
            }

            using var proc = Process.GetCurrentProcess();
            return proc.PeakWorkingSet64 / (1024 * 1024);
        }
    }
}
