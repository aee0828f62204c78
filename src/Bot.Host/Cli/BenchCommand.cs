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
internal static class BenchCommand
{
    public static int Run(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string> { "corpus", "sizes", "queries", "warmup" });
        args.RejectUnknown("corpus", "sizes", "queries", "warmup", "no-baseline");
        var corpusDir = args.Value("corpus") ?? "perf-corpus";
        var sizes = (args.Value("sizes") ?? "1k,10k,100k").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var maxQueries = args.Int("queries", 1000, 1, 100_000);
        var warmup = args.Int("warmup", 200, 0, 100_000);
        var seeds = config["Corpus:SeedsPath"] ?? "seeds";
        var queriesPath = Path.Combine(corpusDir, "queries.jsonl");
        if (!File.Exists(queriesPath))
        {
            throw new UsageException($"no {queriesPath}; generate the corpora first: python3 ../shared/perf/gen_corpus.py --out {corpusDir} --sizes 1000,10000,100000");
        }

        var queries = File.ReadLines(queriesPath).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("q").GetString()!).Take(maxQueries).ToList();
        stdout.WriteLine($"bench: {queries.Count} queries, top 10 with snippets, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        stdout.WriteLine("| corpus | engine | passages | index passages/s | p50 / p99 ms (1 thread) | p50 / p99 ms (2 threads) | q/s (2 threads) | KB allocated/query | peak RSS MB |");
        stdout.WriteLine("|---|---|---|---|---|---|---|---|---|");

        var seedCorpus = CorpusLoader.Load(seeds);
        var seedPassages = seedCorpus.Articles.SelectMany(a => a.Passages).ToList();
        RunOne("seeds", seedPassages, queries, warmup, !args.Flag("no-baseline"), stdout);
        foreach (var size in sizes)
        {
            var file = Path.Combine(corpusDir, $"corpus_{size}.jsonl");
            if (!File.Exists(file))
            {
                stderr.WriteLine($"skipping {size}: {file} not found");
                continue;
            }

            var passages = File.ReadLines(file).Select((l, i) =>
            {
                var e = JsonDocument.Parse(l).RootElement;
                var id = e.GetProperty("id").GetString()!;
                return new Passage(id, "src" + e.GetProperty("src").GetInt32().ToString(CultureInfo.InvariantCulture), i + 1, e.GetProperty("text").GetString()!, i + 1, i + 1, "");
            }).ToList();
            RunOne(size, passages, queries, warmup, !args.Flag("no-baseline"), stdout);
        }

        return ExitCodes.Ok;
    }

    private static void RunOne(string label, List<Passage> passages, List<string> queries, int warmup, bool baseline, TextWriter stdout)
    {
        var root = Path.Combine(Path.GetTempPath(), $"bot-bench-{Guid.NewGuid():N}");
        try
        {
            // ours
            var ours = Measure(() =>
            {
                using var dir = IndexStore.Open(Path.Combine(root, "ours"));
                IndexStore.BuildFromPassages(dir, passages, d => d, label, TimeProvider.System);
            });
            using var engine = new SearchEngine(
                Options.Create(new CorpusOptions()), Options.Create(new IndexOptions { Path = Path.Combine(root, "ours") }),
                Options.Create(new RetrievalOptions()), TimeProvider.System, NullLogger<SearchEngine>.Instance);
            engine.ServeExisting();
            var (p50, p99, qps, p50x2, p99x2) = Latency(q => engine.Retrieve(q, 10), queries, warmup);
            Print(stdout, label, "ours (Korean-aware + re-rank)", passages.Count, ours, p50, p99, qps, p50x2, p99x2);

            if (baseline)
            {
                var baseTime = Measure(() =>
                {
                    using var dir = IndexStore.Open(Path.Combine(root, "cjk"));
                    IndexStore.BuildFromPassages(dir, passages, d => d, label, TimeProvider.System, new CJKAnalyzer(LuceneSettings.Version));
                });
                using var dir = IndexStore.Open(Path.Combine(root, "cjk"));
                using var reader = DirectoryReader.Open(dir);
                var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
                var analyzer = new CJKAnalyzer(LuceneSettings.Version);
                var (b50, b99, bqps, b50x2, b99x2) = Latency(q => PlainSearch(searcher, analyzer, q), queries, warmup);
                Print(stdout, label, "baseline (CJKAnalyzer, BM25)", passages.Count, baseTime, b50, b99, bqps, b50x2, b99x2);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {label} | ratio ours/baseline | | {passages.Count / ours.TotalSeconds / (passages.Count / baseTime.TotalSeconds):F2}x | {p50 / b50:F2}x / {p99 / b99:F2}x | {p50x2 / b50x2:F2}x / {p99x2 / b99x2:F2}x | {qps / bqps:F2}x | | |"));
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

    [ThreadStatic]
    private static double LastAllocPerQuery;

    private static TimeSpan Measure(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed;
    }

    private static (double P50, double P99, double Qps, double P50x2, double P99x2) Latency<T>(Func<string, T> run, List<string> queries, int warmup)
    {
        for (var i = 0; i < warmup; i++)
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

        LastAllocPerQuery = (GC.GetAllocatedBytesForCurrentThread() - alloc0) / (double)queries.Count;
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
        return (p50, p99, qps, both[both.Length / 2], both[Math.Min(both.Length - 1, (int)Math.Ceiling(both.Length * 0.99) - 1)]);
    }

    private static void Print(TextWriter w, string label, string engine, int passages, TimeSpan index, double p50, double p99, double qps, double p50x2, double p99x2)
    {
        using var proc = Process.GetCurrentProcess();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {engine} | {passages:N0} | {passages / index.TotalSeconds:N0} | {p50:F2} / {p99:F2} | {p50x2:F2} / {p99x2:F2} | {qps:N0} | {LastAllocPerQuery / 1024:N0} | {proc.PeakWorkingSet64 / (1024 * 1024)} |"));
    }
}
