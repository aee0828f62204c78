using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Lucene.Net.Analysis.TokenAttributes;

namespace Bot.Core.Search;

/// <summary>A form of a query word and its index terms. Synonyms come from the glossary.</summary>
public sealed record QueryForm(string Text, IReadOnlyList<string> Terms, bool IsSynonym);

/// <summary>One content word of the question with its alternative forms (itself first, then synonyms).</summary>
/// <param name="Predicate">The word looks like a verb, adjective or particle phrase (see <see cref="KoreanWords.IsPredicateLike"/>).</param>
public sealed record QueryGroup(string Surface, IReadOnlyList<QueryForm> Forms, bool Predicate);

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

    private static readonly HashSet<string> EnglishStop = new(StringComparer.Ordinal)
    {
        "the", "an", "of", "to", "in", "on", "for", "with", "by", "at", "from", "about", "as", "is", "are", "was", "were", "be",
        "been", "being", "do", "does", "did", "done", "doe", "have", "has", "had", "what", "which", "who", "whom", "whose", "when",
        "where", "why", "how", "much", "many", "that", "this", "these", "those", "it", "its", "they", "them", "their", "there",
        "and", "or", "but", "not", "no", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "than",
        "then", "so", "such", "other", "some", "any", "all", "more", "most", "very", "also", "just", "into", "over", "under",
        "again", "kind", "type", "think", "say", "said", "tell", "me", "you", "your", "we", "our", "us", "he", "she", "his",
        "her", "him", "i", "my", "if", "get", "got", "go", "going", "along", "according", "like", "way", "thing", "something",
        "please", "explain", "describe", "mean", "according", "s", "t", "anything", "know", "happen", "happened", "really",
    };

    private readonly KoreanQueryAnalyzer _analyzer;

    public QueryPlanner(KoreanQueryAnalyzer analyzer)
    {
        _analyzer = analyzer;
    }

    public QueryPlan Plan(string question)
    {
        var groups = new List<(string Surface, List<QueryForm> Forms, bool Predicate)>();
        var stopped = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stream = _analyzer.GetTokenStream(Fields.Text, question);
        try
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            var posInc = stream.AddAttribute<IPositionIncrementAttribute>();
            var offset = stream.AddAttribute<IOffsetAttribute>();
            stream.Reset();
            var currentStopped = false;
            var current = -1;
            while (stream.IncrementToken())
            {
                var text = term.ToString();
                if (posInc.PositionIncrement > 0 || current < 0)
                {
                    // A new position: the word as written (the SynonymFilter may emit it after its synonyms).
                    var surface = question.Substring(offset.StartOffset, offset.EndOffset - offset.StartOffset);
                    var originalWord = KoreanWords.Split(surface).FirstOrDefault(w => !w.Catenated);
                    var original = originalWord.Text ?? text;
                    currentStopped = IsStop(original) || !seen.Add(original);
                    if (IsStop(original))
                    {
                        stopped.Add(original);
                    }

                    current = -1;
                    if (!currentStopped)
                    {
                        groups.Add((surface, [Form(original, false)], KoreanWords.IsPredicateLike(originalWord)));
                        current = groups.Count - 1;
                    }
                }

                if (current >= 0)
                {
                    var forms = groups[current].Forms;
                    if (forms.All(f => f.Text != text))
                    {
                        forms.Add(Form(text, true));
                    }
                }
            }

            stream.End();
        }
        finally
        {
            stream.Dispose();
        }

        // Joined forms of hyphenated words ("R1-zero" → "r1zero") also match glued spellings.
        AddJoinedForms(question, groups);
        return new QueryPlan(groups.Select(g => new QueryGroup(g.Surface, g.Forms, g.Predicate)).ToList(), stopped, DetectCues(question));
    }

    private static void AddJoinedForms(string question, List<(string Surface, List<QueryForm> Forms, bool Predicate)> groups)
    {
        foreach (var w in KoreanWords.Split(question))
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
