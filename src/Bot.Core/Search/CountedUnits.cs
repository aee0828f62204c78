using System.Text.RegularExpressions;

namespace Bot.Core.Search;

/// <summary>
/// "How many of what" in a Korean question, and whether a passage gives such a number. "몇 살이야?" asks for a number of
/// 살 (years of age): a passage that answers it says "N살" or "N세"; one that only mentions the person ("량원펑(1985.")
/// says something else. Korean counts with a unit word after the number (2048개, 17%, 5만 개, 3개월), so the unit after
/// 몇 is what the answer must carry; units of one kind stand for each other (개 and 장 for chips, 살 and 세 for age).
/// Only a question whose one question word is 몇 counts: "지난 몇 년간 무엇을 지켜봤나요?" asks for 무엇.
/// </summary>
internal static partial class CountedUnits
{
    // Units of one kind, each list read as "any of these answers a question in any of them". A unit not listed stands for
    // itself ("몇 토큰", "몇 B").
    private static readonly string[][] Kinds =
    [
        ["개", "장", "대", "기", "종", "가지", "건", "척"],
        ["명", "사람", "분"],
        ["살", "세"],
        ["년", "년도", "해", "년생"],
        ["개월", "달"],
        ["%", "퍼센트", "프로", "퍼"],
        [Money, "달러", "불", "원", "위안", "엔", "유로"],
        ["배"],
        ["시간"],
        ["일"],
        ["주"],
        ["번", "회", "차례"],
        ["위", "등"],
    ];

    /// <summary>The unit of a "how much money" question ("가격은 얼마야?", "How much did it cost?"): any currency.</summary>
    public const string Money = "금액";

    private static readonly string[] Known = Kinds.SelectMany(k => k).OrderByDescending(u => u.Length).ToArray();

    /// <summary>Question words besides 몇: when one is there, the question does not ask for the count.</summary>
    private static readonly string[] OtherQuestionWords = ["무엇", "뭐", "뭘", "뭔", "무슨", "어떤", "어떻", "누구", "누가", "어디", "어느", "왜", "언제", "얼마"];

    /// <summary>English words for people counted with 명.</summary>
    private static readonly string[] People =
    [
        "people", "persons", "employees", "staff", "workers", "researchers", "engineers", "developers", "users", "students",
        "graduates", "scientists", "members", "customers", "subscribers", "founders", "investors", "executives",
    ];

    /// <summary>Words that end the noun phrase after "how many" ("how many GPUs did they …", "how many people in …").</summary>
    private static readonly HashSet<string> NotInNounPhrase = new(StringComparer.Ordinal)
    {
        "did", "do", "does", "were", "was", "are", "is", "have", "has", "had", "will", "would", "can", "could", "in", "of", "for",
        "on", "at", "to", "from", "with", "by", "per", "it", "they", "we", "you", "he", "she", "the", "a", "an",
    };

    /// <summary>English units and the Korean unit their number is written with.</summary>
    private static readonly (string English, string Unit)[] EnglishUnits =
    [
        ("times", "배"), ("hours", "시간"), ("months", "개월"), ("years", "년"), ("days", "일"), ("weeks", "주"),
        ("percent", "%"), ("dollars", "달러"),
    ];

    /// <summary>The unit a question asks the number of ("몇 개야?" → 개, "몇 %" → %, "몇 토큰이야?" → 토큰, "How many
    /// employees …?" → 명, "How old …?" → 살), or null.</summary>
    public static string? AskedUnit(string question) => KoreanUnit(question) ?? EnglishUnit(question) ?? MoneyUnit(question);

    /// <summary>
    /// "How much money": 얼마 with a noun of money ("재산은 얼마야?", "매출 얼마 찍었어?", "비용이 얼마나 들었어?") or English
    /// "how much" with a word of paying or earning. Not a change or a comparison ("얼마나 떨어졌어?", "얼마나 더 싸?",
    /// "how much cheaper"): those are answered by a share or a factor as often as by an amount.
    /// </summary>
    private static string? MoneyUnit(string question)
    {
        if (question.Contains("얼마", StringComparison.Ordinal))
        {
            var others = OtherQuestionWords.Where(w => w != "얼마");
            return MoneyNoun().IsMatch(question) && !Relative().IsMatch(question) && !others.Any(w => question.Contains(w, StringComparison.Ordinal))
                ? Money
                : null;
        }

        return HowMuchMoney().IsMatch(question) && !HowMuchMore().IsMatch(question) ? Money : null;
    }

