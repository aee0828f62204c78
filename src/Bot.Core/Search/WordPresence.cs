using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Bot.Core.Search;

/// <summary>
/// Whether a question word occurs in the articles as a word, not merely as bigrams scattered over other words
/// ("스타게이트" shares 스타, 게이, 이트 with other words but occurs nowhere), and, for a word that does not occur, the
/// spelling it was probably meant as. Used per question; phrase and fuzzy look-ups run only for words that fail the
/// cheap check, so a question whose words all occur costs nothing extra.
/// </summary>
internal sealed class WordPresence
{
    private static readonly int[] TensePairs = [1, 0, -1, 4, 3, -1, -1, 8, 7, -1, 10, 9, -1, 13, 12]; // ㄱ↔ㄲ, ㄷ↔ㄸ, ㅂ↔ㅃ, ㅅ↔ㅆ, ㅈ↔ㅉ
    private readonly IndexSearcher _searcher;
    private readonly Func<string, int> _df;
    private HangulBigrams? _bigrams;

    // Work bounds per question, so that a question full of unknown words costs little more than any other: phrase
    // queries only while a word's rarest bigram is rare enough to read cheaply, and a few of them.
    private const int MaxPhraseQueries = 3;
    private const int MaxPhraseDocFreq = 500;
    private int _phrasesLeft = MaxPhraseQueries;
    private readonly IReadOnlyList<string> _latinVocabulary;
    private readonly Dictionary<string, bool> _phrases = new(StringComparer.Ordinal);

    public WordPresence(IndexSearcher searcher, Func<string, int> df, IReadOnlyList<string> latinVocabulary)
    {
        _searcher = searcher;
        _df = df;
        _latinVocabulary = latinVocabulary;
    }

    /// <summary>
    /// True when every term of <paramref name="form"/> occurs somewhere; for a single Hangul word with a term that occurs
    /// nowhere, when it is two words run together, each of which occurs whole ("훈련비용" = 훈련 + 비용); for several
    /// words (a glossary phrase), when at least half its terms occur.
    /// </summary>
    public bool Occurs(QueryForm form)
    {
        var present = 0;
        foreach (var t in form.Terms)
        {
            if (_df(t) > 0)
            {
                present++;
            }
        }

        if (present == form.Terms.Count)
        {
            return true;
        }

        if (!IsHangulWord(form.Text))
        {
            return present * 2 >= form.Terms.Count;
        }

        return present > 0 && IsCompound(form.Text);
    }

    /// <summary>A Hangul word occurs whole: its bigrams at consecutive positions of one passage.</summary>
    public bool OccursWhole(string hangul)
    {
        if (hangul.Length < 2)
        {
            return _df(hangul) > 0;
        }

        if (hangul.Length == 2)
        {
            return AllBigramsExist(hangul);
        }

        if (_phrases.TryGetValue(hangul, out var known))
        {
            return known;
        }

        if (!AllBigramsExist(hangul))
        {
            return _phrases[hangul] = false;
        }

        var rarest = int.MaxValue;
        for (var i = 0; i + 1 < hangul.Length; i++)
        {
            rarest = Math.Min(rarest, _df(hangul.Substring(i, 2)));
        }

        if (rarest > MaxPhraseDocFreq || _phrasesLeft-- <= 0)
        {
            return _phrases[hangul] = true; // every bigram occurs and they are common: taken as present, unchecked
        }

        return _phrases[hangul] = _searcher.Search(Whole(hangul), 1).TotalHits > 0;
    }

    /// <summary>The query for a Hangul word of two or more syllables as a whole: its bigram, or its bigrams in a row.</summary>
    private static Query Whole(string hangul)
    {
        if (hangul.Length == 2)
        {
            return new TermQuery(new Term(Fields.Text, hangul));
        }

        var phrase = new PhraseQuery();
        for (var i = 0; i + 1 < hangul.Length; i++)
        {
            phrase.Add(new Term(Fields.Text, hangul.Substring(i, 2)), i);
        }

        return phrase;
    }

    /// <summary>Every bigram of a Hangul word occurs somewhere (a cheap first test: the word may still occur nowhere whole).</summary>
    public bool MayOccur(string hangul) => hangul.Length < 2 ? _df(hangul) > 0 : AllBigramsExist(hangul);

    /// <summary>Some passage contains every one of <paramref name="hangulWords"/> whole (one query): the words of a run
    /// written without its spaces stand together somewhere, as a phrase of the articles does.</summary>
    /// <remarks>It counts against the question's budget of phrase look-ups; with none left it says no (the run stays one word).</remarks>
    public bool CoOccur(IReadOnlyList<string> hangulWords)
    {
        if (hangulWords.Any(w => w.Length < 2) || _phrasesLeft-- <= 0)
        {
            return false;
        }

        var query = new BooleanQuery();
        foreach (var word in hangulWords)
        {
            query.Add(Whole(word), Occur.MUST);
        }

        return _searcher.Search(query, 1).TotalHits > 0;
    }

