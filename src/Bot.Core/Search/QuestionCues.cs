using System.Text.RegularExpressions;

namespace Bot.Core.Search;

/// <summary>How well a passage fits the kind of answer a question's cues ask for (<see cref="QuestionCue"/>): a number for
/// "how much", a date for "when". Used by the re-ranking as a small bonus.</summary>
internal static partial class QuestionCues
{
    /// <summary>One point for each cue of <paramref name="cues"/> that <paramref name="text"/> answers in kind.</summary>
    public static double Bonus(QuestionCue cues, string text)
    {
        var bonus = 0.0;
        if (cues.HasFlag(QuestionCue.Amount) && AmountRegex().IsMatch(text))
        {
            bonus += 1;
        }

        if (cues.HasFlag(QuestionCue.Date) && DateRegex().IsMatch(text))
        {
            bonus += 1;
        }

        return bonus;
    }

    /// <summary>
    /// The question asks when: 언제, 날짜, 며칠, 몇 년도, 몇 월; in English a question opening with "when", "when" before an
    /// auxiliary ("and when was that?"), or "what year/date"; a noun of the day or year something happened (출시일, 설립
    /// 연도, "release date"). Not "when" as a conjunction ("even when GPUs are short") and
    /// not 몇 년 alone ("몇 년간", "몇 년생" are durations and ages).
    /// </summary>
    public static bool AsksForDate(string question) => AsksDateRegex().IsMatch(question) && !WhenClauseThenQuestion().IsMatch(question);

    // "When US officials hinted at it, what case did they cite?": a clause opening with when, then the question proper
    [GeneratedRegex(@"^\s*when\b[^?,]*,\s*(what|which|who|whom|whose|how|why|where)\b(?![^?]*\bwhen\b)", RegexOptions.IgnoreCase)]
    private static partial Regex WhenClauseThenQuestion();

    /// <summary>The text gives a date: a year, a month, or a numeric date.</summary>
    public static bool GivesDate(string text) => DateRegex().IsMatch(text);

    [GeneratedRegex(@"언제|날짜|며칠|몇\s*년도|몇\s*월|(출시|설립|창립|창업|발표|공개|상장|발매|런칭|론칭)\s*(일|일자|연도|년도|시기)(은|는|이|가|이야|임|좀)?(?![가-힣])|^\s*when\b|\bwhen\s+(was|were|did|do|does|is|are|will|has|have|had)\b|\b(what|which)\s+(year|date|month|day)\b|\b(release|launch|founding|ipo)\s+date\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksDateRegex();

    /// <summary>The question asks who (누구, 누가, who, whom, whose).</summary>
    public static bool AsksForPerson(string question) => AsksWhoRegex().IsMatch(question);

    /// <summary>The question asks why (왜, 이유, 까닭, why, reason).</summary>
    public static bool AsksForReason(string question) => AsksWhyRegex().IsMatch(question);

    /// <summary>
    /// For the ranker: whether <paramref name="text"/> has what a who or why question asks for, a person (a title such as
    /// CEO, 대표, 교수, or a capitalised two-word name) or a reason (때문, 덕분, 원인, because …): 0 when the question asks
    /// neither, else 1 when the passage has it and -1 when it does not (<see cref="RankFeatures.Who"/>, <see cref="RankFeatures.Why"/>).
    /// </summary>
    public static (double Who, double Why) Kinds(bool asksWho, bool asksWhy, string text) =>
        (!asksWho ? 0 : PersonRegex().IsMatch(text) ? 1 : -1, !asksWhy ? 0 : ReasonRegex().IsMatch(text) ? 1 : -1);

    [GeneratedRegex(@"누구|누가|누군|\bwho(m|se)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksWhoRegex();

    [GeneratedRegex(@"왜|이유|까닭|\bwhy\b|\breasons?\b", RegexOptions.IgnoreCase)]
    private static partial Regex AsksWhyRegex();

    [GeneratedRegex(@"CEO|대표|교수|창업자|설립자|회장|총리|애널리스트|연구원|블로거|의장|장관|[A-Z][a-z]+ [A-Z][a-z]+")]
    private static partial Regex PersonRegex();

    [GeneratedRegex(@"때문|덕분|이유|원인|덕에|탓|because|due to|결과적으로|따라서|그래서", RegexOptions.IgnoreCase)]
    private static partial Regex ReasonRegex();

    [GeneratedRegex(@"\d")]
    private static partial Regex AmountRegex();

    [GeneratedRegex(@"\d{4}\s*년|\d{1,2}\s*월|\d{4}[.\-/]\d{1,2}|(19|20)\d{2}")]
    private static partial Regex DateRegex();
}
