using System.Text;

namespace Bot.Core.Search;

/// <summary>
/// General Korean vocabulary from the Korean Hunspell dictionary (hunspell-dict-ko, the <c>index.dic</c> of npm's
/// <c>dictionary-ko</c>), read for its word classes only: nouns, the stems of verbs and adjectives (entries written
/// with <c>-다</c>), and adverbs. The planner's candidate stems (<see cref="KoreanStems"/>) say how a word may be
/// conjugated; this says whether such a stem is a real Korean predicate, so a conjugated verb or adjective that no
/// article contains ("나쁜", "아님") weighs like one instead of like a missing noun. No affix rules are applied.
/// </summary>
public sealed class KoreanDictionary
{
    private readonly HashSet<string> _nouns;
    private readonly HashSet<string> _predicates;
    private readonly HashSet<string> _adverbs;
    private readonly HashSet<string> _forms;

    private KoreanDictionary(HashSet<string> nouns, HashSet<string> predicates, HashSet<string> adverbs, HashSet<string> forms)
    {
        _forms = forms;
        _nouns = nouns;
        _predicates = predicates;
        _adverbs = adverbs;
    }

    /// <summary>An empty dictionary: every question is read as without one.</summary>
    public static KoreanDictionary Empty { get; } = new([], [], [], []);

    public int Count => _nouns.Count + _predicates.Count + _adverbs.Count + _forms.Count;

    // Flag aliases of hunspell-dict-ko 0.7.x (AF lines of its .aff): nouns ending in a consonant or a vowel, adverbs and
    // interjections. Every other entry written with -다 is a verb or an adjective.
    private const string NounConsonant = "10";
    private const string NounVowel = "25";
    private const string Adverb = "67";
    private const string ConjugatedAdverbial = "2"; // 가감하여
    private const string ConjugatedAdnominal = "3"; // 가감한
    private const string ConjugatedFuture = "4"; // 가감할
    private const string Misspelling = "31"; // 깨끗히: a common misspelling the dictionary forbids

    /// <summary>Reads a Hunspell <c>.dic</c> (decomposed or composed Hangul; the first line is the entry count).</summary>
    public static KoreanDictionary Load(TextReader dic)
    {
        var nouns = new HashSet<string>(StringComparer.Ordinal);
        var predicates = new HashSet<string>(StringComparer.Ordinal);
        var adverbs = new HashSet<string>(StringComparer.Ordinal);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        for (var line = dic.ReadLine(); line is not null; line = dic.ReadLine())
        {
            if (first)
            {
                first = false;
                if (int.TryParse(line, out _))
                {
                    continue;
                }
            }

            var slash = line.IndexOf('/', StringComparison.Ordinal);
            var word = ComposeHangul((slash < 0 ? line : line[..slash]).Trim());
            var flags = slash < 0 ? "" : line[(slash + 1)..].Trim();
            if (word.Length == 0 || !KoreanWords.IsCjk(word[^1]))
            {
                continue;
            }

            if (flags == Adverb)
            {
                adverbs.Add(word);
            }
            else if (flags is ConjugatedAdverbial or ConjugatedAdnominal or ConjugatedFuture)
            {
                forms.Add(word);
            }
            else if (flags == Misspelling)
            {
                continue;
            }
            else if (word.Length >= 2 && word[^1] == '다' && flags.Length > 0 && flags is not (NounConsonant or NounVowel))
            {
                predicates.Add(word[..^1]);
            }
            else
            {
                nouns.Add(word); // nouns, pronouns, numerals, bound nouns, determiners
            }
        }

        return new KoreanDictionary(nouns, predicates, adverbs, forms);
    }

