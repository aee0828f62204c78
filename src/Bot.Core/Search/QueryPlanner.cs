using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Lucene.Net.Analysis.TokenAttributes;

namespace Bot.Core.Search;

/// <summary>
/// Turns a question into a <see cref="QueryPlan"/>: <see cref="KoreanQueryAnalyzer"/> words (particles stripped, synonyms
/// added by Lucene's SynonymFilter), question words and fillers removed (ko/en stopword lists), cues detected.
/// </summary>
public sealed partial class QueryPlanner
{
    private readonly KoreanQueryAnalyzer _analyzer;
    private readonly bool _prefixSynonyms;
    private readonly bool _stems;
    private readonly bool _roles;
    private readonly bool _focus;
    private readonly EnglishDictionary _english;

    /// <param name="english">English word classes (WordNet): a word the glossary cannot translate that WordNet knows only
    /// as a noun keeps its weight as content. None: every such lower-case word weighs like a predicate.</param>
    public QueryPlanner(KoreanQueryAnalyzer analyzer, bool prefixSynonyms = true, bool stems = true, bool roles = true, bool focus = true, EnglishDictionary? english = null)
    {
        _analyzer = analyzer;
        _english = english ?? EnglishDictionary.Empty;
        _prefixSynonyms = prefixSynonyms;
        _stems = stems;
        _roles = roles;
        _focus = focus;
    }

    public QueryPlan Plan(string question)
    {
        var groups = new List<(string Surface, List<QueryForm> Forms, bool Predicate)>();
        var stopped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeats = new HashSet<int>();
        var questionWords = KoreanWords.Split(question);
        var groupAt = new Dictionary<int, int>();
        var stream = _analyzer.GetTokenStream(Fields.Text, question);
        try
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            var posLength = stream.AddAttribute<IPositionLengthAttribute>();
            var offset = stream.AddAttribute<IOffsetAttribute>();
            stream.Reset();
            // Tokens are grouped by the question word they stand for (by start offset): the SynonymFilter gives a word and
            // its synonyms that word's offsets, and may emit the word itself after its synonyms. A synonym whose input
            // spans several words ("large language model") folds those words into one group.
            var wordAt = new Dictionary<int, Word>();
            foreach (var w in questionWords)
            {
                if (!w.Catenated)
                {
                    wordAt.TryAdd(w.Start, w);
                }
            }

            var stoppedAt = new HashSet<int>();
            var foldInto = -1;
            var foldRemaining = 0;
            while (stream.IncrementToken())
            {
                var text = term.ToString();
                var start = offset.StartOffset;
                if (stoppedAt.Contains(start))
                {
                    continue;
                }

                if (!groupAt.TryGetValue(start, out var gi))
                {
                    var originalWord = wordAt.TryGetValue(start, out var ow) ? ow : new Word(text, start, offset.EndOffset, WordKind.Latin);
                    var original = originalWord.Text;
                    if (foldRemaining > 0 && foldInto >= 0)
                    {
                        // part of a multi-word glossary entry matched at an earlier word
                        foldRemaining--;
                        groupAt[start] = foldInto;
                        var g0 = groups[foldInto];
                        g0.Forms[0] = Form(g0.Forms[0].Text + " " + original, false);
                        // A Korean phrase is headed by its last word: one that opens with a verb but ends in a noun ("덕 보는
                        // 회사", "남은 숙제") is content, not a predicate.
                        var headed = g0.Predicate && IsPredicateWord(question, originalWord);
                        groups[foldInto] = (question[wordAt.GetValueOrDefault(FirstStart(groupAt, foldInto)).Start..originalWord.End], g0.Forms, headed);
                        continue;
                    }

                    var stop = IsStop(original) && !IsAcronym(question, originalWord);
                    if (stop)
                    {
                        stopped.Add(original);
                        stoppedAt.Add(start);
                        continue;
                    }

                    if (!seen.Add(original))
                    {
                        repeats.Add(groups.Count); // dropped below unless it starts a multi-word entry ("app … App Store")
                    }

                    groups.Add((question[originalWord.Start..originalWord.End], [Form(original, false)], IsPredicateWord(question, originalWord)));
                    gi = groups.Count - 1;
                    groupAt[start] = gi;
                }

                if (posLength.PositionLength > 1 && foldRemaining == 0)
                {
                    foldInto = gi;
                    foldRemaining = posLength.PositionLength - 1;
                }

                var forms = groups[gi].Forms;
                if (forms.All(f => f.Text != text))
                {
                    forms.Add(Form(text, true));
                }
            }

            stream.End();
        }
        finally
        {
            stream.Dispose();
        }

