using System.Text.RegularExpressions;

namespace Bot.Core.Search;

public sealed partial class QueryPlanner
{
    /// <summary>
    /// Endings that close a sentence ("-다", "-요", "-야", "-냐", "-니", "-나", "-대", "-래", "-죠", "-네", "-까", "-자"): a word
    /// ending in one is a predicate only where the sentence ends with it. Followed by more content words in the same
    /// sentence it is a noun that happens to end in that syllable ("삼성전자 주가", "하나 더").
    /// </summary>
    private static readonly HashSet<string> NounParticles = new(StringComparer.Ordinal)
    {
        "은", "는", "이", "가", "을", "를", "의", "에", "도", "만", "와", "과", "로", "으로", "에서", "께서", "이란", "란", "랑", "이랑", "처럼", "보다",
    };

    private static readonly HashSet<char> SentenceFinals = ['다', '요', '야', '냐', '니', '나', '대', '래', '죠', '네', '까', '자'];

    /// <summary>
    /// The words marked predicate-like only for a sentence-final ending (<see cref="KoreanWords.IsPredicateLike"/>) that
    /// another content word follows before the sentence ends: when no article contains such a word it is read as a noun
    /// (a name such as "삼성전자" or "제미나이" weighs as a missing noun, not as a colloquial verb); when the articles contain
    /// it, nothing changes. A finite verb form ("본다", "됐다": <see cref="KoreanStems.EndsInFiniteVerb"/>) stays a verb, and
    /// so does a word ending in the question endings -냐 and -죠, which no noun ends in ("누가 더 크냐 싸움"). A word in -고
    /// with a noun's particle ("로고는") is read the same way: the connective -고 rarely takes one, nouns in -고 (로고,
    /// 광고, 재고) do.
    /// Lever: <c>roles</c>.
    /// </summary>
    private HashSet<int> NounsIfAbsent(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups, Dictionary<int, int> groupAt)
    {
        var nouns = new HashSet<int>();
        if (!_roles)
        {
            return nouns;
        }

        var starts = new int[groups.Count];
        Array.Fill(starts, -1);
        foreach (var (start, gi) in groupAt)
        {
            if (starts[gi] < 0 || start < starts[gi])
            {
                starts[gi] = start;
            }
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            var word = forms[0].Text;
            if (!predicate || starts[i] < 0 || word.Length < 2 || !KoreanWords.IsCjk(word[^1]) || !(SentenceFinals.Contains(word[^1]) || word[^1] == '고')
                || QuestionWords.IsFiller(word) || KoreanStems.EndsInFiniteVerb(word) || KoreanStems.ReadsAsVerbClause(word) || word[^1] is '냐' or '죠')
            {
                continue;
            }

            // only a bare word or one with a noun's particle: "한다고 봤어" keeps its verb reading; a word in -고 only with a
            // particle ("로고는", "광고를"), since a bare one is the connective ("먹고 싶어")
            var whole = WholeRun(question, surface);
            var particle = whole.Length > surface.Length ? whole[surface.Length..] : "";
            if ((particle.Length > 0 && !NounParticles.Contains(particle)) || (particle.Length == 0 && word[^1] == '고'))
            {
                continue;
            }

            var end = starts[i] + surface.Length;
            var next = -1;
            for (var j = 0; j < groups.Count; j++)
            {
                if (starts[j] >= end && (next < 0 || starts[j] < next))
                {
                    next = starts[j];
                }
            }

            if (next >= 0 && question.AsSpan(end, next - end).IndexOfAny(".?!\n。") < 0)
            {
                nouns.Add(i);
            }
        }

        return nouns;
    }

    /// <summary>
    /// Marks as predicates the words the question negates with 안 or 못 ("안 들인 데보다", "못 구한"): only a verb or an
    /// adjective follows those adverbs, so the word is one wherever else the question uses it ("AI 들인 회사가"). Lever:
    /// <c>roles</c>.
    /// </summary>
    private void MarkNegated(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        if (!_roles)
        {
            return;
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            if (predicate || surface.Length < 2 || !KoreanWords.IsCjk(surface[0]))
            {
                continue;
            }

            for (var at = question.IndexOf(surface, StringComparison.Ordinal); at >= 0; at = question.IndexOf(surface, at + 1, StringComparison.Ordinal))
            {
                if (WordBefore(question, at) is "안" or "못")
                {
                    groups[i] = (surface, forms, true);
                    break;
                }
            }
        }
    }

    /// <summary>Adverbs of how to tell ("쉽게 말하면", "간단히 설명하면"): before a verb of saying they frame the question.</summary>
    private static readonly HashSet<string> MannerOfTelling = new(StringComparer.Ordinal) { "쉽게", "간단히", "간단하게", "짧게", "대충", "요약해서" };

