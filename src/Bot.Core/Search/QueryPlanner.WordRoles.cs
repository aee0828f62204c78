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
    /// it, nothing changes. Lever: <c>roles</c>.
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
            if (!predicate || starts[i] < 0 || word.Length < 2 || !KoreanWords.IsCjk(word[^1]) || !SentenceFinals.Contains(word[^1])
                || QuestionWords.IsFiller(word))
            {
                continue;
            }

            // only a bare word or one with a noun's particle: "한다고 봤어" keeps its verb reading
            var whole = WholeRun(question, surface);
            if (whole.Length > surface.Length && !NounParticles.Contains(whole[surface.Length..]))
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

    /// <summary>Noun endings of English ("employees", "subsidies", "regulation", "government"): an untranslated word with one is
    /// a thing the question asks about, not a verb or an adverb, so it keeps its full weight.</summary>
    private static readonly string[] EnglishNounEndings = ["tion", "sion", "ment", "ness", "ity", "ship", "ance", "ence", "ism", "ist", "ees", "ers", "ors", "ies"];

    private static bool LooksLikeEnglishNoun(string word) =>
        word.Length > 4 && EnglishNounEndings.Any(e => word.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