    /// <summary>
    /// Composes conjoining jamo (U+1100 leading, U+1161 vowel, U+11A8 trailing consonants, as the dictionary stores its
    /// entries) into Hangul syllables, like Unicode NFC for Hangul; here so that it works without ICU (invariant globalization).
    /// </summary>
    internal static string ComposeHangul(string s)
    {
        if (!s.Any(c => c is >= '\u1100' and <= '\u11FF'))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '\u1100' and <= '\u1112' && i + 1 < s.Length && s[i + 1] is >= '\u1161' and <= '\u1175')
            {
                var syllable = 0xAC00 + ((((c - 0x1100) * 21) + (s[i + 1] - 0x1161)) * 28);
                i++;
                if (i + 1 < s.Length && s[i + 1] is >= '\u11A8' and <= '\u11C2')
                {
                    syllable += s[i + 1] - 0x11A7;
                    i++;
                }

                sb.Append((char)syllable);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static KoreanDictionary Load(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Load(reader);
    }

    /// <summary>Where the build puts the dictionary, beside the assemblies (fetched from npm; see Bot.Core.csproj).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "ko-dictionary", "index.dic");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<(KoreanDictionary Dictionary, string? Problem)>> Loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// The dictionary at <paramref name="path"/> (or <see cref="DefaultPath"/>), read once per process, or
    /// <see cref="Empty"/> with the reason when it is missing or does not read as the expected version (its flag numbers
    /// are that version's: a file whose well-known words do not classify as they should is not used).
    /// </summary>
    public static (KoreanDictionary Dictionary, string? Problem) Shared(string? path = null)
    {
        path = string.IsNullOrWhiteSpace(path) ? DefaultPath : Path.GetFullPath(path);
        return Loaded.GetOrAdd(path, p => new Lazy<(KoreanDictionary, string?)>(() => TryLoad(p))).Value;
    }

    private static (KoreanDictionary, string?) TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return (Empty, $"no Korean dictionary at {path} (the build fetches npm's dictionary-ko; without it, absent words are judged without a dictionary)");
        }