    private static string? EnglishUnit(string question)
    {
        if (!question.Contains("how", StringComparison.OrdinalIgnoreCase) && !question.Contains("percent", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var matches = HowMany().Matches(question);
        if (matches.Count != 1)
        {
            return null;
        }

        var m = matches[0];

        if (m.Groups["old"].Success)
        {
            return "살";
        }

        if (m.Groups["pct"].Success)
        {
            return "%";
        }

        var words = m.Groups["words"].Value.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Any(w => People.Contains(w, StringComparer.Ordinal)))
        {
            return "명";
        }

        // The counted noun ends the noun phrase after "how many": "how many hours", "how many H800 GPU hours".
        foreach (var word in words.TakeWhile(w => !NotInNounPhrase.Contains(w)))
        {
            foreach (var (english, unit) in EnglishUnits)
            {
                if (word == english)
                {
                    return unit;
                }
            }
        }

        return "개"; // things: chips, GPUs, models, languages, parameters
    }

    /// <summary>A word that names the kind of number asked for rather than what it is about ("비용은 얼마야?", "파라미터 수는
    /// 몇 개야?"): the currency or the unit in the passage stands for it, so it need not be next to the number.</summary>
    public static bool NamesTheAnswer(string word, string unit) =>
        (unit == Money && MoneyNoun().IsMatch(word)) || AmountNouns.Contains(word);

    // As question words appear: a one-syllable noun keeps its particle ("수는"), since a stem keeps two syllables.
    private static readonly HashSet<string> AmountNouns = new(StringComparer.Ordinal)
    {
        "수", "수는", "개수", "숫자", "규모", "비율", "비중", "점수", "횟수", "인원", "액수", "금액", "나이", "연세", "number", "count", "amount",
    };

    /// <summary>The word names only the kind of number asked for ("개수", "나이", "비율"): in a counting question the unit in
    /// the passage stands for it, so when no article contains it, it weighs like a predicate rather than missing content.</summary>
    public static bool IsAmountNoun(string word) => AmountNouns.Contains(word);

    /// <summary>The question has a Korean question word other than 몇 and 얼마 (무엇, 어떤, 왜, 누구 …).</summary>
    public static bool AsksForSomethingElse(string question) =>
        OtherQuestionWords.Any(w => w != "얼마" && question.Contains(w, StringComparison.Ordinal));

    /// <summary>Where the unit word after 몇 starts in <paramref name="question"/> ("몇 년생이야" → the index of 년), or -1: that
    /// word names the kind of answer, not the thing asked about (<see cref="QueryGroup.CountUnit"/>).</summary>
    public static int KoreanUnitStart(string question)
    {
        if (KoreanUnit(question) is null)
        {
            return -1;
        }

        return UnitAfterMyeot(question).At;
    }

    /// <summary>The question word <paramref name="surface"/> is the unit word at <paramref name="unitAt"/> (from
    /// <see cref="KoreanUnitStart"/>; -1: none), spaced from 몇 or glued to it ("몇개").</summary>
    public static bool IsUnitWord(string question, int unitAt, string surface)
    {
        if (unitAt < 0 || surface.Length == 0)
        {
            return false;
        }

        if (question.AsSpan(unitAt).StartsWith(surface, StringComparison.Ordinal))
        {
            return true;
        }

        // glued to 몇, with or without a magnitude between them ("몇개", "몇만달러")
        var myeot = question.LastIndexOf('몇', unitAt - 1 >= 0 ? unitAt - 1 : 0);
        return surface[0] == '몇' && myeot >= 0 && myeot + surface.Length > unitAt && question.AsSpan(myeot).StartsWith(surface, StringComparison.Ordinal);
    }

    private static string? KoreanUnit(string question)
    {
        if (!question.Contains('몇') || OtherQuestionWords.Any(w => question.Contains(w, StringComparison.Ordinal)))
        {
            return null;
        }

        return UnitAfterMyeot(question).Unit;
    }

    /// <summary>The one unit the question's 몇s name, and where it starts: "나이 몇이야? 몇 년생?" asks in 년생 (the bare
    /// "몇이야" names none; "몇 개 중에 몇 개" asks in 개 twice); two different units ("몇 명이 몇 년") leave it without one.</summary>
    private static (string? Unit, int At) UnitAfterMyeot(string question)
    {
        (string? Unit, int At) found = (null, -1);
        foreach (Match m in AfterMyeot().Matches(question))
        {
            var unit = RunUnit(m.Groups[1].Value);
            if (unit is null)
            {
                continue;
            }

            if (found.Unit is not null && found.Unit != unit)
            {
                return (null, -1);
            }

            found = found.Unit is null ? (unit, m.Groups[1].Index) : found;
        }

        return found;
    }

    private static string? RunUnit(string run)
    {
        if (run.StartsWith('몇'))
        {
            return null; // 몇몇: "some", not "how many"
        }

        foreach (var unit in Known)
        {
            if (run.StartsWith(unit, StringComparison.Ordinal))
            {
                return unit;
            }
        }

        // A unit the list does not know: the run without a particle or copula ("토큰이야" → 토큰, "B야" → B).
        var bare = Ending().Replace(run, "");
        return bare.Length > 0 ? bare : null;
    }

    /// <summary>Some number in <paramref name="passage"/> is followed by <paramref name="unit"/> or a unit of its kind
    /// ("2048개", "5만 개", "1985년생", "H100 칩 5만 개"); for years, a bare year such as "1985." also counts.</summary>
    /// <param name="about">When given, the question's topic ("브로드컴 주가는 몇 % 떨어졌어?": 브로드컴, 주가), as the spans of
    /// each topic word in <paramref name="passage"/>: the number counts only in a sentence that names every one of them, or
    /// in the next sentence when that one opens by referring back ("완즈라는 플랫폼 …. 이 툴은 1,500만 달러 매출"), since a number
    /// elsewhere in the passage is about something else ("엔비디아 주가의 17% 폭락." does not say how far Broadcom, named in
    /// the next sentence, fell).</param>
    public static bool Gives(string passage, string unit, IReadOnlyList<IReadOnlyList<(int Start, int End)>>? about = null)
    {
        var kind = Kinds.FirstOrDefault(k => k.Contains(unit, StringComparer.Ordinal)) ?? [unit];
        bool Near(int at) => About(passage, about, at);

        foreach (Match number in Number().Matches(passage))
        {
            var after = passage.AsSpan(number.Index + number.Length);
            after = after.TrimStart(' ');
            foreach (var u in kind)
            {
                if (after.StartsWith(u, StringComparison.OrdinalIgnoreCase) && Near(number.Index))
                {
                    return true;
                }
            }
        }

        return (kind.Contains("년", StringComparer.Ordinal) && Year().Matches(passage).Any(m => Near(m.Index)))
            || (kind.Contains(Money, StringComparer.Ordinal) && CurrencySign().Matches(passage).Any(m => Near(m.Index)));
    }

    /// <summary>Position <paramref name="at"/> of <paramref name="passage"/> is about every one of <paramref name="about"/>
    /// (each a word's spans in the passage; null: no condition): one of the word's spans is in its clause, or in the sentence
    /// before when its own opens by referring back or that one is a heading (see <see cref="Gives"/>).</summary>
    internal static bool About(string passage, IReadOnlyList<IReadOnlyList<(int Start, int End)>>? about, int at) =>
        about is null || about.All(spans => spans.Any(s => SentenceEnds(passage, s.Start, at) switch
        {
            0 => !ClauseBreak().IsMatch(passage.AsSpan(Math.Min(s.Start, at), Math.Abs(at - s.Start))),
            1 => s.Start < at && (OpensWithReference(passage, at) || OpensWithQuote(passage, at) || IsHeading(passage, s.Start)),
            _ => false,
        }));

    /// <summary>The spans in <paramref name="match"/> of each group in <paramref name="anchors"/>, for <see cref="About"/>;
    /// null when there are none.</summary>
    internal static IReadOnlyList<IReadOnlyList<(int Start, int End)>>? SpansOf(PassageMatch match, IReadOnlyList<int> anchors) =>
        anchors.Count == 0
            ? null
            : anchors.Select(t => (IReadOnlyList<(int, int)>)match.Spans.Where(s => s.Group == t).Select(s => (s.Start, s.End)).ToList()).ToList();

    /// <summary>The line around <paramref name="at"/> is a heading ("2. 하이-플라이어(High-Flyer)"): short, and not ended
    /// like a sentence. What follows it is about what it names.</summary>
    private static bool IsHeading(string text, int at)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1;
        var end = text.IndexOf('\n', at);
        if (end < 0)
        {
            return false; // the last line is followed by nothing
        }

        var line = text.AsSpan(start, end - start).Trim();
        return line.Length is > 0 and <= 60 && line[^1] is not ('.' or '!' or '?' or '다' or '요' or '죠');
    }