    /// <summary>Some passage has the Hangul word <paramref name="first"/> right before <paramref name="second"/> ("알렉산더
    /// 왕은"; the index numbers a word's bigrams on from the word before, so the two stand in a row). Counts against the
    /// question's budget of phrase look-ups, like <see cref="CoOccur"/>.</summary>
    public bool Follows(string first, string second)
    {
        if (first.Length < 2 || second.Length < 2 || _phrasesLeft-- <= 0)
        {
            return false;
        }

        var phrase = new PhraseQuery();
        var at = 0;
        foreach (var word in (ReadOnlySpan<string>)[first, second])
        {
            for (var i = 0; i + 1 < word.Length; i++)
            {
                phrase.Add(new Term(Fields.Text, word.Substring(i, 2)), at++);
            }
        }

        return _searcher.Search(phrase, 1).TotalHits > 0;
    }

    /// <summary>Two words run together: both parts occur whole, or one syllable (a particle, an adverb such as 더, 곧, 몇)
    /// stands before or after a word of two or more syllables that occurs whole ("업계엔", "몇시간", "위기속").</summary>
    private bool AllBigramsExist(string hangul)
    {
        var bigrams = _bigrams ??= HangulBigrams.For(_searcher.IndexReader);
        for (var i = 0; i + 1 < hangul.Length; i++)
        {
            if (!bigrams.Contains(hangul[i], hangul[i + 1]))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsCompound(string word)
    {
        for (var cut = 2; cut <= word.Length - 2; cut++)
        {
            if (OccursWhole(word[..cut]) && OccursWhole(word[cut..]))
            {
                return true;
            }
        }

        return word.Length >= 3 && (OccursWhole(word[1..]) || OccursWhole(word[..^1]));
    }

    /// <summary>
    /// The spelling a word that occurs nowhere was probably meant as: for Hangul (2 to 5 syllables), one syllable with
    /// another vowel, another final consonant or its tense/lax initial (two syllables: only a like vowel or the initial) (젼략 → 전략, 강화학슴 → 강화학습, 딥씨크 → 딥시크) that occurs whole; for a Latin word,
    /// the nearest English word or name the glossary knows (<see cref="NearestKnown"/>: dpseek → deepseek).
    /// Null when there is none or more than one equally close.
    /// </summary>
    public string? Respell(string word)
    {
        if (IsHangulWord(word))
        {
            return word.Length is >= 2 and <= 5 ? RespellHangul(word) : null;
        }

        return Singular(word) ?? (word.Length >= 4 && word.All(char.IsAsciiLetterLower) ? NearestKnown(word, _latinVocabulary) : null);
    }

    /// <summary>
    /// An English plural the stemmer leaves alone because it is a code or an acronym ("GPUs", "LLMs", "H800s"): the
    /// singular, when the articles or the glossary know it.
    /// </summary>
    private string? Singular(string word)
    {
        if (word.Length < 3 || word[^1] != 's' || !word.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            return null;
        }

        foreach (var singular in (ReadOnlySpan<string>)[word[..^1], word.EndsWith("es", StringComparison.Ordinal) ? word[..^2] : ""])
        {
            if (singular.Length >= 2 && (_df(singular) > 0 || BinarySearchOrdinal(_latinVocabulary, singular)))
            {
                return singular;
            }
        }

        return null;
    }

    private static bool BinarySearchOrdinal(IReadOnlyList<string> sorted, string word)
    {
        int lo = 0, hi = sorted.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = string.CompareOrdinal(sorted[mid], word);
            if (c == 0)
            {
                return true;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return false;
    }

    /// <summary>
    /// The one word of <paramref name="vocabulary"/> (the glossary's English words and names, sorted) within one edit of
    /// <paramref name="word"/>, or two from six letters towards a word no shorter (insertions, deletions, substitutions and swaps of neighbours;
    /// same first letter; not a word that only extends or cuts a known one at its end); null when there is none or several equally near. The vocabulary is small, so this is a
    /// scan, not a terms-dictionary walk.
    /// </summary>
    internal static string? NearestKnown(string word, IReadOnlyList<string> vocabulary)
    {
        if (word.Length < 4)
        {
            return null;
        }

        var limit = word.Length >= 6 ? 2 : 1;
        string? best = null;
        var bestDistance = limit + 1;
        var tie = false;
        foreach (var candidate in vocabulary)
        {
            // A word that only adds or drops letters at the end of a known one is another word of its family (stemmed
            // "office" is "offic", "official" is "offici"), not a misspelling of it.
            if (candidate[0] != word[0] || Math.Abs(candidate.Length - word.Length) > limit || candidate.Length < 4
                || candidate.StartsWith(word, StringComparison.Ordinal) || word.StartsWith(candidate, StringComparison.Ordinal))
            {
                continue;
            }

            var d = Distance(word, candidate, limit);
            // Two edits only towards a word at least as long: a typo drops letters more often than it adds two, and a
            // longer word two edits from a shorter known one is mostly another word ("licens", stemmed "license", is not "liken").
            if (d == 2 && candidate.Length < word.Length)
            {
                continue;
            }

            if (d < bestDistance)
            {
                (best, bestDistance, tie) = (candidate, d, false);
            }
            else if (d == bestDistance && d <= limit)
            {
                tie = true;
            }
        }

        return best is not null && !tie && bestDistance > 0 ? best : null;
    }

    /// <summary>Optimal string alignment distance, or <paramref name="limit"/> + 1 once it is sure to exceed it.</summary>
    private static int Distance(string a, string b, int limit)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var rowMin = int.MaxValue;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    v = Math.Min(v, d[i - 2, j - 2] + 1);
                }

                d[i, j] = v;
                rowMin = Math.Min(rowMin, v);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>At most this many respellings whose bigrams all exist are checked as phrases; more means the word is
    /// not one typo away from one word (and bounds the work for a word that is simply not in the articles).</summary>
    private const int MaxRespellings = 4;

    private string? RespellHangul(string word)
    {
        var candidates = new List<string>(MaxRespellings);
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var original = chars[i];
            var s = original - 0xAC00;
            var (l, v, t) = (s / 588, s % 588 / 28, s % 28);
            foreach (var (nl, nv, nt) in Neighbours(l, v, t, likeVowelsOnly: word.Length == 2))
            {
                chars[i] = (char)(0xAC00 + (nl * 588) + (nv * 28) + nt);
                if (BigramsAround(chars, i))
                {
                    if (candidates.Count == MaxRespellings)
                    {
                        return null;
                    }

                    candidates.Add(new string(chars));
                }
            }

            chars[i] = original;
        }

        string? found = null;
        foreach (var candidate in candidates)
        {
            if (OccursWhole(candidate))
            {
                if (found is not null)
                {
                    return null; // ambiguous
                }

                found = candidate;
            }
        }

        return found;
    }

    /// <summary>The bigrams that include position <paramref name="i"/> exist (the others are unchanged).</summary>
    private bool BigramsAround(char[] chars, int i)
    {
        var bigrams = _bigrams ??= HangulBigrams.For(_searcher.IndexReader);
        return (i == 0 || bigrams.Contains(chars[i - 1], chars[i])) && (i + 1 == chars.Length || bigrams.Contains(chars[i], chars[i + 1]));
    }

    private static readonly int[][] LikeVowels = [[1, 5, 3, 7], [0, 2], [4, 6], [8, 12], [13, 17], [10, 11, 15], [19, 20]];

    /// <summary>
    /// The syllables one typo away: another vowel, another final consonant, the tense/lax initial. With
    /// <paramref name="likeVowelsOnly"/> (a two-syllable word, where one changed syllable is half the word: 제목 is not a
    /// typo of 주목) only a vowel that sounds or types alike (ㅐ/ㅔ/ㅒ/ㅖ, ㅏ/ㅑ, ㅓ/ㅕ, ㅗ/ㅛ, ㅜ/ㅠ, ㅙ/ㅚ/ㅞ, ㅢ/ㅣ).
    /// </summary>
    private static IEnumerable<(int L, int V, int T)> Neighbours(int l, int v, int t, bool likeVowelsOnly)
    {
        var vowels = likeVowelsOnly ? LikeVowels.Where(g => Array.IndexOf(g, v) >= 0).SelectMany(g => g) : Enumerable.Range(0, 21);
        foreach (var nv in vowels)
        {
            if (nv != v)
            {
                yield return (l, nv, t);
            }
        }

        for (var nt = 0; nt < 28; nt++)
        {
            if (nt != t)
            {
                yield return (l, v, nt);
            }
        }

        if (l < TensePairs.Length && TensePairs[l] >= 0)
        {
            yield return (TensePairs[l], v, t);
        }
    }

    /// <summary>A non-empty word of Hangul syllables only.</summary>
    internal static bool IsHangulWord(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '\uAC00' or > '\uD7A3')
            {
                return false;
            }
        }

        return true;
    }
}
