using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Bot.Core.Search;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot bench --update</c>: how soon a changed article is searchable without a full rebuild. Writes a corpus of
/// article files from a synthetic corpus (ten passages an article), builds its index, then, on the served index,
/// edits, adds and removes one article (several rounds) and times each from the file change to the first search that
/// reflects it (what the seeds watcher does on its next check), then the compaction that follows them, against a full
/// rebuild of the same corpus.
/// </summary>
internal static class UpdateBench
{
    private const int PassagesPerArticle = 10;

    public static int Run(string corpusDir, int articles, int rounds, TextWriter stdout)
    {
        var source = Path.Combine(corpusDir, "corpus_10k.jsonl");
        if (!File.Exists(source))
        {
            throw new UsageException($"no {source}; generate it first: python3 ../shared/perf/gen_corpus.py --out {corpusDir} --sizes 10000");
        }

        var root = Path.Combine(Path.GetTempPath(), $"bot-update-bench-{Guid.NewGuid():N}");
        try
        {
            var seeds = Path.Combine(root, "seeds");
            var written = WriteArticles(source, seeds, articles);
            // compaction is timed on its own below, not left to the timer in the middle of a measurement
            using var engine = new SearchEngine(
                Options.Create(new CorpusOptions { SeedsPath = seeds }), Options.Create(new IndexOptions { Path = Path.Combine(root, "index"), CompactDelay = TimeSpan.FromDays(1) }),
                Options.Create(new RetrievalOptions()), TimeProvider.System, NullLogger<SearchEngine>.Instance);
            var full = Time(() => engine.EnsureIndex());
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"update bench: {written:N0} article files, {engine.Manifest!.Passages:N0} passages (from {source}), {Environment.ProcessorCount} cores; times from the file change to a search that reflects it"));
            stdout.WriteLine("| step | ms |");
            stdout.WriteLine("|---|---|");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| full build (first run) | {full:F0} |"));

            var (edits, adds, removes) = (new List<double>(), new List<double>(), new List<double>());
            for (var r = 1; r <= rounds; r++)
            {
                var docId = DocId((r * 317) % written);
                var marker = $"zqxedit{r}";
                File.AppendAllText(Path.Combine(seeds, docId + ".txt"), $"\n{marker} 고래드론 연구소가 심해 탐사 결과를 발표했습니다.\n");
                edits.Add(Time(() => Expect(engine, marker, docId, found: true)));

                var added = DocId(written + r);
                var addedMarker = $"zqxadded{r}";
                File.WriteAllText(Path.Combine(seeds, added + ".txt"), $"고래드론 연구소 소식\n{addedMarker} 고래드론 연구소가 새 탐사선을 공개했습니다.\n");
                adds.Add(Time(() => Expect(engine, addedMarker, added, found: true)));
                File.Delete(Path.Combine(seeds, added + ".txt"));
                removes.Add(Time(() => Expect(engine, addedMarker, added, found: false)));
            }

            stdout.WriteLine(Row("one article edited → searchable", edits));
            stdout.WriteLine(Row("one article added → searchable", adds));
            stdout.WriteLine(Row("one article removed → no longer found", removes));
            var compact = Time(() => engine.Index.Compact());
            Expect(engine, $"zqxedit{rounds}", DocId((rounds * 317) % written), found: true, afterCompaction: true);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| compaction after them (background, exact again) | {compact:F0} |"));
            var rebuild = Time(() => engine.EnsureIndex(force: true));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| full rebuild (index --force) | {rebuild:F0} |"));
            return ExitCodes.Ok;
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

    private static string DocId(int i) => $"a{i:D5}";

    /// <summary>The median of the measurements, all of them listed (the first is JIT-cold).</summary>
    private static string Row(string step, List<double> times)
    {
        var sorted = times.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {step} (median of {times.Count}: {string.Join(", ", times.Select(e => e.ToString("F0", CultureInfo.InvariantCulture)))}) | {sorted[sorted.Count / 2]:F0} |");
    }

    /// <summary>Re-indexes what changed (incrementally, or the bench is wrong) and checks the search result.</summary>
    private static void Expect(SearchEngine engine, string word, string docId, bool found, bool afterCompaction = false)
    {
        if (!afterCompaction && (!engine.RefreshIfSeedsChanged() || engine.Index.LastChange is not { Full: false }))
        {
            throw new InvalidOperationException("the change was not applied incrementally");
        }

        var hits = engine.Retrieve(word, 5).Hits;
        if (found != (hits.Count > 0 && hits[0].DocId == docId))
        {
            throw new InvalidOperationException($"'{word}' {(found ? "not found in" : "still found in")} {docId}");
        }
    }

    /// <summary>Article files of <see cref="PassagesPerArticle"/> synthetic passages each (one a line), under a title line.</summary>
    private static int WriteArticles(string source, string seeds, int articles)
    {
        Directory.CreateDirectory(seeds);
        var lines = new List<string>();
        var written = 0;
        foreach (var line in File.ReadLines(source))
        {
            using var json = JsonDocument.Parse(line);
            lines.Add(json.RootElement.GetProperty("text").GetString()!);
            if (lines.Count == PassagesPerArticle)
            {
                File.WriteAllText(Path.Combine(seeds, DocId(written) + ".txt"), $"합성 기사 {written}\n" + string.Join('\n', lines) + "\n", Encoding.UTF8);
                lines.Clear();
                if (++written == articles)
                {
                    break;
                }
            }
        }

        return written;
    }

    private static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalMilliseconds;
    }
}
