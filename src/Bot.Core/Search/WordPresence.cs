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
    private readonly Dictionary<string, bool> _phrases = new(StringComparer.Ordinal);

    public WordPresence(IndexSearcher searcher, Func<string, int> df)
    {
        _searcher = searcher;
        _df = df;
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
            return _df(hangul) > 0;
        }

        if (_phrases.TryGetValue(hangul, out var known))
        {
            return known;
        }

        for (var i = 0; i + 1 < hangul.Length; i++)
        {
            if (_df(hangul.Substring(i, 2)) == 0)
            {
                return _phrases[hangul] = false;
            }
        }

        var query = new PhraseQuery();
        for (var i = 0; i + 1 < hangul.Length; i++)
        {
            query.Add(new Term(Fields.Text, hangul.Substring(i, 2)), i);
        }

        return _phrases[hangul] = _searcher.Search(query, 1).TotalHits > 0;
    }

    /// <summary>Two words run together: both parts occur whole, or one syllable (a particle, an adverb such as 더, 곧, 몇)
    /// stands before or after a word of two or more syllables that occurs whole ("업계엔", "몇시간", "위기속").</summary>
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
    /// another vowel, another final consonant or its tense/lax initial (젼략 → 전략, 강화학슴 → 강화학습, 딥씨크 → 딥시크) that occurs whole; for a Latin word of five
    /// letters or more, the closest term within Lucene's Levenshtein distance (1 edit, 2 from six letters: dpseek → deepseek).
    /// Null when there is none or more than one equally close.
    /// </summary>
    public string? Respell(string word)
    {
        if (IsHangulWord(word))
        {
            return word.Length is >= 2 and <= 5 ? RespellHangul(word) : null;
        }

        if (word.Length < 5 || !word.All(char.IsAsciiLetterLower))
        {
            return null;
        }

        var fuzzy = new FuzzyQuery(new Term(Fields.Text, word), word.Length >= 6 ? 2 : 1, prefixLength: 1);
        var rewritten = _searcher.Rewrite(fuzzy);
        var best = (Term: (string?)null, Boost: 0f, Df: 0);
        var tie = false;
        foreach (var clause in (rewritten as BooleanQuery)?.Clauses ?? [])
        {
            if (clause.Query is not TermQuery tq)
            {
                continue;
            }

            var text = tq.Term.Text;
            if (!text.All(char.IsAsciiLetterLower))
            {
                continue;
            }

            var df = _df(text);
            if (tq.Boost > best.Boost || (tq.Boost == best.Boost && df > best.Df))
            {
                tie = tq.Boost == best.Boost && df == best.Df;
                best = (text, tq.Boost, df);
            }
        }

        return tie ? null : best.Term;
    }

    private string? RespellHangul(string word)
    {
        string? found = null;
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var original = chars[i];
            var s = original - 0xAC00;
            var (l, v, t) = (s / 588, s % 588 / 28, s % 28);
            foreach (var (nl, nv, nt) in Neighbours(l, v, t))
            {
                chars[i] = (char)(0xAC00 + (nl * 588) + (nv * 28) + nt);
                var candidate = new string(chars);
                if (OccursWhole(candidate))
                {
                    if (found is not null && found != candidate)
                    {
                        return null; // ambiguous
                    }

                    found = candidate;
                }
            }

            chars[i] = original;
        }

        return found;
    }

    private static IEnumerable<(int L, int V, int T)> Neighbours(int l, int v, int t)
    {
        for (var nv = 0; nv < 21; nv++)
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

    private static bool IsHangulWord(string text)
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