    /// <summary>The sentence around <paramref name="at"/> opens with a demonstrative ("이 툴은", "그는", "This model"): it is
    /// about what the sentence before named.</summary>
    private static bool OpensWithReference(string text, int at)
    {
        var start = Math.Min(at, text.Length);
        while (start > 0 && !IsSentenceEnd(text, start - 1))
        {
            start--;
        }

        return Reference().IsMatch(text.AsSpan(start, Math.Min(24, text.Length - start)));
    }

    /// <summary>The sentence around <paramref name="at"/> opens a quotation ("리카이푸 대표는 … 이런 얘기를 했어요. “이전에는 …
    /// 6~9개월 …”"): the words of the one who said it, whom the sentence before named.</summary>
    private static bool OpensWithQuote(string text, int at)
    {
        var start = Math.Min(at, text.Length);
        while (start > 0 && !IsSentenceEnd(text, start - 1))
        {
            start--;
        }

        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        return start < at && text[start] is '“' or '"' or '「' or '『';
    }

    [GeneratedRegex(@"^\s*((이|그|저|해당|이런|그런|이러한|그러한)\s|(이|그|그녀|이들|그들|이곳|그곳)(는|은|가|의)\s|(this|that|these|those|it|its|they|their)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    /// <summary>Sentence ends (a line break, ! or ?, or a full stop after a letter and before a space) between the two positions.</summary>
    private static int SentenceEnds(string text, int a, int b)
    {
        var (from, to) = a <= b ? (a, b) : (b, a);
        var ends = 0;
        var ended = false; // the last end seen was followed by nothing but spaces: a line break after "했어요." is the same end
        for (var i = from; i < to && i < text.Length; i++)
        {
            if (IsSentenceEnd(text, i))
            {
                if (!(ended && text[i] == '\n'))
                {
                    ends++;
                }

                ended = true;
            }
            else if (!char.IsWhiteSpace(text[i]))
            {
                ended = false;
            }
        }

        return ends;
    }

    private static bool IsSentenceEnd(string text, int i) =>
        text[i] is '\n' or '!' or '?'
        || (text[i] == '.' && i > 0 && !char.IsAsciiDigit(text[i - 1]) && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1])));

    /// <summary>Generic nouns that, right after a name, only say what it is ("엔비디아 회사 몸값이"): the number's clause need
    /// not repeat them.</summary>
    private static readonly HashSet<string> Appositions = new(StringComparer.Ordinal) { "회사", "기업", "업체", "측" };

    /// <summary>How many passages near the top a counting question looks through for one that gives the number.</summary>
    public const int Window = 3;

    /// <summary>A topic or focus word weighing less than this (an idf below 1: in more than about a third of the passages, as
    /// the articles' own subject 딥시크 is) says nothing about where the number stands, so it need not be in its clause
    /// ("딥시크는 구형 GPU 몇 개만으로 …": the sentence with "2048개만으로" names the GPUs, and 딥시크 only the one before).</summary>
    private const double MinLocatingWeight = 1.0;

    /// <summary>
    /// Among the first <see cref="Window"/> of <paramref name="ranked"/>, those whose text gives a number of
    /// <paramref name="unit"/> come first, in their order; the others follow in theirs ("H800 몇 개 썼어?": the passage
    /// with "2048개" ahead of a better-scoring one that gives no count). The rest of the list is untouched. True when the
    /// first item now gives such a number.
    /// </summary>
    /// <remarks>This overload decides "gives" for <paramref name="unit"/> about the question's topic: the topic and focus words
    /// (<see cref="QueryGroup.Focus"/>; only those not common to most passages) the articles contain must
    /// be in the number's sentence (<see cref="Gives"/>), except those that only name the kind of
    /// number ("비용은 얼마야?", <see cref="NamesTheAnswer"/>), which need only be in the passage, as the currency or unit
    /// stands for them.</remarks>
    public static bool PreferGiving<T>(
        List<T> ranked, Func<T, string> text, Func<T, PassageMatch> match, IReadOnlyList<QueryGroup> groups, IReadOnlyList<WordEvidence> words, string unit)
    {
        var topics = Enumerable.Range(0, groups.Count).Where(i => (groups[i].Topic || groups[i].Focus) && words[i].Weight >= MinLocatingWeight && words[i].InCorpus && !words[i].Predicate
            && !(i > 0 && Appositions.Contains(groups[i].Surface))).ToList();
        // The noun of money a 얼마 question asks about ("구독료 얼마야?") must be in the passage, topic or not: a sum of
        // something else (a revenue where a fee is asked) does not answer.
        var kinds = Enumerable.Range(0, groups.Count).Where(i => words[i].InCorpus && !words[i].Predicate && NamesTheAnswer(groups[i].Surface, unit)
            && (topics.Contains(i) || (unit == Money && !MoneyVerb().IsMatch(groups[i].Surface)))).ToList();
        var near = topics.Except(kinds).ToList();
        return PreferGiving(ranked, c =>
        {
            var m = match(c);
            return kinds.All(k => m.Credit[k] > 0) && Gives(text(c), unit, SpansOf(m, near));
        });
    }

    public static bool PreferGiving<T>(List<T> ranked, Func<T, bool> gives)
    {
        var window = Math.Min(Window, ranked.Count);
        var giving = new List<T>(window);
        var others = new List<T>(window);
        for (var i = 0; i < window; i++)
        {
            (gives(ranked[i]) ? giving : others).Add(ranked[i]);
        }

        if (giving.Count == 0 || others.Count == 0)
        {
            return giving.Count > 0;
        }

        var at = 0;
        foreach (var item in giving.Concat(others))
        {
            ranked[at++] = item;
        }

        return true;
    }

    // "how many" and up to three words after it (the counted noun is among them: "how many AI researchers"); "how old";
    // "what percentage" / "what percent".
    [GeneratedRegex(@"\b(how many (?<words>[A-Za-z0-9-]+( [A-Za-z0-9-]+){0,2})|(?<old>how old)|(?<pct>(what|which) percent(age)?))\b", RegexOptions.IgnoreCase)]
    private static partial Regex HowMany();

    // 몇 followed by the unit, spaced or not: "몇 개", "몇개", "몇 %"; a magnitude between them ("몇만 달러", "몇백 개",
    // "몇천억원") is part of the number, not the unit.
    [GeneratedRegex(@"몇\s*(?:[십백천만억조]+\s*(?=[\p{L}%]))?([\p{L}%]+)")]
    private static partial Regex AfterMyeot();

    [GeneratedRegex(@"(이야|이에요|예요|입니다|인가요|인가|이지|이나|이냐|야|나|냐|이|가|은|는|을|를|의|로|으로|에)$")]
    private static partial Regex Ending();

    // A number: digits with separators, an optional magnitude (만, 억, 천, 백, K, M, B), or a native Korean numeral.
    [GeneratedRegex(@"(\d[\d,.]*(\s?[만억천백조])?[KkMm]?|\b(한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|수십|수백|수천|수만|수십만|수백만|수천만|수억|수십억|수백억|수천억|수조))(?=\s?[\p{L}%])")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(19|20)\d\d\b")]
    private static partial Regex Year();

    // A verb's connective ending and a comma: the clause before it is done ("기술주들도 휘청거렸고, 나스닥은 3% 하락").
    [GeneratedRegex(@"(고|며|지만|는데|은데|면서|어서|아서|해서),\s")]
    private static partial Regex ClauseBreak();

    [GeneratedRegex(@"[$€¥₩£]\s?\d")]
    private static partial Regex CurrencySign();

    // Nouns of money a 얼마 question asks the amount of, and verbs of earning and paying.
    [GeneratedRegex(@"가격|값|재산|요금|비용|금액|몸값|가치|시가총액|시총|연봉|월급|매출|투자|보조금|지원금|수익|자산|예산|수수료|학습비|훈련비|개발비|운영비|인건비|구독료|이용료|사용료|가입비|라이선스비|돈|벌었|벌어(?![지져졌진질짐])|번 돈|들었|드는|든대")]
    private static partial Regex MoneyNoun();

    // The verbs among the money words: they say money is asked for, but name nothing a passage must contain.
    [GeneratedRegex(@"벌었|벌어(?![지져졌진질짐])|들었|드는|든대")]
    private static partial Regex MoneyVerb();

    // 얼마나 asking for a change or a comparison rather than an amount.
    [GeneratedRegex(@"얼마나\s*(덜|더|싸|비싸|저렴|절감|줄|늘|오르|올랐|떨어|빠|하락|상승|아끼|아꼈|아껴|아낀|아낄|절약|올리|올린|올렸|내리|내린|내렸|감소|증가|개선|향상|차이|앞서|뒤처|커|작|높|낮|싼|쌌|쌀|싸게|큰|컸|클|적은|적게|빨라|빨랐|느린|느려)")]
    private static partial Regex Relative();

    [GeneratedRegex(@"\bhow much\b.*\b(cost|costs|costing|price|priced|valuation|valued|worth|revenue|revenues|fee|fees|pay|paid|invest|invested|investment|budget|money|salary|fund|funded|funding|raise|raised|spend|spent|earn|earned|charge|charged|subsidy|subsidies|sales)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HowMuchMoney();

    [GeneratedRegex(@"\bhow much (more|less|cheaper|lower|higher|bigger|smaller|faster|slower|better|worse)\b", RegexOptions.IgnoreCase)]
    private static partial Regex HowMuchMore();
}
