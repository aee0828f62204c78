using System.Text.RegularExpressions;
using Bot.Core.Corpus;
using Bot.Core.Search;

namespace Bot.Core.Digests;

/// <summary>
/// A two-to-three-sentence summary of an article without a language model: the article's cleaned prose is split into
/// sentences, each sentence scores by how central its words are (how often the rest of the article uses them, per word,
/// with a small bonus for the opening), and the best ones are shown in their original order.
/// </summary>
public static partial class ExtractiveSummarizer
{
    private const int MinSentenceChars = 15;
    private const int MaxSentenceChars = 180;

    public static string Summarize(Article article, int sentences = 3, int maxChars = 420)
    {
        var candidates = Sentences(article);
        if (candidates.Count == 0)
        {
            return "";
        }

        var terms = candidates.Select(Terms).ToList();
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in terms.SelectMany(x => x))
        {
            frequency[t] = frequency.GetValueOrDefault(t) + 1;
        }

        var scored = new List<(int Index, double Score)>(candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var distinct = terms[i].Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count < 2)
            {
                continue;
            }

            // Words the other sentences also use make a sentence central; words used once only are noise.
            var centrality = distinct.Sum(t => Math.Log(frequency[t] - terms[i].Count(x => x == t) + 1));
            var score = centrality / Math.Sqrt(distinct.Count);
            score *= 1 + (0.3 / (1 + i));
            // Questions, quoted remarks and "in this post we will…" sentences tell what the article asks, not what it says.
            if (candidates[i].Contains('?', StringComparison.Ordinal) || candidates[i][0] is '“' or '"' or '‘' || MetaSentence().IsMatch(candidates[i]))
            {
                score *= 0.5;
            }

            scored.Add((i, score));
        }

        var picked = new List<int>();
        var total = 0;
        foreach (var (index, _) in scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index))
        {
            var length = Math.Min(candidates[index].Length, MaxSentenceChars);
            if (picked.Count >= 2 && total + length > maxChars)
            {
                continue;
            }

            picked.Add(index);
            total += length + 1;
            if (picked.Count >= sentences)
            {
                break;
            }
        }

        return string.Join(' ', picked.Order().Select(i => TextCutter.CutAtWord(candidates[i], MaxSentenceChars)));
    }

    /// <summary>The article's prose sentences: headings, table rows, bullets, title and very short lines left out.</summary>
    internal static List<string> Sentences(Article article)
    {
        var list = new List<string>();
        foreach (var line in article.Lines)
        {
            var text = line.Text.Trim();
            if (line.IsHeading || text.Contains('|', StringComparison.Ordinal) || text == article.Title || text.Length < MinSentenceChars)
            {
                continue;
            }

            if (text[0] is '-' or '•' or '*' or '·' or '▶' or '✔' or '✅' || char.IsDigit(text[0]) && text.Length > 1 && text[1] is '.' or ')')
            {
                continue;
            }

            foreach (var s in SentenceEnd().Split(text))
            {
                var sentence = Markup().Replace(s, "").Trim();
                if (sentence.Length >= MinSentenceChars && sentence.Any(char.IsLetter))
                {
                    list.Add(sentence);
                }
            }
        }

        return list;
    }

    private static List<string> Terms(string sentence)
    {
        var list = new List<string>();
        foreach (var w in KoreanWords.Split(sentence))
        {
            if (w.Text.Length >= 2 && (w.Kind != WordKind.Hangul || !KoreanWords.IsPredicateLike(w)))
            {
                list.Add(w.Text.ToLowerInvariant());
            }
        }

        return list;
    }

    [GeneratedRegex(@"(?<=[.!?。])\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"이\s*글에서는|이번\s*글|(알아|살펴|분석해)\s*보겠습니다|In this (post|article)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaSentence();

    [GeneratedRegex(@"\*\*|__|`")]
    private static partial Regex Markup();
}
