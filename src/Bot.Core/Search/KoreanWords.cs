using System.Runtime.CompilerServices;
using Bot.Core.Answers;

namespace Bot.Core.Search;

/// <summary>The script class of a word.</summary>
public enum WordKind : byte
{
    /// <summary>Hangul (or other CJK) run, particles and endings stripped; indexed as character bigrams.</summary>
    Hangul,

    /// <summary>Latin letters, possibly with digits (model names like h800, r1, v3); indexed whole.</summary>
    Latin,

    /// <summary>A number, separators removed (2,048 → 2048); indexed whole.</summary>
    Number,
}

/// <summary>A word of a text: normalised form and its span [Start, End) in the original text.</summary>
public readonly record struct Word(string Text, int Start, int End, WordKind Kind, bool Catenated = false);

/// <summary>
/// Korean-aware word splitting shared by indexing and querying:
/// <list type="bullet">
/// <item>Hangul runs are words; a trailing particle or verb ending (<c>는</c>, <c>에서</c>, <c>했나요</c>, <c>적인</c>, <c>들의</c> …)
/// is stripped when at least two syllables remain, so <c>딥시크가</c> and <c>딥시크의</c> both become <c>딥시크</c>.</item>
/// <item>Latin/digit runs split at script changes (<c>H800칩</c> → <c>h800</c> + <c>칩</c>; <c>오픈AI</c> → <c>오픈</c> + <c>ai</c>), at
/// hyphens and apostrophes (<c>R1-zero</c> → <c>r1</c>, <c>zero</c> and the joined <c>r1zero</c>), are lower-cased and
/// stemmed (<c>stocks</c> → <c>stock</c>, <c>dominated</c> → <c>domin</c>; see <see cref="EnglishStem"/>).</item>
/// <item>Numbers lose group separators (<c>2,048</c> → <c>2048</c>), keep decimals (<c>557.6</c>), and a unit glued to a
/// number is its own word (<c>2048개</c> → <c>2048</c> + <c>개</c>; <c>2,788K</c> → <c>2788</c> + <c>k</c>).</item>
/// </list>
/// </summary>
public static class KoreanWords
{
    /// <summary>Particles, copulas and common verb endings, longest first.</summary>
    private static readonly string[] Suffixes = BuildSuffixes();

    private static readonly HashSet<string> SuffixSet = new(Suffixes, StringComparer.Ordinal);
    private static readonly int MaxSuffix = Suffixes.Max(s => s.Length);

