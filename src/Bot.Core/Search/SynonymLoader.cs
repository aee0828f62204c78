using System.Reflection;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Synonym;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Bot.Core.Search;

/// <summary>
/// Builds the <see cref="SynonymMap"/> for Lucene's <see cref="SynonymFilter"/> from Solr-format text: the built-in
/// glossary plus an optional operator file. Lines are <c>a, b, c</c> (equivalent: each expands to all) or
/// <c>a, b =&gt; c, d</c> (one direction); <c>#</c> starts a comment. Entries are analysed with the question word analysis,
/// so particles and plurals match. A multi-word entry still matches a multi-word question, but is emitted as ONE token
/// (words separated by spaces) so that it stays one alternative of one question word instead of spilling onto the
/// positions of the words that follow.
/// </summary>
public static class SynonymLoader
{
    /// <summary>The general glossary: domain vocabulary, transliterations, colloquial verbs.</summary>
    public const string ResourceName = "Bot.Core.Search.synonyms.txt";

    /// <summary>
    /// The corpus lexicon: the articles' own words (right side of each rule) with their English equivalents and common
    /// colloquial variants (left side). Built from the articles, never from questions; a test checks that the article
    /// side of every rule occurs in seeds/.
    /// </summary>
    public const string LexiconResourceName = "Bot.Core.Search.lexicon.txt";

    public static string BuiltInText(string resource = ResourceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"built-in resource {resource} missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses the glossary (and <paramref name="extraPath"/>). Throws <see cref="FormatException"/> naming the file and line.</summary>
    public static SynonymMap Load(string? extraPath = null) => LoadWithIndex(extraPath).Map;

    /// <summary>The map, plus the single-word entries and their synonyms (for the stem and prefix lookups of conjugated words).</summary>
    /// <param name="lexicon">Also load the corpus lexicon (<see cref="LexiconResourceName"/>).</param>
    public static (SynonymMap Map, IReadOnlyDictionary<string, List<string>> SingleWords) LoadWithIndex(string? extraPath = null, bool lexicon = true) =>
        ShareBuiltIn && string.IsNullOrWhiteSpace(extraPath)
            ? SharedBuiltIn.GetOrAdd(lexicon, l => new(() => Build(null, l))).Value
            : Build(extraPath, lexicon);

    /// <summary>
    /// Test hook, off in the bot (which builds one engine): when on, the built-in map (no operator file) is built once per
    /// process and the same read-only map and single-word index are handed to every engine. A test process builds hundreds
    /// of engines, and building the map was about a fifth of Core's test CPU time.
    /// </summary>
    internal static bool ShareBuiltIn { get; set; }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<bool, Lazy<(SynonymMap, IReadOnlyDictionary<string, List<string>>)>> SharedBuiltIn = new();

    private static (SynonymMap Map, IReadOnlyDictionary<string, List<string>> SingleWords) Build(string? extraPath, bool lexicon)
    {
        var builder = new SynonymMap.Builder(dedup: true);
        var analyzer = new KoreanWordAnalyzer();
        var single = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Parse(builder, analyzer, BuiltInText(), "built-in synonyms.txt", single);
        if (lexicon)
        {
            Parse(builder, analyzer, BuiltInText(LexiconResourceName), "built-in lexicon.txt", single);
        }

        if (!string.IsNullOrWhiteSpace(extraPath))
        {
            string text;
            try
            {
                text = File.ReadAllText(extraPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new FormatException($"cannot read synonyms file {extraPath}: {ex.Message}", ex);
            }

            Parse(builder, analyzer, text, extraPath, single);
        }

        return (builder.Build(), single);
    }

    private static void Parse(SynonymMap.Builder builder, Analyzer analyzer, string text, string source, Dictionary<string, List<string>> single)
    {
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var arrow = line.Split("=>");
            if (arrow.Length > 2)
            {
                throw new FormatException($"{source}:{lineNo}: more than one '=>'");
            }

            var inputs = Entries(analyzer, arrow[0]);
            var outputs = arrow.Length == 2 ? Entries(analyzer, arrow[1]) : inputs;
            if (inputs.Count == 0 || outputs.Count == 0)
            {
                continue;
            }

            foreach (var input in inputs)
            {
                var inputRef = SynonymMap.Builder.Join(input.ToArray(), new CharsRef());
                foreach (var output in outputs)
                {
                    if (output.SequenceEqual(input))
                    {
                        continue;
                    }

                    var outputText = string.Join(' ', output);
                    builder.Add(inputRef, new CharsRef(outputText), includeOrig: true);
                    if (input.Count == 1)
                    {
                        if (!single.TryGetValue(input[0], out var list))
                        {
                            single[input[0]] = list = [];
                        }

                        if (!list.Contains(outputText))
                        {
                            list.Add(outputText);
                        }
                    }
                }
            }
        }
    }

    private static List<List<string>> Entries(Analyzer analyzer, string side)
    {
        var result = new List<List<string>>();
        foreach (var entry in side.Split(','))
        {
            var words = new List<string>();
            using var ts = analyzer.GetTokenStream("synonym", entry.Trim());
            var term = ts.AddAttribute<ICharTermAttribute>();
            ts.Reset();
            while (ts.IncrementToken())
            {
                words.Add(term.ToString());
            }

            ts.End();
            // The planner drops English articles before it reads synonyms, and an entry matched from a dropped word loses its
            // synonyms ("the author" would hide "author"): an English entry starts after its article.
            while (words.Count > 1 && words[0] is "the" or "a" or "an")
            {
                words.RemoveAt(0);
            }

            if (words.Count > 0 && result.All(r => !r.SequenceEqual(words)))
            {
                result.Add(words);
            }
        }

        return result;
    }
}
