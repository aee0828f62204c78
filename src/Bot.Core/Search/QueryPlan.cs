using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Lucene.Net.Analysis.TokenAttributes;

namespace Bot.Core.Search;

/// <summary>A form of a query word and its index terms. Synonyms come from the glossary.</summary>
public sealed record QueryForm(string Text, IReadOnlyList<string> Terms, bool IsSynonym);

/// <summary>One content word of the question with its alternative forms (itself first, then synonyms).</summary>
/// <param name="Predicate">The word looks like a verb, adjective or particle phrase (see <see cref="KoreanWords.IsPredicateLike"/>).</param>
/// <param name="Name">The word is written like a name or a code in Latin letters ("Bitcoin", "R2", "HBM"; not the question's
/// first word): if no article contains it, the articles cannot be about it.</param>
public sealed record QueryGroup(string Surface, IReadOnlyList<QueryForm> Forms, bool Predicate, bool Name = false);

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
public sealed record QueryPlan(IReadOnlyList<QueryGroup> Groups, IReadOnlyList<string> Stopped, QuestionCue Cues);

/// <summary>
/// Turns a question into a <see cref="QueryPlan"/>: <see cref="KoreanQueryAnalyzer"/> words (particles stripped, synonyms
/// added by Lucene's SynonymFilter), question words and fillers removed (ko/en stopword lists), cues detected.
/// </summary>
public sealed partial class QueryPlanner
{
    private static readonly HashSet<string> KoreanStop = new(StringComparer.Ordinal)
    {
        "무엇", "무슨", "뭐", "뭘", "뭔", "뭐야", "뭐래", "뭐지", "뭐임", "뭔가", "뭔지", "어떤", "어떻", "어떻게", "어떠", "어때", "어땠",
        "언제", "얼마", "얼마나", "누구", "누가", "누군", "어디", "어느", "왜", "몇", "좀", "그거", "그게", "그건", "이거", "이게", "저거",
        "있어", "있나", "있는", "있었", "있을", "있다", "없어", "없나", "알려줘", "알려", "알려주세", "주세", "줘", "대해", "대한", "관련",
        "관해", "정말", "진짜", "그냥", "혹시", "요즘", "거야", "건가", "건데", "거", "것", "수", "등", "및", "또", "더", "했어", "하나",
        "해", "돼", "되나", "나요", "있잖", "있잖아", "그래서", "그러면", "그럼", "결국", "이제", "다들", "어떻", "했는", "했길래", "하는",
        "이런", "그런", "저런", "여기", "거기", "이번", "무엇인", "뭐라", "했대", "한대", "하대", "래", "대", "냐", "니", "나", "게",
        "은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과", "로", "만", "들", "요", "한테", "에게", "께", "아냐", "아니", "뭐래", "있대", "어디야", "할까", "될까", "인가", "누구야", "뭐야", "얼마야", "어때", "이야",
    };

    /// <summary>English question words and fillers, with their stems (questions are stemmed like the index).</summary>
    private static readonly HashSet<string> EnglishStop = WithStems(
    [
        "the", "an", "of", "to", "in", "on", "for", "with", "by", "at", "from", "about", "as", "is", "are", "was", "were", "be",
        "been", "being", "do", "does", "did", "done", "doe", "have", "has", "had", "what", "which", "who", "whom", "whose", "when",
        "where", "why", "how", "much", "many", "that", "this", "these", "those", "it", "its", "they", "them", "their", "there",
        "and", "or", "but", "not", "no", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "than",
        "then", "so", "such", "other", "some", "any", "all", "more", "most", "very", "also", "just", "into", "over", "under",
        "again", "kind", "type", "think", "say", "said", "tell", "me", "you", "your", "we", "our", "us", "he", "she", "his",
        "her", "him", "i", "my", "if", "get", "got", "go", "going", "along", "according", "like", "way", "thing", "something",
        "please", "explain", "describe", "mean", "according", "s", "t", "anything", "know", "happen", "happened", "really",
    ]);

    private static HashSet<string> WithStems(string[] words)
    {
        var set = new HashSet<string>(words, StringComparer.Ordinal);
        foreach (var w in words)
        {
            set.Add(KoreanWords.EnglishStem(w));
        }

        return set;
    }

    private readonly KoreanQueryAnalyzer _analyzer;
    private readonly bool _prefixSynonyms;
    private readonly bool _stems;

    public QueryPlanner(KoreanQueryAnalyzer analyzer, bool prefixSynonyms = true, bool stems = true)
    {
        _analyzer = analyzer;
        _prefixSynonyms = prefixSynonyms;
        _stems = stems;
    }

    public QueryPlan Plan(string question)
    {
        var groups = new List<(string Surface, List<QueryForm> Forms, bool Predicate)>();
        var stopped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var questionWords = KoreanWords.Split(question);
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

            var groupAt = new Dictionary<int, int>();
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
                        groups[foldInto] = (question[wordAt.GetValueOrDefault(FirstStart(groupAt, foldInto)).Start..originalWord.End], g0.Forms, g0.Predicate);
                        continue;
                    }

                    if (IsStop(original) || !seen.Add(original))
                    {
                        if (IsStop(original))
                        {
                            stopped.Add(original);
                        }

                        stoppedAt.Add(start);
                        continue;
                    }