        DropRepeats(groups, groupAt, repeats);

        // Joined forms of hyphenated words ("R1-zero" → "r1zero") also match glued spellings.
        AddJoinedForms(question, questionWords, groups);
        var conjugated = _stems ? AddStemSynonyms(groups) : [];

        if (_prefixSynonyms)
        {
            AddPrefixSynonyms(groups);
        }

        MarkUntranslatedEnglish(question, groups);
        MarkAdnominals(question, groups);
        MarkNegated(question, groups);
        MarkMannerOfTelling(question, groups);
        var nouns = NounsIfAbsent(question, groups, groupAt);
        var firstWordStart = questionWords.Select(w => w.Start).DefaultIfEmpty(0).First();
        var unitAt = CountedUnits.KoreanUnitStart(question);
        var kinds = AnswerKinds(question, groups);
        var stacked = groups.Select(g => _roles && OneSyllableNounWithParticles(question, g.Surface)).ToList();
        var planned = groups.Select((g, i) => new QueryGroup(g.Surface, g.Forms, g.Predicate || stacked[i], IsName(question, g.Surface, firstWordStart))
        {
            Whole = WholeRun(question, g.Surface),
            NounIfAbsent = nouns.Contains(i),
            AnswerKind = kinds.Contains(i),
            CountUnit = CountedUnits.IsUnitWord(question, unitAt, g.Surface),
            Conjugated = conjugated.Contains(i),
        }).ToList();
        return new QueryPlan(_focus ? MarkFocus(MarkTopics(planned, stacked), question) : MarkTopics(planned, stacked), stopped, DetectCues(question)) { CountedUnit = CountedUnits.AskedUnit(question), AsksDate = QuestionCues.AsksForDate(question), AsksOther = OtherPeople.Asked(question), AsksWho = QuestionCues.AsksForPerson(question), AsksWhy = QuestionCues.AsksForReason(question) };
    }

    /// <summary>
    /// In an English question, a lower-case word the glossary cannot translate ("hosted", "premier") is weak evidence
    /// against a Korean corpus: it is treated like a predicate (low weight; never a reason to decline). Capitalised words
    /// and words with digits stay full-weight, since they are usually names ("Bitcoin", "R2").
    /// </summary>
    private void MarkUntranslatedEnglish(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        if (Answers.LanguageDetector.Detect(question, Answers.Language.Korean) != Answers.Language.English)
        {
            return;
        }

        var nounsAfterDeterminers = _roles ? EnglishNounsAfterDeterminers(question, w => _english.Of(w).HasFlag(EnglishDictionary.Classes.Adjective)) : [];
        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            if (!predicate && forms.Count == 1 && surface.Length > 0 && char.IsAsciiLetterLower(surface[0]) && surface.All(char.IsAsciiLetter)
                && !(_roles && (LooksLikeEnglishNoun(surface) || (nounsAfterDeterminers.Contains(surface) && MayBeNoun(surface))))
                && _english.Of(surface) != EnglishDictionary.Classes.Noun)
            {
                groups[i] = (surface, forms, true);
            }
        }
    }

    /// <summary>
    /// Marks the topic: the word a topic or subject particle follows, and the bare nouns right before it. A 는 stacked on
    /// another particle marks none ("리카이푸 말로는": "according to", not what is asked about; <paramref name="stacked"/>),
    /// and neither does a 는 right after a subject ("하이플라이어가 굴리는 칩"): after a subject it is a verb's adnominal
    /// ending, not the topic particle.
    /// </summary>
    private static List<QueryGroup> MarkTopics(List<QueryGroup> groups, List<bool> stacked)
    {
        var topic = false;
        for (var i = groups.Count - 1; i >= 0; i--)
        {
            var g = groups[i];
            var marks = g.MarkedAsTopic && !stacked[i] && !(i > 0 && g.Particle == "는" && groups[i - 1].Particle is "이" or "가" or "께서");
            topic = marks || (topic && g.Bare);
            if (topic)
            {
                groups[i] = g with { Topic = true };
            }
        }

        return groups;
    }

    /// <summary>
    /// A one-syllable noun with two particles stacked on it ("말로는", "꿀이라는", "돈에도"), of which the analyser, which
    /// strips nothing from a one-syllable stem, removed only the outer one: the surface ("말로", "꿀이") is no word of its
    /// own. A one-syllable noun is weak evidence either way, so it weighs like a predicate (never missing, never a topic).
    /// </summary>
    private static bool OneSyllableNounWithParticles(string question, string surface)
    {
        if (surface.Length != 2 || !KoreanWords.IsCjk(surface[0]))
        {
            return false;
        }

        var whole = WholeRun(question, surface);
        var outer = whole[surface.Length..];
        return surface[1] switch
        {
            '로' or '에' or '와' or '과' => outer is "는" or "도" or "서" or "서는" or "서도",
            '이' => outer.StartsWith('라') || outer.StartsWith('란'),
            '으' => outer is "로도" or "로는" or "로만", // "컴으로도": 으로 with another particle stacked on it
            _ => false,
        };
    }

    /// <summary>The Hangul run of <paramref name="question"/> that starts with <paramref name="surface"/> (its ending included).</summary>
    private static string WholeRun(string question, string surface)
    {
        if (surface.Length == 0 || !KoreanWords.IsCjk(surface[^1]))
        {
            return surface;
        }

        var at = question.IndexOf(surface, StringComparison.Ordinal);
        if (at < 0)
        {
            return surface;
        }

        return question[at..HangulRunEnd(question, at + surface.Length)];
    }

    /// <summary>
    /// Marks <see cref="QueryGroup.Focus"/>: a bare noun right before a question word ("책 제목 뭐였지?", "운용자산 규모
    /// 얼마나 돼?"), what the question asks about, and the bare nouns before it.
    /// </summary>
    private static List<QueryGroup> MarkFocus(List<QueryGroup> groups, string question)
    {
        var on = false;
        for (var i = groups.Count - 1; i >= 0; i--)
        {
            var g = groups[i];
            on = g.Bare && (BeforeQuestionWord(question, g.Whole) || on);
            if (on)
            {
                groups[i] = g with { Focus = true };
            }
        }

        return groups;
    }

    /// <summary>Whether <paramref name="word"/> (its first occurrence) is followed by a space and a question word.</summary>
    private static bool BeforeQuestionWord(string question, string word)
    {
        var at = question.IndexOf(word, StringComparison.Ordinal);
        var next = at + word.Length;
        if (at < 0 || next >= question.Length || question[next] != ' ')
        {
            return false;
        }

        var rest = question.AsSpan(next).TrimStart(' ');
        foreach (var w in FocusQuestionWords)
        {
            // 어느 정도 is "to what degree", not "which"
            if (rest.StartsWith(w, StringComparison.Ordinal) && !(w == "어느" && rest[w.Length..].TrimStart(' ').StartsWith("정도", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Question words, and the verbs of a request to be told ("제목 좀 알려주세요", "이름 말해줘"), that follow what is
    /// asked for; 어느 asks which one of it ("본사 어느 도시에 있어?").</summary>
    private static readonly string[] FocusQuestionWords = ["뭐", "뭔", "무엇", "얼마", "어디", "누구", "언제", "어느", "알려", "좀 알려", "말해", "좀 말해", "가르쳐", "좀 가르쳐"];

    /// <summary>Where the run of Hangul (CJK) letters that goes on at <paramref name="from"/> ends.</summary>
    private static int HangulRunEnd(string text, int from)
    {
        var end = from;
        while (end < text.Length && KoreanWords.IsCjk(text[end]))
        {
            end++;
        }

        return end;
    }

    /// <summary>The space-separated word right before position <paramref name="at"/> ("안" for "들인" in "안 들인"); empty
    /// when no space comes before <paramref name="at"/> (it is inside a word) or nothing does.</summary>
    private static ReadOnlySpan<char> WordBefore(string text, int at)
    {
        if (at <= 0 || at > text.Length || text[at - 1] != ' ')
        {
            return [];
        }

        var before = text.AsSpan(0, at).TrimEnd(' ');
        var start = before.LastIndexOfAny(' ', '\t', '\n') + 1;
        return before[start..];
    }

    /// <summary>The question word reads as a predicate or filler, not content (see <see cref="KoreanWords.IsPredicateLike"/>).</summary>
    private bool IsPredicateWord(string question, Word word) =>
        (KoreanWords.IsPredicateLike(word) && !(_roles && KoreanWords.IsNounBeforeCaseParticle(question, word))) || QuestionWords.IsFiller(word.Text)
        || (_roles && HasVerbOnlyEnding(question, word));

    /// <summary>The word at <paramref name="at"/> follows a sentence end (". One of the posts …").</summary>
    private static bool OpensSentence(string question, int at)
    {
        var before = at > 0 ? question.AsSpan(0, at).TrimEnd(' ') : [];
        return before.Length > 0 && before.Length < at && before[^1] is '.' or '?' or '!';
    }

    private static bool IsName(string question, string surface, int firstWordStart)
    {
        if (surface.Length < 2 || !char.IsAsciiLetterOrDigit(surface[0]) || surface.Any(KoreanWords.IsCjk) || CommonAcronyms.Contains(surface))
        {
            return false;
        }

        if (surface.Contains(' ', StringComparison.Ordinal))
        {
            // A glossary phrase of several Latin words is a name when each word is capitalised or a code ("Sam Altman", "Google Cloud").
            var parts = surface.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.All(p => p.All(char.IsAsciiLetterOrDigit) && (char.IsAsciiLetterUpper(p[0]) || p.Any(char.IsAsciiDigit)));
        }

        var hasDigit = surface.Any(char.IsAsciiDigit) && surface.Any(char.IsAsciiLetter);
        // A capital opening an English sentence says nothing; Korean has no capitals, so in a Korean question it does ("Qwen이랑 …").
        var at = question.IndexOf(surface, StringComparison.Ordinal);
        var capitalised = char.IsAsciiLetterUpper(surface[0])
            && ((at != firstWordStart && !OpensSentence(question, at)) || question.Any(LanguageDetector.IsHangul));
        var allCaps = surface.All(c => !char.IsAsciiLetterLower(c)) && surface.Any(char.IsAsciiLetter);
        return hasDigit || capitalised || allCaps;
    }

    /// <summary>Acronyms of everyday things, written in capitals but naming no one ("which TV network", "on a PC").</summary>
    private static readonly HashSet<string> CommonAcronyms = new(StringComparer.Ordinal) { "TV", "PC", "IT", "OS", "UI", "UX", "SNS", "PDF", "URL", "FAQ", "DM", "CS", "PhD", "MBA", "HR", "PR" };

    /// <summary>
    /// Drops the groups of words the question repeats ("app" in "Which app … the App Store?" after the first "app"), which
    /// would count the same evidence twice, unless the repeat began a multi-word glossary entry and grew into it ("App
    /// Store"). The surviving groups keep their order; <paramref name="groupAt"/> is renumbered to match.
    /// </summary>
    private static void DropRepeats(List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups, Dictionary<int, int> groupAt, HashSet<int> repeats)
    {
        var drop = repeats.Where(i => groupAt.Count(kv => kv.Value == i) < 2).ToHashSet();
        if (drop.Count == 0)
        {
            return;
        }

        var renumber = new int[groups.Count];
        var next = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            renumber[i] = drop.Contains(i) ? -1 : next++;
        }

        foreach (var (start, gi) in groupAt.ToList())
        {
            if (renumber[gi] < 0)
            {
                groupAt.Remove(start);
            }
            else
            {
                groupAt[start] = renumber[gi];
            }
        }

        for (var i = groups.Count - 1; i >= 0; i--)
        {
            if (drop.Contains(i))
            {
                groups.RemoveAt(i);
            }
        }
    }

    private static int FirstStart(Dictionary<int, int> groupAt, int group) => groupAt.Where(kv => kv.Value == group).Min(kv => kv.Key);

    /// <summary>
    /// A conjugated Korean predicate the glossary does not know as written ("빠졌", "받아들여", "풀어버린") takes the entry of
    /// its nearest dictionary stem (<see cref="KoreanStems"/>: "빠지", "받아들이", "풀어버리" or "풀"), and that stem
    /// becomes a form too. A predicate that the glossary resolves to the articles' words is a content word, not filler.
    /// </summary>
    /// <returns>The predicates so made content (<see cref="QueryGroup.Conjugated"/>).</returns>
    private HashSet<int> AddStemSynonyms(List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        var conjugated = new HashSet<int>();
        var glossary = _analyzer.SingleWordSynonyms;
        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            var original = forms[0].Text;
            if (forms.Count > 1 || original.Length < 1 || !KoreanWords.IsCjk(original[^1]) || original.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            // The word as the glossary analysed it first (a key like "잘나가" lost its "가" to particle stripping), then its stems.
            var analysed = original[..KoreanWords.StemLength(original)];
            IEnumerable<string> candidates = analysed.Length < original.Length ? [analysed, .. KoreanStems.Candidates(original)] : KoreanStems.Candidates(original);
            foreach (var candidate in candidates)
            {
                // glossary keys went through the same word analysis, which strips a trailing particle-like syllable
                var stem = candidate;
                if (!glossary.TryGetValue(stem, out var synonyms))
                {
                    stem = candidate[..KoreanWords.StemLength(candidate)];
                    if (stem.Length == candidate.Length || !glossary.TryGetValue(stem, out synonyms))
                    {
                        continue;
                    }
                }

                AddEntry(forms, stem, synonyms, borrowed: false);
                groups[i] = (surface, forms, false);
                // not a noun the analysis left a particle on ("달에": 달 + 에), which the glossary knows as a noun
                if (predicate && !(original.Length == stem.Length + 1 && original.StartsWith(stem, StringComparison.Ordinal) && KoreanStems.NounParticles.Contains(original[^1])))
                {
                    conjugated.Add(i);
                }

                break;
            }
        }

        return conjugated;
    }

    /// <summary>Adds a glossary entry to a word's forms: the key (a form of the word itself), then its synonyms, each once.</summary>
    private static void AddEntry(List<QueryForm> forms, string key, IReadOnlyList<string> synonyms, bool borrowed)
    {
        Add(Form(key, false));
        foreach (var syn in synonyms)
        {
            Add(Form(syn, true));
        }

        void Add(QueryForm form)
        {
            if (forms.All(f => f.Text != form.Text))
            {
                forms.Add(borrowed ? form with { Borrowed = true } : form);
            }
        }
    }

    /// <summary>
    /// A conjugated or compound Korean word the glossary does not know ("모자라서", "고생하던") borrows the synonyms of
    /// its longest known prefix of at least two syllables ("모자라", "고생"), and that prefix becomes a form too, when
    /// what follows the prefix reads as endings and particles ("서", "하던") or is a known word of its own (a compound);
    /// so a name that merely starts like a word ("이탈리아" is not "이탈" + "리아") borrows nothing.
    /// </summary>
    private void AddPrefixSynonyms(List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        var glossary = _analyzer.SingleWordSynonyms;
        foreach (var (_, forms, _) in groups)
        {
            var original = forms[0].Text;
            if (forms.Count > 1 || original.Length < 3 || !KoreanWords.IsCjk(original[0]) || original.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            for (var len = original.Length - 1; len >= 2; len--)
            {
                if (glossary.TryGetValue(original[..len], out var synonyms) && (!_roles || KoreanStems.IsInflection(original[len..]) || glossary.ContainsKey(original[len..])))
                {
                    AddEntry(forms, original[..len], synonyms, borrowed: true);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The joined spelling of a hyphenated word ("DeepSeek-V3" → "deepseekv3", "high-end" → "highend") is one more form of
    /// the word, not one more word: it joins the group whose surface is the whole word, or else the group of its first part,
    /// or of its last part when the first is a dropped prefix ("co-started"); only when no group stands for any part of it
    /// does it become a group of its own.
    /// </summary>
    private static void AddJoinedForms(string question, List<Word> questionWords, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        foreach (var w in questionWords)
        {
            if (!w.Catenated || groups.Any(g => g.Forms.Any(f => f.Text == w.Text)))
            {
                continue;
            }

            var surface = question[w.Start..w.End];
            var at = groups.FindIndex(g => g.Surface == surface);
            if (at < 0)
            {
                at = groups.FindIndex(g => g.Surface.Length > 0 && surface.StartsWith(g.Surface, StringComparison.Ordinal)
                    && surface.Length > g.Surface.Length && !char.IsAsciiLetterOrDigit(surface[g.Surface.Length]));
            }

            // a prefix that is no word of its own ("co-started": co is dropped): the word it is attached to
            if (at < 0)
            {
                at = groups.FindIndex(g => g.Surface.Length > 0 && surface.EndsWith(g.Surface, StringComparison.Ordinal)
                    && surface.Length > g.Surface.Length && surface[^(g.Surface.Length + 1)] == '-');
            }

            if (at >= 0)
            {
                groups[at].Forms.Add(Form(w.Text, true));
            }
            else
            {
                groups.Add((surface, [Form(w.Text, false)], false));
            }
        }
    }

    /// <summary>Whether the glossary (built-in and lexicon) has an entry for the one word <paramref name="word"/>.</summary>
    public bool InGlossary(string word) => _analyzer.SingleWordSynonyms.ContainsKey(word);

    /// <summary>A word WordNet does not know, or knows as a noun among other things: not "derived" (a verb and an adjective
    /// only), which a determiner's noun phrase may still reach ("the R1 line derived from").</summary>
    private bool MayBeNoun(string word)
    {
        var classes = _english.Of(word);
        return classes == EnglishDictionary.Classes.None || classes.HasFlag(EnglishDictionary.Classes.Noun);
    }

    /// <summary>The glossary's single English words and Latin names (stemmed like questions), sorted: what a misspelt
    /// Latin word of a question is compared with.</summary>
    public IReadOnlyList<string> LatinVocabulary => _latin ??= _analyzer.SingleWordSynonyms.Keys
        .Where(k => k.Length >= 4 && k.All(char.IsAsciiLetterLower)).Order(StringComparer.Ordinal).ToList();

    private List<string>? _latin;

    /// <summary>The forms of a word the glossary knows as a single word: itself, then its synonyms.</summary>
    public IReadOnlyList<QueryForm> FormsOf(string word, bool synonym) =>
        [QueryForm.OfWord(word, synonym), .. (_analyzer.SingleWordSynonyms.TryGetValue(word, out var syns) ? syns : []).Select(s => Form(s, true))];

    private static QueryForm Form(string text, bool synonym)
    {
        // A synonym may be several words ("엔비디아 칩"): its terms are those of each word.
        var terms = new List<string>();
        foreach (var w in KoreanWords.Split(text))
        {
            if (!w.Catenated)
            {
                terms.AddRange(IndexTerms.Of(w));
            }
        }

        if (terms.Count == 0)
        {
            terms.Add(text);
        }

        return new QueryForm(text, terms, synonym);
    }

    private static bool IsStop(string word) => QuestionWords.IsStop(word);

    /// <summary>A Latin word written in capitals ("US", "IT") in a question that is not itself all capitals: an acronym,
    /// not the pronoun or function word it spells.</summary>
    private static bool IsAcronym(string question, Word word)
    {
        if (word.Kind != WordKind.Latin || word.End - word.Start < 2 || word.End > question.Length)
        {
            return false;
        }

        var surface = question.AsSpan(word.Start, word.End - word.Start);
        foreach (var c in surface)
        {
            if (!char.IsAsciiLetterUpper(c))
            {
                return false;
            }
        }

        return question.Any(char.IsAsciiLetterLower) || question.Any(KoreanWords.IsCjk);
    }

    private static QuestionCue DetectCues(string question)
    {
        var cues = QuestionCue.None;
        // A Korean question word of another kind ("어떤 결과로", "무엇을") asks for that, even where a word of money or 몇 appears.
        if (AmountRegex().IsMatch(question) && !CountedUnits.AsksForSomethingElse(question))
        {
            cues |= QuestionCue.Amount;
        }

        if (DateRegex().IsMatch(question))
        {
            cues |= QuestionCue.Date;
        }

        return cues;
    }

    [GeneratedRegex(@"얼마|얼만|몇|how much|how many|cost|price|비용|금액|규모|몇\s*배|percent|%", RegexOptions.IgnoreCase)]
    private static partial Regex AmountRegex();

    [GeneratedRegex(@"언제|when|what year|what date|날짜|시기|몇\s*년|몇\s*월", RegexOptions.IgnoreCase)]
    private static partial Regex DateRegex();
}
