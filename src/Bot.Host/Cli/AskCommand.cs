using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Cli;

/// <summary><c>bot ask</c>: one question (human-readable, --json or --explain) or a JSONL batch in the eval format.</summary>
internal static class AskCommand
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static int Run(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string> { "top", "batch", "out", "thread" });
        args.RejectUnknown("top", "batch", "out", "json", "explain", "thread");
        var batch = args.Value("batch");
        if (batch is not null)
        {
            if (args.Positionals.Count > 0)
            {
                throw new UsageException("ask --batch FILE takes no question");
            }

            return RunBatch(batch, args.Value("out"), args.Flag("explain"), config, stdout, stderr);
        }

        if (args.Positionals.Count == 0)
        {
            throw new UsageException("ask needs a question, e.g. bot ask \"딥시크 V3 훈련 비용은 얼마야?\"");
        }

        var question = string.Join(' ', args.Positionals);
        var top = args.Int("top", 3, 1, 20);
        if (args.Value("thread") is { } thread)
        {
            return ChatCommand.AskInThreadAsync(question, thread, top, args.Flag("json"), config, stdout, stderr).GetAwaiter().GetResult();
        }

        using var sp = BotCli.CoreServices(config);
        var handler = sp.GetRequiredService<QuestionHandler>();
        EnsureIndex(handler, stderr);
        var (answer, result) = handler.AskWithEvidence(question, top);
        if (answer.Status is AnswerStatus.Empty or AnswerStatus.TooLong)
        {
            if (args.Flag("json"))
            {
                stdout.WriteLine(JsonSerializer.Serialize(ToJson(answer), Json));
            }

            stderr.WriteLine($"error: {answer.Decline!.Message}");
            return ExitCodes.Usage;
        }

        if (args.Flag("json"))
        {
            var node = ToJson(answer);
            if (args.Flag("explain") && result is not null)
            {
                node["explain"] = Explain(result, answer);
            }

            stdout.WriteLine(node.ToJsonString(Json));
            return ExitCodes.Ok;
        }

        AnswerPrinter.Print(answer, stdout, color: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out));
        if (args.Flag("explain") && result is not null)
        {
            AnswerPrinter.PrintExplain(result, answer, stdout);
        }

        return ExitCodes.Ok;
    }

    private static void EnsureIndex(QuestionHandler handler, TextWriter stderr)
    {
        if (handler.Engine.EnsureIndex())
        {
            IndexCommand.WarnSkipped(handler.Engine.Manifest!, stderr);
        }
    }

    /// <summary>True when two paths name the same file (after resolving relative parts and symbolic links).</summary>
    internal static bool SameFile(string a, string b)
    {
        static string Resolve(string p)
        {
            var full = Path.GetFullPath(p);
            try
            {
                return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            }
            catch (IOException)
            {
                return full;
            }
        }

        return string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static int RunBatch(string path, string? outPath, bool explain, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        if (outPath is not null && SameFile(path, outPath))
        {
            throw new UsageException($"--out {outPath} is the batch file itself; write the results to another file");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"batch file not found: {path}");
        }

        using var sp = BotCli.CoreServices(config, evalLevers: true);
        var handler = sp.GetRequiredService<QuestionHandler>();
        EnsureIndex(handler, stderr);
        using var file = outPath is null ? null : new StreamWriter(outPath, false, new UTF8Encoding(false));
        var output = file ?? stdout;
        var lineNo = 0;
        var bad = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode? id = null;
            string? question = null;
            try
            {
                var obj = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object");
                id = obj["id"]?.DeepClone();
                question = obj["question"]?.GetValue<string>();
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                stderr.WriteLine($"warning: {path}:{lineNo}: skipped, {ex.Message}");
                bad++;
            }

            var record = new JsonObject { ["id"] = id };
            if (question is null)
            {
                record["results"] = new JsonArray();
                record["abstained"] = true;
                record["error"] = "missing question";
            }
            else
            {
                var (answer, result) = handler.AskWithEvidence(question, 5);
                record["results"] = new JsonArray(answer.Citations.Select(c => (JsonNode)new JsonObject
                {
                    ["doc"] = c.DocId,
                    ["snippet"] = c.Snippet.Text,
                    ["score"] = c.Score,
                    ["title"] = c.Title,
                    ["passage"] = c.Passage,
                }).ToArray());
                record["abstained"] = answer.Status != AnswerStatus.Answered;
                if (answer.Decline is not null)
                {
                    record["reason"] = answer.Decline.Message;
                }

                if (result is not null)
                {
                    record["coverage"] = Math.Round(result.Evidence.BestCoverage, 3);
                    if (explain)
                    {
                        record["signals"] = Signals(result);
                        record["missing"] = new JsonArray(result.Evidence.MissingWords.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray());
                    }
                }
            }

            output.WriteLine(record.ToJsonString(Json));
        }

        output.Flush();
        return bad > 0 ? ExitCodes.Usage : ExitCodes.Ok;
    }

    internal static JsonObject ToJson(Answer answer) => new()
    {
        ["question"] = answer.Question,
        ["language"] = answer.Language == Language.Korean ? "ko" : "en",
        ["status"] = answer.Status.ToString(),
        ["answered"] = answer.Status == AnswerStatus.Answered,
        ["reason"] = answer.Decline?.Message,
        ["missingWords"] = new JsonArray((answer.Decline?.MissingWords ?? []).Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
        ["results"] = new JsonArray(answer.Citations.Select(c => (JsonNode)new JsonObject
        {
            ["doc"] = c.DocId,
            ["title"] = c.Title,
            ["passage"] = c.Passage,
            ["score"] = c.Score,
            ["snippet"] = c.Snippet.Text,
            ["highlights"] = new JsonArray(c.Snippet.Highlights.Select(h => (JsonNode)new JsonArray(h.Start, h.Length)).ToArray()),
            ["matched"] = new JsonArray(c.MatchedTerms.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
        }).ToArray()),
    };

    internal static JsonObject Explain(RetrievalResult result, Answer answer) => new()
    {
        ["words"] = new JsonArray(result.Evidence.Words.Select(w => (JsonNode)new JsonObject
        {
            ["word"] = w.Word,
            ["forms"] = new JsonArray(w.Forms.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            ["weight"] = Math.Round(w.Weight, 3),
            ["inCorpus"] = w.InCorpus,
        }).ToArray()),
        ["stopwords"] = new JsonArray(result.Plan.Stopped.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
        ["cues"] = result.Plan.Cues.ToString(),
        ["bestCoverage"] = Math.Round(result.Evidence.BestCoverage, 3),
        ["abstain"] = answer.Status != AnswerStatus.Answered,
        ["declineCause"] = answer.Decline?.Cause.ToString(),
        ["signals"] = Signals(result),
        ["hits"] = new JsonArray(result.Hits.Select(h => (JsonNode)new JsonObject
        {
            ["id"] = h.Id,
            ["bm25"] = Math.Round(h.Bm25, 3),
            ["coverage"] = Math.Round(h.Coverage, 3),
            ["score"] = Math.Round(h.Score, 4),
            ["matched"] = new JsonArray(h.MatchedWords.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
        }).ToArray()),
    };

    /// <summary>
    /// The decision's signals, and for the offline fit also the best score, its margin over the second and the share of
    /// the in-corpus content words that the best passage lacks (all read off the result; the decision does not use them).
    /// </summary>
    private static JsonObject Signals(RetrievalResult result)
    {
        var s = result.Evidence.Signals;
        var hits = result.Hits;
        var content = result.Evidence.Words.Where(w => w.InCorpus && !w.Predicate).ToList();
        var contentWeight = content.Sum(w => w.Weight);
        var weakWeight = content.Where(w => result.Evidence.WeakWords.Contains(w.Word)).Sum(w => w.Weight);
        return new JsonObject
        {
            ["coverage"] = Math.Round(s.Coverage, 4),
            ["missingShare"] = Math.Round(s.MissingShare, 4),
            ["missingName"] = s.MissingName,
            ["missingTopic"] = s.MissingTopic,
            ["noCount"] = s.NoCount,
            ["noDate"] = s.NoDate,
            ["noOther"] = s.NoOther,
            ["weakShare"] = Math.Round(contentWeight > 0 ? weakWeight / contentWeight : 0, 4),
            ["bestScore"] = Math.Round(hits.Count > 0 ? hits[0].Score : 0, 4),
            ["margin"] = Math.Round(hits.Count > 1 ? hits[0].Score - hits[1].Score : hits.Count > 0 ? hits[0].Score : 0, 4),
        };
    }
}
