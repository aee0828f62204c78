namespace Bot.Core.Search;

/// <summary>A form of a query word and its index terms. Synonyms come from the glossary.</summary>
public sealed record QueryForm(string Text, IReadOnlyList<string> Terms, bool IsSynonym)
{
    /// <summary>Borrowed from a known prefix of an unknown word ("소프트" of "소프트뱅크"): it helps find passages but is no
    /// evidence that the articles contain the word itself.</summary>
    public bool Borrowed { get; init; }

    /// <summary>A form whose text is one index word as it is (a Hangul run, not stripped again, or a Latin term).</summary>
    public static QueryForm OfWord(string text, bool synonym)
    {
        var kind = text.Length > 0 && KoreanWords.IsCjk(text[0]) ? WordKind.Hangul : WordKind.Latin;
        return new QueryForm(text, IndexTerms.Of(new Word(text, 0, text.Length, kind)), synonym);
    }
}

/// <summary>One content word of the question with its alternative forms (itself first, then synonyms).</summary>
/// <param name="Predicate">The word looks like a verb, adjective or particle phrase (see <see cref="KoreanWords.IsPredicateLike"/>).</param>
/// <param name="Name">The word is written like a name or a code in Latin letters ("Bitcoin", "R2", "HBM"; not the question's
/// first word): if no article contains it, the articles cannot be about it.</param>
/// <param name="Whole">For a Hangul word, the whole run of Hangul it was cut from before its ending was stripped
/// ("출생연도" for "출생연"), so that a wrongly stripped word can still be found; otherwise the surface.</param>
public sealed record QueryGroup(string Surface, IReadOnlyList<QueryForm> Forms, bool Predicate, bool Name = false)
{
    public string Whole { get; init; } = Surface;

    /// <summary>The word is (part of) the question's topic, subject or object: a topic, subject or object particle follows
    /// it ("본사는", "상무부가", "보조금을"), or it is a bare noun right before such a word ("비트코인 가격은").</summary>
    public bool Topic { get; init; }

    /// <summary>The word is what a question word asks about: a bare noun right before it ("책 제목 뭐였지?"), with the bare
    /// nouns before that one. Like <see cref="Topic"/>, it declines when no article contains it, and a counting question's
    /// number must stand in its sentence ("파라미터 수 몇 개야?": a count of GPUs does not answer).</summary>
    public bool Focus { get; init; }

    /// <summary>The unit word after 몇 ("년생" in "몇 년생이야?", "장" in "몇 장"): it says what kind of number answers, which
    /// <see cref="CountedUnits"/> checks, not what the question is about.</summary>
    public bool CountUnit { get; init; }

    /// <summary>Predicate-like only by a sentence-final ending, with more words after it: a noun when no article contains it
    /// ("삼성전자 주가", "제미나이 최신 버전"); see <see cref="QueryPlanner"/>'s word roles.</summary>
    public bool NounIfAbsent { get; init; }

    /// <summary>The noun right after 어떤, 무슨 or 어느 ("어떤 형태"): it names the kind of answer; when no article contains it,
    /// it weighs like a predicate, not as missing content.</summary>
    public bool AnswerKind { get; init; }

    /// <summary>A conjugated verb or adjective ("돌려서", "날아갔어") that the glossary resolved to the articles' words: content
    /// for coverage, but no noun, so it neither is nor continues the question's topic or focus.</summary>
    public bool Conjugated { get; init; }

    private static readonly HashSet<string> TopicParticles = new(StringComparer.Ordinal) { "은", "는", "이", "가", "께서", "이란", "란", "이라는", "라는", "을", "를" };

    /// <summary>A topic, subject or object particle follows the word. Not after a verb: the "는" of a quoted or past verb
    /// ("본다는", "썼다는") modifies what follows, and 는, 를, 가 after a closed syllable ("주고받는") are a verb's endings,
    /// since those particles need a vowel before them.</summary>
    internal bool MarkedAsTopic
    {
        get
        {
            var particle = Particle;
            return TopicParticles.Contains(particle) && !KoreanStems.EndsInFiniteVerb(Surface) && !KoreanStems.EndsInPastStem(Surface)
                && (!AfterVowelOnly.Contains(particle) || !KoreanWords.IsCjk(Surface[^1]) || KoreanStems.EndsInVowel(Surface));
        }
    }

    /// <summary>What follows the word in its run of Hangul ("는" for "본사는"), or empty.</summary>
    internal string Particle => Surface.Length > 0 && Whole.Length > Surface.Length ? Whole[Surface.Length..] : "";

    private static readonly HashSet<string> AfterVowelOnly = new(StringComparer.Ordinal) { "는", "를", "가" };

    /// <summary>A Hangul word with nothing attached (no particle or ending was stripped).</summary>
    internal bool Bare => (!Predicate || NounIfAbsent) && !Conjugated && Whole.Length == Surface.Length && Surface.Length > 0 && KoreanWords.IsCjk(Surface[^1]);
}

/// <summary>What kind of answer the question asks for, from its wording.</summary>
[System.Flags]
public enum QuestionCue
{
    None = 0,

    /// <summary>얼마, 몇, how much, how many: prefer passages with numbers.</summary>
    Amount = 1,

    /// <summary>언제, when, what year: prefer passages with dates.</summary>
    Date = 2,
}

/// <summary>The analysed question: content words with synonyms, the words dropped as stopwords, and cues.</summary>
public sealed record QueryPlan(IReadOnlyList<QueryGroup> Groups, IReadOnlyList<string> Stopped, QuestionCue Cues)
{
    /// <summary>The unit a Korean question asks the number of ("몇 살이야?" → 살; <see cref="CountedUnits"/>), or null.</summary>
    public string? CountedUnit { get; init; }

    /// <summary>The question asks for a date ("언제 창업했어?", "When was R1 released?"; <see cref="QuestionCues.AsksForDate"/>).</summary>
    public bool AsksDate { get; init; }

    /// <summary>The question asks for a person besides those it names ("량원펑 말고 또 누가 왔어?"; <see cref="OtherPeople"/>).</summary>
    public bool AsksOther { get; init; }

    /// <summary>The question asks who (<see cref="QuestionCues.AsksForPerson"/>): a ranking feature, not a decline.</summary>
    public bool AsksWho { get; init; }

    /// <summary>The question asks why (<see cref="QuestionCues.AsksForReason"/>): a ranking feature, not a decline.</summary>
    public bool AsksWhy { get; init; }
}