                    groups.Add((question[originalWord.Start..originalWord.End], [Form(original, false)], KoreanWords.IsPredicateLike(originalWord)));
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

        // Joined forms of hyphenated words ("R1-zero" → "r1zero") also match glued spellings.
        AddJoinedForms(question, questionWords, groups);
        if (_stems)
        {
            AddStemSynonyms(groups);
        }

        if (_prefixSynonyms)
        {
            AddPrefixSynonyms(groups);
        }

        MarkUntranslatedEnglish(question, groups);
        var firstWordStart = questionWords.Select(w => w.Start).DefaultIfEmpty(0).First();
        return new QueryPlan(
            groups.Select(g => new QueryGroup(g.Surface, g.Forms, g.Predicate, IsName(question, g.Surface, firstWordStart))).ToList(),
            stopped,
            DetectCues(question));
    }

    /// <summary>
    /// In an English question, a lower-case word the glossary cannot translate ("hosted", "premier") is weak evidence
    /// against a Korean corpus: it is treated like a predicate (low weight; never a reason to decline). Capitalised words
    /// and words with digits stay full-weight, since they are usually names ("Bitcoin", "R2").
    /// </summary>
    private static void MarkUntranslatedEnglish(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        if (Answers.LanguageDetector.Detect(question, Answers.Language.Korean) != Answers.Language.English)
        {
            return;
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            if (!predicate && forms.Count == 1 && surface.Length > 0 && char.IsAsciiLetterLower(surface[0]) && surface.All(char.IsAsciiLetter))
            {
                groups[i] = (surface, forms, true);
            }
        }
    }

    private static bool IsName(string question, string surface, int firstWordStart)
    {
        if (surface.Length < 2 || !char.IsAsciiLetterOrDigit(surface[0]) || surface.Any(KoreanWords.IsCjk) || surface.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        var hasDigit = surface.Any(char.IsAsciiDigit) && surface.Any(char.IsAsciiLetter);
        var capitalised = char.IsAsciiLetterUpper(surface[0]) && question.IndexOf(surface, StringComparison.Ordinal) != firstWordStart;
        var allCaps = surface.All(c => !char.IsAsciiLetterLower(c)) && surface.Any(char.IsAsciiLetter);
        return hasDigit || capitalised || allCaps;
    }

    private static int FirstStart(Dictionary<int, int> groupAt, int group) => groupAt.Where(kv => kv.Value == group).Min(kv => kv.Key);

    /// <summary>
    /// A conjugated Korean predicate the glossary does not know as written ("빠졌", "받아들여", "풀어버린") takes the entry of
    /// its nearest dictionary stem (<see cref="KoreanStems"/>: "빠지", "받아들이", "풀어버리" or "풀"), and that stem
    /// becomes a form too. A predicate that the glossary resolves to the articles' words is a content word, not filler.
    /// </summary>
    private void AddStemSynonyms(List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        var glossary = _analyzer.SingleWordSynonyms;
        for (var i = 0; i < groups.Count; i++)
        {
            var (surface, forms, predicate) = groups[i];
            var original = forms[0].Text;
            if (forms.Count > 1 || original.Length < 1 || !KoreanWords.IsCjk(original[^1]) || original.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var candidate in KoreanStems.Candidates(original))
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

                if (stem.Length >= 2)
                {
                    forms.Add(Form(stem, false));
                }

                foreach (var syn in synonyms)
                {
                    if (forms.All(f => f.Text != syn))
                    {
                        forms.Add(Form(syn, true));
                    }
                }

                groups[i] = (surface, forms, false);
                break;
            }
        }
    }

    /// <summary>
    /// A conjugated or compound Korean word the glossary does not know ("모자라서", "고생하던") borrows the synonyms of
    /// its longest known prefix of at least two syllables ("모자라", "고생"), and that prefix becomes a form too.
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
                if (glossary.TryGetValue(original[..len], out var synonyms))
                {
                    forms.Add(Form(original[..len], false)); // the stem is the same word
                    foreach (var syn in synonyms)
                    {
                        if (forms.All(f => f.Text != syn))
                        {
                            forms.Add(Form(syn, true));
                        }
                    }

                    break;
                }
            }
        }
    }

    private static void AddJoinedForms(string question, List<Word> questionWords, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        foreach (var w in questionWords)
        {
            if (w.Catenated && groups.All(g => g.Forms.All(f => f.Text != w.Text)))
            {
                groups.Add((question[w.Start..w.End], [Form(w.Text, false)], false));
            }
        }
    }

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

    private static bool IsStop(string word) => KoreanStop.Contains(word) || EnglishStop.Contains(word);

    private static QuestionCue DetectCues(string question)
    {
        var cues = QuestionCue.None;
        if (AmountRegex().IsMatch(question))
        {
            cues |= QuestionCue.Amount;
        }

        if (DateRegex().IsMatch(question))
        {
            cues |= QuestionCue.Date;
        }

        return cues;
    }

    [GeneratedRegex(@"얼마|몇|how much|how many|cost|price|비용|금액|규모|몇\s*배|percent|%", RegexOptions.IgnoreCase)]
    private static partial Regex AmountRegex();

    [GeneratedRegex(@"언제|when|what year|what date|날짜|시기|몇\s*년|몇\s*월", RegexOptions.IgnoreCase)]
    private static partial Regex DateRegex();
}
