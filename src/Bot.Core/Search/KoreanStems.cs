namespace Bot.Core.Search;

/// <summary>
/// Candidate dictionary stems of a conjugated Korean predicate, by the regular rules of Korean conjugation, so that a
/// question's colloquial verb finds its glossary entry whatever its ending: <c>끝난</c>, <c>끝났</c> → <c>끝나</c>;
/// <c>빠졌</c> → <c>빠지</c>; <c>받아들여</c> → <c>받아들이</c>; <c>풀어버린</c> → <c>풀어버리</c>, <c>풀</c>;
/// <c>싸지면</c> → <c>싸</c>. Each step undoes one rule:
/// <list type="bullet">
/// <item>a final consonant added by an ending (ㄴ, ㄹ, ㅁ, ㅂ, ㅆ) is removed: 난 → 나, 했 → 해;</item>
/// <item>a contracted vowel is restored: 져 → 지, 봐 → 보, 줘 → 주, 해 → 하, 돼 → 되;</item>
/// <item>an ending syllable (어, 고, 면, 지, 서, 게 …) is dropped;</item>
/// <item>a particle after a one-syllable noun is dropped: 판이 → 판, 돈이 → 돈;</item>
/// <item>an auxiliary verb after -어/-아 (버리, 주, 보, 놓, 두, 내) or the -지 of -지다 is dropped.</item>
/// </list>
/// The candidates are only looked up in the glossary; a wrong candidate finds nothing.
/// </summary>
public static class KoreanStems
{
    private const int SBase = 0xAC00;
    private const int SCount = 11172;

    private static readonly HashSet<char> EndingSyllables =
    [
        '어', '아', '여', '게', '고', '지', '서', '면', '니', '냐', '다', '요', '죠', '네', '며', '자', '기', '음', '던', '든', '도',
        '는', '은', '을', '라', '래', '대', '야', '구', '까', '나', '데', '려', '러', '잖', '느',
    ];

    /// <summary>One-syllable particles after a noun.</summary>
    internal static readonly HashSet<char> NounParticles = ['이', '가', '을', '를', '은', '는', '도', '만', '로', '와', '과', '에', '의', '랑'];

    private static readonly string[] Auxiliaries = ["버리", "주", "보", "놓", "두", "내", "드리"];

    /// <summary>Light verbs that carry no meaning of their own: never offered as a one-syllable stem.</summary>
    private static readonly HashSet<string> LightStems = new(StringComparer.Ordinal) { "하", "되", "있", "없", "보", "주", "가", "오", "이", "나", "내", "두", "놓" };