    /// <summary>Appends the words of <paramref name="text"/> to <paramref name="output"/>.</summary>
    /// <param name="hangulText">False: Hangul words get an empty <see cref="Word.Text"/> and callers read
    /// text[Start..End] themselves (the matcher does, to look up bigrams without allocating).</param>
    public static void Split(string text, List<Word> output, bool hangulText = true)
    {
        var i = 0;
        var n = text.Length;
        while (i < n)
        {
            var c = text[i];
            if (IsCjk(c))
            {
                var s = i;
                while (i < n && IsCjk(text[i]))
                {
                    i++;
                }

                // A particle glued to a Latin word or number ("H800을", "DeepSeekMoE는") is not a word of its own.
                if (!(GluedToLatinWord(text, s) && SuffixSet.Contains(text.Substring(s, i - s))))
                {
                    AddHangul(text, s, i, output, hangulText);
                }
            }
            else if (IsAlnum(c))
            {
                var s = i;
                i++;
                while (i < n)
                {
                    var ch = text[i];
                    if (IsAlnum(ch))
                    {
                        i++;
                    }
                    else if (IsConnector(ch) && i + 1 < n && IsAlnum(text[i + 1]))
                    {
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                AddAlnumRun(text, s, i, output);
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Convenience overload.</summary>
    public static List<Word> Split(string text)
    {
        var list = new List<Word>();
        Split(text, list);
        return list;
    }

    /// <summary>Length of <paramref name="word"/> once a trailing particle or ending is removed (at least two syllables kept).</summary>
    public static int StemLength(ReadOnlySpan<char> word)
    {
        if (word.Length <= 2)
        {
            return word.Length;
        }

        var lookup = SuffixSet.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var len = Math.Min(MaxSuffix, word.Length - 2); len >= 1; len--)
        {
            if (lookup.Contains(word[^len..]))
            {
                return word.Length - len;
            }
        }

        return word.Length;
    }

    /// <summary>
    /// True when a Hangul word looks like a predicate or a particle phrase rather than a noun: one syllable, or ending in a
    /// syllable that Korean verb and adjective endings use (<c>-면</c>, <c>-는데</c>, <c>-게</c>, <c>-어</c>, <c>-던</c>, <c>-음</c> …).
    /// Such words weigh less in coverage, and their absence from the articles is not a reason to decline.
    /// A noun that happens to end in such a syllable is misjudged the same way; the cost is a lower weight, not a lost match.
    /// </summary>
    public static bool IsPredicateLike(in Word word)
    {
        if (word.Kind != WordKind.Hangul)
        {
            return false;
        }

        // A last syllable closed by ㅆ is a past stem ("찔렀", "받았"): no noun ends so. The recollective -더라 ("빠졌었더라",
        // "뭐였더라") ends a verb or a copula; 라 alone also ends nouns (인프라), so only the two syllables count.
        // So does the connective -느라(고) of a cause ("파느라 바쁘대", "만드느라"): no noun ends in 느라.
        return word.Text.Length <= 1 || PredicateFinals.Contains(word.Text[^1]) || KoreanStems.EndsInPastStem(word.Text) || KoreanStems.ReadsAsVerbClause(word.Text)
            || (word.Text.Length >= 3 && word.Text.EndsWith("더라", StringComparison.Ordinal))
            || (word.Text.Length >= 3 && (word.Text.EndsWith("느라", StringComparison.Ordinal) || word.Text.EndsWith("느라고", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A word ending in 아 or 어 looks like a verb's connective ("-아/-어"), but followed in its run by a case particle that a
    /// connective never takes ("이탈리아는", "소프트웨어를", "미디어의") it is a noun, mostly a loanword or a place name.
    /// </summary>
    public static bool IsNounBeforeCaseParticle(string text, in Word word)
    {
        if (word.Kind != WordKind.Hangul || word.End - word.Start < 2 || word.End > text.Length || text[word.End - 1] is not ('아' or '어'))
        {
            return false;
        }

        var end = word.End;
        while (end < text.Length && IsCjk(text[end]))
        {
            end++;
        }

        return end > word.End && CaseParticlesAfterVowel.Contains(text[word.End..end]);
    }

    /// <summary>Particles after a noun ending in a vowel that no "-아/-어" verb form continues with (not 가, 도, 서, 야, 요,
    /// 보다, 만: "살아가", "먹어도", "해보다").</summary>
    private static readonly HashSet<string> CaseParticlesAfterVowel = new(StringComparer.Ordinal)
    {
        "는", "를", "의", "에", "에서", "에서는", "에게", "한테", "로", "로는", "랑", "에는", "처럼", "까지", "부터",
    };

    private static readonly HashSet<char> PredicateFinals =
    [
        '다', '요', '어', '아', '여', '게', '고', '면', '는', '은', '을', '던', '음', '기', '지', '대', '래', '냐', '니', '야', '죠', '데',
        '서', '며', '자', '네', '까', '걸', '함', '됨', '봐', '써', '와', '워', '해', '돼', '줘', '졌', '했', '봤', '썼', '았', '었', '였',
        '겠', '할', '될', '볼', '쓸', '갈', '올', '나', '든', '겨', '려', '쳐', '켜', '혀', '펴', '셔', '져', '에', '란', '랑', '께', '런',
    ];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsCjk(char c) =>
        LanguageDetector.IsHangul(c) || c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3040' and <= '\u30FF');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAlnum(char c) => char.IsAsciiLetterOrDigit(c) || (c >= '\u00C0' && c <= '\u024F' && char.IsLetter(c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsConnector(char c) => c is '-' or '.' or ',' or '\'' or '’' or '_';

    /// <summary>True when <paramref name="s"/> is one or more particles/endings in a row ("만으로", "에서는").</summary>
    internal static bool IsSuffixChain(ReadOnlySpan<char> s)
    {
        var lookup = SuffixSet.GetAlternateLookup<ReadOnlySpan<char>>();
        while (s.Length > 0)
        {
            var matched = false;
            for (var len = Math.Min(MaxSuffix, s.Length); len >= 1; len--)
            {
                if (lookup.Contains(s[..len]))
                {
                    s = s[len..];
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the run before <paramref name="s"/> is a Latin word (letters, maybe digits), not a bare number.</summary>
    private static bool GluedToLatinWord(string text, int s)
    {
        for (var k = s - 1; k >= 0 && IsAlnum(text[k]); k--)
        {
            if (!char.IsAsciiDigit(text[k]))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddHangul(string text, int start, int end, List<Word> output, bool hangulText)
    {
        var stem = StemLength(text.AsSpan(start, end - start));
        if (start > 0 && char.IsAsciiDigit(text[start - 1]) && end - start >= 2 && IsSuffixChain(text.AsSpan(start + 1, end - start - 1)))
        {
            // A counter or unit glued to a number keeps one syllable: "2048개의" → "개", "2048개만으로" → "개", "2025년에" → "년".
            stem = 1;
        }

        output.Add(new Word(hangulText ? text.Substring(start, stem) : "", start, start + stem, WordKind.Hangul));
    }

    private static void AddAlnumRun(string text, int start, int end, List<Word> output)
    {
        // Split into parts at connectors, except '.' and ',' between digits (decimals, thousands).
        var firstIndex = output.Count;
        var hyphenParts = 0;
        var partStart = start;
        for (var i = start; i <= end; i++)
        {
            if (i < end)
            {
                var ch = text[i];
                if (!IsConnector(ch))
                {
                    continue;
                }

                var digitsAround = i > start && char.IsAsciiDigit(text[i - 1]) && i + 1 < end && char.IsAsciiDigit(text[i + 1]);
                if ((ch is '.' or ',') && digitsAround)
                {
                    continue;
                }

                if (ch is '-' or '_')
                {
                    hyphenParts++;
                }
            }

            if (i > partStart)
            {
                AddPart(text, partStart, i, output);
            }

            partStart = i + 1;
        }

        var added = output.Count - firstIndex;
        if (hyphenParts > 0 && added >= 2)
        {
            var joined = string.Concat(output.Skip(firstIndex).Select(w => w.Text));
            output.Add(new Word(joined, start, end, WordKind.Latin, Catenated: true));
        }
    }

    private static void AddPart(string text, int start, int end, List<Word> output)
    {
        var span = text.AsSpan(start, end - start);
        if (char.IsAsciiDigit(span[0]))
        {
            // number, optionally followed by a unit in letters
            var k = 0;
            while (k < span.Length && (char.IsAsciiDigit(span[k]) || span[k] is '.' or ','))
            {
                k++;
            }

            var number = NormalizeNumber(span[..k]);
            if (number.Length > 0)
            {
                output.Add(new Word(number, start, start + k, WordKind.Number));
            }

            if (k < span.Length)
            {
                AddPart(text, start + k, end, output);
            }

            return;
        }

        if (span.Length == 1)
        {
            return; // a lone letter ('s of possessives, initials) carries nothing
        }

        var lower = span.ToString().ToLowerInvariant();
        output.Add(new Word(EnglishStem(lower), start, end, WordKind.Latin));
    }

    private static string NormalizeNumber(ReadOnlySpan<char> s)
    {
        Span<char> buf = stackalloc char[s.Length];
        var n = 0;
        foreach (var ch in s)
        {
            if (ch != ',')
            {
                buf[n++] = ch;
            }
        }

        var t = buf[..n].TrimEnd('.');
        return t.ToString();
    }

    [ThreadStatic]
    private static Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer? _stemmer;

    /// <summary>
    /// The Snowball (Porter2) English stem of a lower-case word of letters only, at least four long ("stocks" → "stock",
    /// "struggling" → "struggl", "dominated" → "domin"); other words are returned as they are. Index, questions and the
    /// glossary all go through it, so any inflection of an English word meets the same term.
    /// </summary>
    internal static string EnglishStem(string w)
    {
        if (w.Length < 4)
        {
            return w;
        }

        foreach (var ch in w)
        {
            if (!char.IsAsciiLetterLower(ch))
            {
                return w;
            }
        }

        var stemmer = _stemmer ??= new Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer();
        stemmer.SetCurrent(w);
        stemmer.Stem();
        var stem = stemmer.Current;
        return stem.Length >= 2 ? stem : w;
    }

    private static string[] BuildSuffixes()
    {
        // Particles (조사), the plural 들 with particles, the copula and frequent verb/adjective endings.
        const string list = """
            은 는 이 가 을 를 의 에 도 만 와 과 로 랑 며 께 나 요 고 게 야
            에서 에게 한테 께서 으로 이나 이랑 라는 라고 이며 이고 에는 에도 로는 로도 와는 과는 까지 부터 보다 처럼 만큼 마저 조차 밖에 이란 란 이라
            에서는 에서도 에서의 으로는 으로도 으로의 에게는 에게도 까지는 까지도 부터는 보다는 처럼은 이라는 이라고 이라며 과의 와의 로의 에의 이자
            에서부터 으로부터 으로서 으로써 로서 로써
            들 들은 들이 들을 들의 들과 들도 들에 들에게 들로 들만 들이나 들처럼 들에서 들한테 들한테는 한테는 한테서 에게서는 들에게는
            이다 입니다 이었다 였다 이에요 예요 이야 인가 인가요 인데 인지 이죠 이고요 이었고 이었던 였던 일까 일까요
            하다 한다 했다 합니다 했습니다 하는 하고 하여 해서 하며 하면 했고 했던 했으며 했나 했나요 했어 했어요 했음 하나요 하죠 할 한 함 해
            된다 됐다 되는 되어 되었다 되었고 된 될 됨 됐나요 되나요 됐어 되고 되며 됩니다 되었습니다
            적 적인 적으로 적이 적은 적을 적의
            """;
        return list.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }
}
