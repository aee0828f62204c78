using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Bot.Core.Search;

namespace Bot.Core.Conversations;

/// <summary>How a message in a thread is to be searched.</summary>
/// <param name="Elliptical">The message leans on the earlier question ("그럼 R1은?", "what about the cost?", "몇 개?").</param>
/// <param name="Query">What to search: the message itself, or for an elliptical one the message followed by the carried words.</param>
/// <param name="Carried">The earlier question's words added to the message (empty when it stands alone).</param>
public sealed record FollowUpResolution(bool Elliptical, string Query, IReadOnlyList<string> Carried);

/// <summary>
/// Reads a message in the light of the thread's earlier question, using the <see cref="QueryPlanner"/>'s analysis of both.
/// <para><b>Elliptical or complete.</b> A message is elliptical when it opens like a continuation ("그럼", "그러면",
/// "and", "what about", "how about"), points back with a demonstrative ("그거", "그 회사", "it", "they"), has no content
/// word of its own ("몇 개?", "언제?"), or has just one and no predicate ("R1은?", "비용은?"). Anything else, a question
/// with its own subject and verb, stands alone.</para>
/// <para><b>Carrying over.</b> The message's own words come first; then the earlier question's content words (not its
/// predicates, as the planner analysed them: index forms, glossary phrases kept whole) that the message lacks. A name or
/// model code in the message replaces the earlier ones ("그럼 R1은?" after "딥시크 V3 훈련 비용은?" carries 딥시크, 훈련,
/// 비용, not V3); a content word of its own replaces the earlier focus (the words marked as topic, or in English the first
/// content word: "what about the cost?" after "how many GPUs…" drops GPUs). When the message asks about nothing new, the
/// kind of answer the earlier question wanted (an amount, a date) is carried as one question word in the message's
/// language.</para>
/// </summary>
public sealed partial class FollowUpResolver
{
    private static readonly HashSet<string> Demonstratives = new(StringComparer.OrdinalIgnoreCase)
    {
        "그", "이", "저", "그거", "그게", "그건", "그걸", "그것", "그것은", "그것이", "이거", "이게", "이건", "이것", "저거", "저게",
        "거기", "거기서", "거기는", "그곳", "그중", "그중에", "그들", "그들은", "그녀", "그가", "그는", "그의", "그날", "그때", "해당",
        "it", "its", "they", "them", "their", "that", "those", "this", "these",
    };

    private readonly QueryPlanner _planner;

    public FollowUpResolver(QueryPlanner planner)
    {
        _planner = planner;
    }

    /// <summary>Whether <paramref name="message"/> is elliptical, judged on its own (no earlier question needed).</summary>
    public bool IsElliptical(string message) => IsElliptical(AnswerComposer.Normalize(message), _planner.Plan(AnswerComposer.Normalize(message)));

    /// <summary>The query for <paramref name="message"/> in a thread whose earlier question was searched as <paramref name="earlier"/>.</summary>
    public FollowUpResolution Resolve(string earlier, string message)
    {
        var text = AnswerComposer.Normalize(message);
        var plan = _planner.Plan(text);
        if (!IsElliptical(text, plan))
        {
            return new FollowUpResolution(false, text, []);
        }

        var before = _planner.Plan(AnswerComposer.Normalize(earlier));
        var own = plan.Groups.Where(g => !g.Predicate).ToList();
        var ownTerms = own.SelectMany(g => g.Forms).SelectMany(f => f.Terms).ToHashSet(StringComparer.Ordinal);
        var ownCode = own.Any(g => g.Name || Codes(g.Forms[0].Text).Any());
        var ownOther = own.Any(g => !g.Name && !Codes(g.Forms[0].Text).Any());

        // The earlier question's focus gives way to the message's own content word: the words it marked as its topic
        // (Korean: the word before 은/는/이/가), or when it marks none (English), its first content word.
        var content = before.Groups.Where(g => !g.Predicate).ToList();
        var marked = content.Where(g => g.MarkedAsTopic).ToList();
        var focus = marked.Count > 0 ? marked : content.Take(LanguageDetector.Detect(earlier) == Language.English ? 1 : 0).ToList();
        var carried = new List<string>();
        foreach (var g in content)
        {
            if (ownOther && focus.Contains(g))
            {
                continue;
            }

            // A model or product code of the message ("R1") replaces the earlier one ("딥시크 V3" → "딥시크").
            var words = g.Forms[0].Text;
            if (ownCode)
            {
                if (g.Name)
                {
                    continue;
                }

                words = string.Join(' ', words.Split(' ').Where(w => !Codes(w).Any()));
            }

            if (words.Length == 0 || g.Forms.Where(f => !f.IsSynonym).SelectMany(f => f.Terms).Any(ownTerms.Contains) || carried.Any(c => string.Equals(c.Replace(" ", "", StringComparison.Ordinal), words.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            carried.Add(words);
        }

        // The kind of answer asked for (an amount, a date) carries over when the message asks about nothing new itself.
        var korean = LanguageDetector.Detect(text) == Language.Korean;
        if (plan.Cues == QuestionCue.None && !ownOther)
        {
            var cue = before.Cues.HasFlag(QuestionCue.Amount) ? (korean ? "얼마" : "how much")
                : before.Cues.HasFlag(QuestionCue.Date) ? (korean ? "언제" : "when") : null;
            if (cue is not null && !carried.Any(c => c.Contains(cue, StringComparison.OrdinalIgnoreCase)))
            {
                carried.Add(cue);
            }
        }

        var query = carried.Count == 0 ? text : text + " " + string.Join(' ', carried);
        return new FollowUpResolution(true, query, carried);
    }

    private static bool IsElliptical(string text, QueryPlan plan)
    {
        if (ContinuationRegex().IsMatch(text))
        {
            return true;
        }

        var words = WordRegex().Matches(text).Select(m => m.Value);
        if (words.Any(Demonstratives.Contains))
        {
            return true;
        }

        var content = plan.Groups.Count(g => !g.Predicate);
        return content == 0 || (content == 1 && !plan.Groups.Any(g => g.Predicate));
    }

    [GeneratedRegex(@"^\W*(그럼|그러면|그렇다면|그리고|그럼요|and|also|then|so|what about|how about|what of|same for)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ContinuationRegex();

    /// <summary>Model and product codes in a word: Latin letters with digits ("R1", "v3", "H100", "GPT-4o").</summary>
    private static IEnumerable<string> Codes(string text) => CodeRegex().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"(?i)\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,}\b")]
    private static partial Regex CodeRegex();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordRegex();
}
