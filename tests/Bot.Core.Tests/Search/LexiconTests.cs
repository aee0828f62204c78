using Bot.Core.Search;
using Bot.TestSupport;

namespace Bot.Core.Tests.Search;

/// <summary>The corpus lexicon is built from the articles: every article-side word must be in seeds/.</summary>
public class LexiconTests
{
    private static readonly string Lexicon = SynonymLoader.BuiltInText(SynonymLoader.LexiconResourceName);

    private static IEnumerable<(int Line, string Left, string Right)> Rules()
    {
        var n = 0;
        foreach (var raw in Lexicon.Split('\n'))
        {
            n++;
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split("=>");
            Assert.True(parts.Length == 2, $"lexicon line {n} is not a one-way rule: {line}");
            yield return (n, parts[0], parts[1]);
        }
    }

    [Fact]
    public void EveryArticleSideEntry_OccursInTheSeeds()
    {
        var text = string.Join('\n', Directory.GetFiles(RepoPaths.Seeds, "*.txt").Select(File.ReadAllText)).ToLowerInvariant();
        var compact = Squeeze(text);
        var missing = new List<string>();
        var rules = 0;
        foreach (var (line, _, right) in Rules())
        {
            rules++;
            foreach (var entry in right.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var e = entry.ToLowerInvariant();
                if (!text.Contains(e, StringComparison.Ordinal) && !compact.Contains(Squeeze(e), StringComparison.Ordinal))
                {
                    missing.Add($"{line}: {entry}");
                }
            }
        }

        Assert.True(rules > 500, $"only {rules} rules");
        Assert.Empty(missing);
    }

    [Fact]
    public void ArticleSides_AreWordsOrShortTerms_NotClauses()
    {
        // A clause of article text on the right ("나비의 작은 날갯짓이 태풍을 일으키는 것처럼") maps a question onto its
        // answer sentence: it matches the question it was written for and nothing else.
        var clauses = Rules()
            .SelectMany(r => r.Right.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => (r.Line, Entry: e)))
            .Where(x => x.Entry.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 3)
            .Select(x => $"{x.Line}: {x.Entry}")
            .ToList();
        Assert.Empty(clauses);
    }

    [Fact]
    public void NoRule_MapsAWordToItself()
    {
        foreach (var (line, left, right) in Rules())
        {
            var targets = right.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var variant in left.Split(',', StringSplitOptions.TrimEntries))
            {
                Assert.False(targets.Contains(variant), $"lexicon line {line}: '{variant}' maps to itself");
            }
        }
    }

    [Fact]
    public void Lexicon_TakesEnglishInflectionsAndColloquialStems_ToArticleWords()
    {
        var (map, single) = SynonymLoader.LoadWithIndex();
        var planner = new QueryPlanner(new KoreanQueryAnalyzer(map, single));
        var drop = planner.Plan("Why did the shares plunge?").Groups.Single(g => g.Surface == "plunge");
        Assert.Contains(drop.Forms, f => f.Text == "폭락");
        var fell = planner.Plan("엔비디아 주가 곤두박질쳤어?").Groups.Single(g => g.Surface == "곤두박질쳤어");
        Assert.Contains(fell.Forms, f => f.Text == "폭락");

        var (without, single0) = SynonymLoader.LoadWithIndex(lexicon: false);
        var bare = new QueryPlanner(new KoreanQueryAnalyzer(without, single0)).Plan("엔비디아 주가 곤두박질쳤어?");
        Assert.DoesNotContain(bare.Groups.Single(g => g.Surface == "곤두박질쳤어").Forms, f => f.Text == "폭락");
    }

    private static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c) && c != ','));
}