    private static readonly string[] VerbsOfSaying = ["말", "설명", "얘기", "이야기", "정리", "요약", "알려", "가르쳐", "풀어", "좀"];

    /// <summary>
    /// Marks as predicates "쉽게" and the like before a verb of saying or a request ("지식 증류가 쉽게 말하면 뭔데?", "쉽게 좀
    /// ㄱㄱ") or at the question's end: how to answer, not what about. Lever: <c>roles</c>.
    /// </summary>
    private void MarkMannerOfTelling(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        if (!_roles)
        {
            return;
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            var at = MannerOfTelling.Contains(surface) ? question.IndexOf(surface, StringComparison.Ordinal) : -1;
            if (predicate || at < 0)
            {
                continue;
            }

            // before a verb of saying or a request ("쉽게 좀"), or closing the question ("뭔 소리야 쉽게?")
            var next = question.AsSpan(at + surface.Length).TrimStart(' ');
            if (!next.ContainsAnyExcept(ClosingMarks))
            {
                groups[i] = (surface, forms, true);
                continue;
            }

            foreach (var verb in VerbsOfSaying)
            {
                if (next.StartsWith(verb, StringComparison.Ordinal))
                {
                    groups[i] = (surface, forms, true);
                    break;
                }
            }
        }
    }

    /// <summary>What may close a question after its last word: punctuation, spaces, chat shorthand in bare jamo ("ㄱㄱ").</summary>
    private static readonly System.Buffers.SearchValues<char> ClosingMarks = System.Buffers.SearchValues.Create(" ?!.~…ㄱㄲㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎㅠㅜ");

    /// <summary>Endings that only a verb or an adjective takes, never a noun ("잡아먹게", "줄이려고", "쓰도록", "쓰면서").</summary>
    private static readonly string[] VerbOnlyEndings = ["게", "게끔", "도록", "려고", "려", "러", "면서", "자마자"];