        try
        {
            var d = Load(path);
            return d.IsNoun("사람") && d.IsPredicateStem("먹") && d.IsPredicateStem("나쁘") && !d.IsNoun("나쁘")
                ? (d, null)
                : (Empty, $"the Korean dictionary at {path} is not hunspell-dict-ko 0.7.9x as expected; not used");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (Empty, $"the Korean dictionary at {path} could not be read: {e.Message}");
        }
    }

    public bool IsNoun(string word) => _nouns.Contains(word);

    /// <summary>Whether <paramref name="stem"/> is the stem of a verb or adjective ("나쁘" of 나쁘다).</summary>
    public bool IsPredicateStem(string stem) => _predicates.Contains(stem);

    /// <summary>
    /// Whether <paramref name="word"/>, as written in a question, reads as a conjugated verb or adjective or an adverb
    /// and not as a noun: it is not a dictionary noun (itself or without a particle), and it is an adverb or one of its
    /// candidate stems is a verb or adjective ("나쁜" → 나쁘, "아님" → 아니).
    /// </summary>
    public bool IsPredicateForm(string word)
    {
        if (word.Length == 0 || _nouns.Contains(word) || _nouns.Contains(word[..KoreanWords.StemLength(word)]))
        {
            return false;
        }

        if (_adverbs.Contains(word) || _predicates.Contains(word) || _forms.Contains(word))
        {
            return true;
        }

        foreach (var stem in KoreanStems.Candidates(word))
        {
            if (_predicates.Contains(stem))
            {
                return true;
            }
        }

        // A question ending after an adnominal ("비슷한가", "큰지") and the honorific 으시 ("높으신") hide the stem from the
        // candidates; an adverb of negation before a verb written together ("못사").
        if (word.Length >= 3 && word[^1] is '가' or '지' or '나' && IsPredicateForm(word[..^1]))
        {
            return true;
        }

        var honorific = word.IndexOf("으시", StringComparison.Ordinal);
        honorific = honorific < 0 ? word.IndexOf("으신", StringComparison.Ordinal) : honorific;
        if (honorific > 0 && _predicates.Contains(word[..honorific]))
        {
            return true;
        }

        if (word.Length >= 2 && word[0] is '못' or '안' && IsPredicateForm(word[1..]))
        {
            return true;
        }

        // A word said twice is an ideophone, an adverb of sound or manner ("꽁꽁", "팍팍", "반짝반짝"), unless what is said
        // twice is a noun ("집집", "곳곳").
        if (((word.Length == 2 && word[0] == word[1]) || (word.Length == 4 && word[0] == word[2] && word[1] == word[3]))
            && !_nouns.Contains(word[..(word.Length / 2)]))
        {
            return true;
        }

        // A passive or causative stem ("꼽힌": 꼽히 of 꼽다), and two verbs joined by the connective -어/-아 ("얻어맞",
        // "걸어잠그"), which the dictionary lists by their parts.
        foreach (var stem in KoreanStems.Candidates(word))
        {
            if (stem.Length >= 2 && stem[^1] is '히' or '리' or '기' or '이' && _predicates.Contains(stem[..^1]))
            {
                return true;
            }
        }

        return IsCompoundVerb(word);
    }

    /// <summary>
    /// Two verbs joined by the connective -어/-아 ("얻어맞", "걸어잠그", and with 르 contracted, "굴러가": 구르 + 가), which
    /// the dictionary lists by their parts. No noun is written so, so the word is a verb even where a particle-like ending
    /// follows it ("얻어맞은 종목은", "굴러가는").
    /// </summary>
    public bool IsCompoundVerb(string word)
    {
        if (word.Length < 3 || _nouns.Contains(word))
        {
            return false;
        }

        for (var i = 2; i < word.Length; i++)
        {
            var connective = word[i - 1];
            if (connective is '어' or '아' or '여' && _predicates.Contains(word[..(i - 1)]) && IsVerbPart(word[i..]))
            {
                return true;
            }

            // 르 before -어/-아 gives ㄹ러/ㄹ라: 구르 + 어 → 굴러, 모르 + 아 → 몰라
            if (connective is '러' or '라' && KoreanStems.WithoutFinalRieul(word[i - 2]) is { } open
                && _predicates.Contains(string.Concat(word.AsSpan(0, i - 2), [open, '르'])) && IsVerbPart(word[i..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The second verb of a compound: a stem ("가", which alone is also the noun 가) or a conjugated form.</summary>
    private bool IsVerbPart(string rest) => _predicates.Contains(rest) || IsPredicateForm(rest);

    /// <summary>
    /// Whether the analysis cut a verb short: <paramref name="whole"/>, the word as written, is a conjugated verb or
    /// adjective whose stem runs past <paramref name="stem"/>, the part the analysis kept ("모자란" is 모자라다, not the noun
    /// 모자 with the particle 란). A noun with a light verb ("졸업했나요": 졸업 + 하다) is not: its noun is the content.
    /// </summary>
    public bool ExtendsToPredicate(string stem, string whole)
    {
        if (stem.Length == 0 || whole.Length <= stem.Length || !whole.StartsWith(stem, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var candidate in KoreanStems.Candidates(whole))
        {
            if (candidate.Length > stem.Length && candidate.StartsWith(stem, StringComparison.Ordinal) && _predicates.Contains(candidate)
                && candidate[stem.Length] is not ('하' or '되' or '시' or '당' or '받'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="word"/> reads as Korean that the dictionary or the articles know, possibly several words
    /// written together: it splits into pieces each of which is a dictionary word of two syllables or more (noun,
    /// pronoun, adverb), a part that <paramref name="alsoKnown"/> knows (the articles' words, the glossary's; not the
    /// whole word, which the caller knows is in no article), one of a few one-syllable words (뭐, 왜, 좀, 수, 것), a
    /// conjugated verb or adjective, or particles and suffixes after a word (들, 님, 끼리, 쯤): "실력차", "누구나활용",
    /// "정부는딥시크", "뭐라고표현했어". At least one piece must be such a word or a verb the dictionary knows: pieces that
    /// only end like verbs do not make a word ("쿠버네" + "티스에"). A word that does not split so is mostly a name or a
    /// foreign word ("젠슨", "텐센트", "가이던스").
    /// </summary>
    public bool Knows(string word, Func<string, bool>? alsoKnown = null)
    {
        var n = word.Length;
        if (n == 0 || n > MaxKnowsLength)
        {
            return true;
        }

        // reach[i]: word[..i] splits into pieces; afterWord[i]: and its last piece is a word (particles may follow).
        var reach = new bool[n + 1];
        var afterWord = new bool[n + 1];
        var afterParticle = new bool[n + 1];
        // vouched[i]: word[..i] splits so that some piece is a word the dictionary or the articles know; a word whose
        // every piece only ends like a verb ("쿠버네" + "티스에") or is a particle is not known.
        var vouched = new bool[n + 1];
        var nounFirst = false; // a one-syllable noun opens the word: particles must follow it
        reach[0] = true;
        for (var i = 0; i < n; i++)
        {
            if (i == 1 && !reach[1] && _nouns.Contains(word[..1]))
            {
                nounFirst = true;
            }
            else if (!reach[i])
            {
                continue;
            }

            for (var j = i + 1; j <= n; j++)
            {
                var piece = word[i..j];
                var particles = KoreanWords.IsSuffixChain(piece) || NounSuffixes.Contains(piece);
                if (i == 1 && nounFirst && !reach[1])
                {
                    // A one-syllable noun first in the word only with particles after it ("급이", "년쯤", "점을무엇"), and
                    // last only after particles ("미국이칩"): anywhere, such nouns would split almost any name.
                    if (particles)
                    {
                        reach[j] = afterParticle[j] = vouched[j] = true;
                    }

                    continue;
                }

                var isWord = piece.Length >= 2
                    ? _nouns.Contains(piece) || _adverbs.Contains(piece) || (piece.Length < n && (alsoKnown?.Invoke(piece) ?? false))
                    : OneSyllableWords.Contains(piece[0]) || (j == n && afterParticle[i] && _nouns.Contains(piece));
                // Particles after a word, or first in the run (it followed a Latin word: "GPU가몇").
                if (particles && (afterWord[i] || i == 0))
                {
                    reach[j] = afterParticle[j] = true;
                    vouched[j] |= vouched[i];
                }

                // A conjugated verb or adjective; by its ending alone only inside the word, as the planner has judged the
                // whole word by its ending already.
                var verb = piece.Length >= 2 || i == 0 || j == n;
                var known = isWord || (verb && (IsPredicateForm(piece) || EndsAsVerb(piece)));
                if (known || (verb && (i > 0 || j < n) && LooksConjugated(piece)))
                {
                    reach[j] = afterWord[j] = true;
                    vouched[j] |= known || vouched[i];
                }
            }
        }

        return vouched[n];
    }

    private const int MaxKnowsLength = 16;

    /// <summary>One-syllable words that questions run into their neighbours: question words, fillers, bound nouns.</summary>
    private static readonly HashSet<char> OneSyllableWords =
    [
        '뭐', '뭘', '왜', '더', '좀', '몇', '총', '그', '이', '저', '잘', '또', '꼭', '안', '못', '수', '것', '거', '꺼', '걸', '데', '줄', '듯', '때', '뿐', '게', '건', '돈', '말', '글',
    ];

    /// <summary>Suffixes of nouns that the particle list does not hold.</summary>
    private static readonly HashSet<string> NounSuffixes = new(StringComparer.Ordinal)
    {
        "들", "님", "끼리", "쯤", "어치", "씩", "짜리", "급", "차", "액", "비", "용", "별", "상", "적", "화", "성", "식", "분", "님들", "임", "이",
        "속", "중", "후", "전", "간", "내", "외", "라", "라고", "란", "한텐", "한테", "에선", "엔", "땐", "덴",
    };

    /// <summary>A past stem (a syllable closed by ㅆ) or a light verb (하, 되) followed only by endings: "왔더라", "했단", "되었나".</summary>
    private static bool EndsAsVerb(string w)
    {
        for (var k = 0; k < w.Length; k++)
        {
            if ((KoreanStems.EndsInPastStem(w[..(k + 1)]) || (k == 0 && w[0] is '하' or '되' or '한' or '할' or '해' or '돼' or '된' or '될'))
                && w[(k + 1)..].All(c => VerbEndingSyllables.Contains(c) || KoreanStems.IsInflection(c.ToString())))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Ends like a verb or adjective form (<see cref="KoreanWords.IsPredicateLike"/>: "붙으면", "드는", "두고").</summary>
    private static bool LooksConjugated(string piece) => KoreanWords.IsPredicateLike(new Word(piece, 0, piece.Length, WordKind.Hangul)) && piece.Length >= 2;

    private static readonly HashSet<char> VerbEndingSyllables = ['더', '라', '단', '가', '나', '던', '데', '어', '냐', '니'];
}