    /// <summary>
    /// The candidate stems of <paramref name="word"/> (itself excluded), longest first: the nearest reading of the surface
    /// comes first, so a caller that takes the first glossary hit prefers <c>풀어버리</c> to <c>풀</c>.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string word)
    {
        if (word.Length == 0 || !IsSyllable(word[^1]))
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { word };
        var frontier = new List<string> { word };
        for (var depth = 0; depth < 4 && frontier.Count > 0; depth++)
        {
            var next = new List<string>();
            foreach (var w in frontier)
            {
                foreach (var c in Steps(w))
                {
                    if (c.Length > 0 && seen.Add(c))
                    {
                        next.Add(c);
                    }
                }
            }

            frontier = next;
        }

        seen.Remove(word);
        return seen.Where(c => !(c.Length == 1 && LightStems.Contains(c)))
            .OrderByDescending(c => c.Length)
            .ThenBy(c => c, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Syllables that make up verb endings, auxiliaries, copulas and particles after a stem ("서", "하던", "했었는데").</summary>
    private static readonly HashSet<char> InflectionSyllables =
    [
        .. EndingSyllables, .. NounParticles,
        '하', '해', '했', '한', '할', '함', '합', '되', '돼', '됐', '된', '될', '시', '셨', '었', '았', '였', '겠', '인', '일', '임',
        '적', '들', '께', '서', '까', '부', '터', '처', '럼', '보', '으', '로', '데', '던', '운', '울', '워', '웠', '져', '졌', '진',
        '질', '랑', '며', '면', '세', '요', '습', '니', '죠', '건', '거', '게', '걸', '냐', '는',
    ];

    /// <summary>Whether <paramref name="rest"/>, what follows a known stem in a word, reads as endings and particles only.</summary>
    public static bool IsInflection(string rest) => rest.Length > 0 && rest.All(InflectionSyllables.Contains);

    /// <summary>Whether the last syllable of <paramref name="word"/> ends in ㄹ ("낮출", "나올").</summary>
    /// <summary>
    /// A finite verb form ending in -ㄴ다 or -ㅆ다 ("본다", "남긴다", "됐다", "썼다"): the ending of a plain or past
    /// statement, which also opens the quoted forms "-다는", "-다고". No noun of the language ends so, bar a few loanwords
    /// ("판다"), so such a word is a verb wherever it stands.
    /// </summary>
    public static bool EndsInFiniteVerb(string word)
    {
        if (word.Length < 2 || word[^1] != '다' || !IsSyllable(word[^2]))
        {
            return false;
        }

        var t = Decompose(word[^2]).T;
        return t is 4 or 20; // ㄴ, ㅆ
    }

    /// <summary>Syllables that end a verb's adnominal form (-는, -은, -던, and -ㄴ after the common stems: 한, 된, 본 …);
    /// not 선 or 근, which end the nouns before 거 in 선거, 근거.</summary>
    private static readonly HashSet<char> AdnominalSyllables =
        ['는', '은', '던', '한', '된', '난', '본', '온', '간', '준', '진', '인', '운', '른', '린', '친', '쓴', '든', '낸', '룬', '춘'];

    /// <summary>
    /// A verb's adnominal -ㄴ/-는/-던 with the bound noun 거 ("the fact that …") written on, and perhaps the copula
    /// ("이득보는거", "손해본거야", "나온거임"): a clause, not a noun (근거 and 선거 end otherwise, and have two syllables).
    /// </summary>
    public static bool EndsInNominalisedVerb(string word)
    {
        var at = word.LastIndexOf('거');
        if (at < 2 || !AdnominalSyllables.Contains(word[at - 1]))
        {
            return false;
        }

        var rest = word.AsSpan(at + 1);
        return rest.Length == 0 || rest is "임" or "야" or "지" or "냐" or "예요" or "에요" or "였어" or "였음" or "였지" or "였냐";
    }

    /// <summary>
    /// A past or existential stem (a syllable closed by ㅆ: 했, 었, 있) with more syllables after it ("훈련했다는거",
    /// "바꿨길래", "무서웠던거임"): no noun is written so, so the word is a conjugated verb whatever it ends in. Chat often
    /// types ㅆ as ㅅ ("훈련햇다는거", "갖고잇다는", "어디엿더라"): a syllable closed by ㅅ counts too before an ending that
    /// only follows a verb stem (다, 던, 더, 길, 냐).
    /// </summary>
    public static bool HasPastStemInside(string word)
    {
        for (var i = 0; i + 1 < word.Length; i++)
        {
            if (!IsSyllable(word[i]))
            {
                continue;
            }

            var t = Decompose(word[i]).T;
            if (t == 20 || (t == 19 && word[i + 1] is '다' or '던' or '더' or '길' or '냐'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The last syllable is closed by ㅆ ("찔렀", "받았", "했"): the past stem of a verb.</summary>
    public static bool EndsInPastStem(string word) => word.Length > 0 && IsSyllable(word[^1]) && Decompose(word[^1]).T == 20;

    /// <summary>The last syllable ends in a vowel (no final consonant): what 는, 를, 가 follow, where 은, 을, 이 follow a consonant.</summary>
    public static bool EndsInVowel(string word) => word.Length > 0 && IsSyllable(word[^1]) && Decompose(word[^1]).T == 0;

    public static bool EndsInRieul(string word) => word.Length > 0 && IsSyllable(word[^1]) && Decompose(word[^1]).T == 8;

    private static IEnumerable<string> Steps(string w)
    {
        var last = w[^1];
        if (!IsSyllable(last))
        {
            yield break;
        }

        var (l, v, t) = Decompose(last);
        var head = w[..^1];

        // 1. an ending's final consonant: 난 → 나, 할 → 하, 함 → 하, 합 → 하, 했 → 해
        if (t is 4 or 8 or 16 or 17 or 20)
        {
            yield return head + Compose(l, v, 0);
        }

        // 1b. a stem's ㄹ, which drops before ㄴ, ㅂ and 느/니/세/시/오 ("판" ← 팔, "만드느라" ← 만들, "사니" ← 살)
        if (t is 4 or 17)
        {
            yield return head + Compose(l, v, 8);
        }

        if (w.Length >= 2 && last is '느' or '니' or '세' or '시' or '오' or '는' && IsSyllable(w[^2]) && Decompose(w[^2]).T == 0)
        {
            var (l2, v2, _) = Decompose(w[^2]);
            yield return w[..^2] + Compose(l2, v2, 8);
        }

        // 2. a contracted vowel, restored: 져 → 지, 봐 → 보, 줘 → 주, 돼 → 되, 해 → 하 (t = 0 only)
        if (t == 0)
        {
            var restored = v switch
            {
                6 => 20, // ㅕ → ㅣ
                9 => 8, // ㅘ → ㅗ
                14 => 13, // ㅝ → ㅜ
                10 => 11, // ㅙ → ㅚ
                1 when l == 18 => 0, // 해 → 하
                _ => -1,
            };
            if (restored >= 0)
            {
                yield return head + Compose(l, restored, 0);
            }
        }

        // 3. an ending syllable dropped: 빠지고 → 빠지, 풀어 → 풀
        if (w.Length >= 2 && EndingSyllables.Contains(last))
        {
            yield return head;
        }

        // 4. a particle after a one-syllable noun, which word analysis keeps (it strips only from longer words): 판이 → 판
        if (w.Length == 2 && NounParticles.Contains(last))
        {
            yield return head;
        }

        // 5. an auxiliary verb (풀어버리 → 풀어) or the -지 of -지다 (싸지 → 싸), when something is left before it
        foreach (var aux in Auxiliaries)
        {
            if (w.Length > aux.Length && w.EndsWith(aux, StringComparison.Ordinal))
            {
                yield return w[..^aux.Length];
            }
        }
    }

    /// <summary>The syllable without its final ㄹ ("굴" → "구"), or null when it does not end in ㄹ.</summary>
    internal static char? WithoutFinalRieul(char syllable)
    {
        if (!IsSyllable(syllable))
        {
            return null;
        }

        var (l, v, t) = Decompose(syllable);
        return t == 8 ? Compose(l, v, 0) : null;
    }

    /// <summary>A word that reads as a verb clause whatever it ends in: a past or existential stem inside it
    /// (<see cref="HasPastStemInside"/>) or a verb's adnominal with 거 (<see cref="EndsInNominalisedVerb"/>).</summary>
    public static bool ReadsAsVerbClause(string word) => HasPastStemInside(word) || EndsInNominalisedVerb(word);

    private static bool IsSyllable(char c) => c >= SBase && c < SBase + SCount;

    private static (int L, int V, int T) Decompose(char c)
    {
        var s = c - SBase;
        return (s / (21 * 28), s % (21 * 28) / 28, s % 28);
    }

    private static char Compose(int l, int v, int t) => (char)(SBase + (((l * 21) + v) * 28) + t);
}