    /// <summary>The analyser stripped from <paramref name="word"/> an ending only a verb takes ("잡아먹게" → 잡아먹): it is a
    /// predicate whatever its stem looks like. Lever: <c>roles</c>.</summary>
    private static bool HasVerbOnlyEnding(string question, in Word word)
    {
        if (word.Kind != WordKind.Hangul || word.End > question.Length)
        {
            return false;
        }

        var end = HangulRunEnd(question, word.End);

        // stripped by the analyser, or (an ending of two syllables or more) left on the word: "빨아먹도록"
        var rest = question.AsSpan(word.End, end - word.End);
        foreach (var ending in VerbOnlyEndings)
        {
            if (rest.SequenceEqual(ending)
                || (rest.IsEmpty && ending.Length >= 2 && word.Text.Length > ending.Length + 1 && word.Text.EndsWith(ending, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Determiners that ask which kind of thing ("어떤 형태", "무슨 방식"): the noun after one names the kind of answer.</summary>
    private static readonly HashSet<string> KindDeterminers = new(StringComparer.Ordinal) { "어떤", "무슨", "어느", "어떠한" };

    /// <summary>Words for a share, which the articles write as a figure with % ("reduction percent?", "몇 퍼센트"): they
    /// name the kind of answer wherever they stand.</summary>
    private static readonly HashSet<string> ShareWords = new(StringComparer.OrdinalIgnoreCase) { "percent", "percentage", "퍼센트", "퍼센티지" };

    /// <summary>
    /// The words right after 어떤, 무슨 or 어느 ("어떤 형태가 될 거라고 봤어?"): such a noun names the kind of answer the
    /// question wants, which the passage that answers need not use (it says "오픈소스나 클라우드 기반", not "형태"). When no
    /// article contains it, it weighs like a predicate instead of counting as missing content. Lever: <c>roles</c>.
    /// </summary>
    private HashSet<int> AnswerKinds(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        var kinds = new HashSet<int>();
        if (!_roles)
        {
            return kinds;
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var surface = groups[i].Surface;
            var at = surface.Length == 0 ? -1 : question.IndexOf(surface, StringComparison.Ordinal);
            if ((at > 0 && KindDeterminers.Contains(WordBefore(question, at).ToString())) || ShareWords.Contains(surface))
            {
                kinds.Add(i);
            }
        }

        return kinds;
    }

    /// <summary>
    /// Bound nouns that follow a verb's adnominal -ㄹ form ("낮출 수 있었던", "나올 것", "할 줄"): the word before one is a
    /// predicate whatever its stem, even when its last syllable is not a familiar ending.
    /// </summary>
    private static readonly HashSet<string> BoundNounsAfterAdnominal = new(StringComparer.Ordinal)
    {
        "수", "수가", "수도", "수는", "수밖에", "것", "것은", "것이", "것을", "것도", "거", "거야", "거지", "거예요", "거라고", "줄", "뻔",
    };

    /// <summary>
    /// Marks as predicates the words in the adnominal -ㄹ form before a bound noun ("낮출" in "비용을 낮출 수 있었던"), which
    /// <see cref="KoreanWords.IsPredicateLike"/> does not know by their last syllable: read as nouns they would weigh as
    /// missing content and could even veto the answer. Lever: <c>roles</c>.
    /// </summary>
    private void MarkAdnominals(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        if (!_roles)
        {
            return;
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            if (predicate || surface.Length < 2 || !KoreanStems.EndsInRieul(surface))
            {
                continue;
            }

            var at = question.IndexOf(surface, StringComparison.Ordinal);
            if (at < 0 || at + surface.Length >= question.Length || question[at + surface.Length] != ' ')
            {
                continue;
            }

            var next = at + surface.Length;
            while (next < question.Length && question[next] == ' ')
            {
                next++;
            }

            var end = HangulRunEnd(question, next);
            if (end > next && BoundNounsAfterAdnominal.Contains(question[next..end]))
            {
                groups[i] = (surface, forms, true);
            }
        }
    }

    /// <summary>Noun endings of English ("employees", "subsidies", "regulation", "government"): an untranslated word with one is
    /// a thing the question asks about, not a verb or an adverb, so it keeps its full weight.</summary>
    private static readonly string[] EnglishNounEndings = ["tion", "sion", "ment", "ness", "ity", "ship", "ance", "ence", "ism", "ist", "ees", "ers", "ors", "ies"];

    /// <summary>Words that open an English noun phrase: the word after one is a noun (or the first of a compound noun).</summary>
    private static readonly HashSet<string> EnglishDeterminers = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "a", "an", "its", "their", "his", "her", "our", "your", "my", "this", "these", "those", "whose", "any", "each",
    };

    /// <summary>Words that follow a determiner without being the thing named ("their own", "the same", "the very end").</summary>
    private static readonly HashSet<string> EnglishModifiers = new(StringComparer.OrdinalIgnoreCase)
    {
        "own", "other", "same", "very", "only", "whole", "entire", "such", "next", "last", "first", "single",
    };

    private static readonly HashSet<string> EnglishAuxiliaries = new(StringComparer.OrdinalIgnoreCase)
    {
        "is", "was", "are", "were", "does", "did", "do", "has", "have", "had", "can", "could", "will", "would", "should",
    };

    private static readonly HashSet<string> EnglishPrepositions = new(StringComparer.OrdinalIgnoreCase)
    {
        "of", "in", "on", "at", "for", "from", "to", "with", "by", "about",
    };

    /// <summary>English words that follow a determiner ("an office", "the context window length of"): the head of a noun
    /// phrase, so a thing the question asks about, whatever its ending. The words after the first count only when a
    /// preposition closes the run ("window length of"); otherwise the second may be the verb ("what does the post list?").</summary>
    private static HashSet<string> EnglishNounsAfterDeterminers(string question, Func<string, bool>? isAdjective = null)
    {
        var nouns = new HashSet<string>(StringComparer.Ordinal);
        var words = EnglishWordRegex().Matches(question).Select(m => m.Value).ToList();
        bool Content(int i) => i < words.Count && !QuestionWords.IsStop(words[i].ToLowerInvariant())
            && !EnglishDeterminers.Contains(words[i]) && !EnglishModifiers.Contains(words[i]) && !EnglishPrepositions.Contains(words[i]);
        for (var i = 1; i < words.Count; i++)
        {
            // "What license is …", "Which company did …": what or which before a word and then an auxiliary asks for a
            // kind of thing, named by that word.
            if (words[i - 1].ToLowerInvariant() is "what" or "which" && Content(i) && i + 1 < words.Count && EnglishAuxiliaries.Contains(words[i + 1]))
            {
                nouns.Add(words[i]);
                continue;
            }

            if (!EnglishDeterminers.Contains(words[i - 1]) || !Content(i))
            {
                continue;
            }

            // an adjective before another content word modifies it ("the weird API activity"): the noun comes after it
            if (isAdjective is not null && Content(i + 1) && isAdjective(words[i].ToLowerInvariant()))
            {
                i++;
            }

            nouns.Add(words[i]);
            // the rest of a compound noun: the content words up to a preposition ("the context window length of")
            var end = i + 1;
            while (Content(end))
            {
                end++;
            }

            if (end > i + 1 && end < words.Count && EnglishPrepositions.Contains(words[end]))
            {
                for (var j = i + 1; j < end; j++)
                {
                    nouns.Add(words[j]);
                }
            }
        }

        return nouns;
    }

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex EnglishWordRegex();

    private static bool LooksLikeEnglishNoun(string word) =>
        word.Length > 4 && EnglishNounEndings.Any(e => word.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
