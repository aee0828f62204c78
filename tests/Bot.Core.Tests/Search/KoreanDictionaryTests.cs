using System.Text;
using Bot.Core.Search;
using Bot.TestSupport;

namespace Bot.Core.Tests.Search;

/// <summary>The dictionary's reading and its word judgements, on a small dictionary written like hunspell-dict-ko's.</summary>
public class KoreanDictionaryTests
{
    // Entries as hunspell-dict-ko stores them: decomposed jamo, "word/flag"; the first line is the entry count.
    private static readonly KoreanDictionary Small = KoreanDictionary.Load(new StringReader(string.Join('\n',
        "9",
        Jamo("사람") + "/10", // noun ending in a consonant
        Jamo("나무") + "/25", // noun ending in a vowel
        Jamo("나쁘다") + "/49", // adjective
        Jamo("먹다") + "/49", // verb
        Jamo("빨리") + "/67", // adverb
        Jamo("가감한") + "/3", // a conjugated form listed whole
        Jamo("깨끗히") + "/31", // a misspelling the dictionary forbids
        Jamo("모자") + "/25", // noun (hat)
        Jamo("모자라다") + "/49", // verb (to be short), which starts with that noun
        Jamo("졸업") + "/10",
        Jamo("졸업하다") + "/49", // a noun with the light verb 하다
        "기다/10", // a noun that ends in 다, composed: still a noun
        "ABC/10")));

    /// <summary>Decomposes Hangul syllables into conjoining jamo (leading, vowel, trailing), as the .dic file has them.</summary>
    private static string Jamo(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s)
        {
            var i = c - 0xAC00;
            sb.Append((char)(0x1100 + (i / 588))).Append((char)(0x1161 + (i % 588 / 28)));
            if (i % 28 > 0)
            {
                sb.Append((char)(0x11A7 + (i % 28)));
            }
        }

        return sb.ToString();
    }

    [Fact]
    public void Load_ComposesJamo_AndSortsEntriesByTheirFlag()
    {
        Assert.True(Small.IsNoun("사람"));
        Assert.True(Small.IsNoun("나무"));
        Assert.True(Small.IsNoun("기다"));
        Assert.True(Small.IsPredicateStem("나쁘"));
        Assert.True(Small.IsPredicateStem("먹"));
        Assert.False(Small.IsNoun("나쁘다"));
        Assert.False(Small.IsNoun("빨리")); // an adverb, not a noun
        Assert.False(Small.IsNoun("깨끗히")); // misspellings are dropped
        Assert.False(Small.IsNoun("ABC")); // not Korean
        Assert.Equal("사람", KoreanDictionary.ComposeHangul(Jamo("사람")));
    }

    [Theory]
    [InlineData("나쁜")] // adnominal of 나쁘다
    [InlineData("먹었는데")]
    [InlineData("빨리")] // adverb
    [InlineData("가감한")] // listed conjugated form
    [InlineData("나쁜가")] // question ending after an adnominal
    [InlineData("안먹어")] // negation written together with the verb
    [InlineData("먹힌")] // the passive stem 먹히 of 먹다
    [InlineData("먹어나쁜")] // two verbs joined by -어 (as in 얻어맞은)
    [InlineData("꽁꽁")] // an ideophone: a word said twice
    [InlineData("반짝반짝")]
    public void IsPredicateForm_ConjugatedVerbsAndAdverbs(string word) => Assert.True(Small.IsPredicateForm(word));

    [Theory]
    [InlineData("사람")]
    [InlineData("사람은")] // a noun with its particle
    [InlineData("텐센트")]
    [InlineData("사람사람")] // a noun said twice is no ideophone
    [InlineData("")]
    public void IsPredicateForm_NotNounsOrUnknownWords(string word) => Assert.False(Small.IsPredicateForm(word));

    [Theory]
    [InlineData("사람나무")] // two nouns written together
    [InlineData("사람들")] // a noun suffix
    [InlineData("나무는빨리")] // noun, particle, adverb
    [InlineData("뭐라고먹었어")] // question word, then a verb the dictionary knows
    public void Knows_WordsWrittenTogether(string word) => Assert.True(Small.Knows(word));

    [Theory]
    [InlineData("젠슨")] // a name
    [InlineData("젠슨나무")] // a name before a known noun: the name is still no word
    [InlineData("쿠버네티스에")] // splits only into pieces that end like verbs (쿠버네 + 티스에): no piece is a known word
    [InlineData("들은")] // particles alone
    public void Knows_NotNamesOrForeignWords(string word) => Assert.False(Small.Knows(word));

    [Fact]
    public void Knows_ThePartsTheArticlesKnow_ButNeverTheWholeWordThroughThem()
    {
        static bool Articles(string piece) => piece == "딥시크";
        Assert.True(Small.Knows("딥시크는", Articles));
        Assert.True(Small.Knows("사람딥시크", Articles));
        Assert.False(Small.Knows("딥시크", Articles)); // the caller asks because the whole word is in no article
        Assert.False(Small.Knows("딥시크는"));
    }

    [Theory]
    [InlineData("모자", "모자란", true)] // 모자라다, not 모자 + the particle 란
    [InlineData("모자", "모자라서", true)]
    [InlineData("사람", "사람은", false)] // a noun with its particle
    [InlineData("졸업", "졸업했나요", false)] // a noun with a light verb: the noun is what is asked about
    [InlineData("모자", "모자", false)]
    public void ExtendsToPredicate_AVerbTheAnalysisCutShort(string stem, string whole, bool expected) =>
        Assert.Equal(expected, Small.ExtendsToPredicate(stem, whole));

    [Fact]
    public void Empty_KnowsEveryWordAndNoPredicate()
    {
        Assert.Equal(0, KoreanDictionary.Empty.Count);
        Assert.False(KoreanDictionary.Empty.IsPredicateForm("나쁜"));
    }

    [Fact]
    public void Shared_MissingOrUnexpectedFile_IsEmptyWithTheReason()
    {
        using var tmp = RepoPaths.NewTempDir("ko-dic");
        var (missing, why) = KoreanDictionary.Shared(Path.Combine(tmp.Path, "none.dic"));
        Assert.Same(KoreanDictionary.Empty, missing);
        Assert.Contains("no Korean dictionary", why);

        // a dictionary whose flags do not mean what hunspell-dict-ko 0.7.9x's do (here: every entry an adverb)
        var other = Path.Combine(tmp.Path, "other.dic");
        File.WriteAllText(other, "3\n사람/67\n먹다/67\n나쁘다/67\n");
        var (unexpected, reason) = KoreanDictionary.Shared(other);
        Assert.Same(KoreanDictionary.Empty, unexpected);
        Assert.Contains("not used", reason);
    }

    /// <summary>The real dictionary the build fetches from npm (dictionary-ko 2.0.0); skipped where the build could not.</summary>
    [SkippableFact]
    public void TheFetchedDictionary_LoadsAndJudgesCommonWords()
    {
        Skip.IfNot(File.Exists(KoreanDictionary.DefaultPath), $"no {KoreanDictionary.DefaultPath}: the build could not fetch npm's dictionary-ko (npm missing or the registry unreachable)");
        var (d, problem) = KoreanDictionary.Shared();
        Assert.Null(problem);
        Assert.True(d.Count > 100_000, $"{d.Count} entries");
        Assert.True(d.IsPredicateForm("나쁜"));
        Assert.True(d.IsPredicateForm("끝났어"));
        Assert.True(d.IsPredicateForm("꼽힌")); // passive of 꼽다
        Assert.True(d.IsPredicateForm("얻어맞")); // 얻다 + 맞다
        Assert.True(d.IsCompoundVerb("굴러가")); // 구르다 + 가다, 르 contracted; 가 alone is also a noun
        Assert.True(d.IsCompoundVerb("걸어잠그"));
        Assert.False(d.IsCompoundVerb("사람들"));
        Assert.False(d.IsCompoundVerb("아가씨"));
        Assert.False(d.IsPredicateForm("사람"));
        Assert.True(d.Knows("실력차"));
        Assert.True(d.Knows("누구나활용"));
        Assert.False(d.Knows("텐센트"));
        Assert.False(d.Knows("쿠버네티스에"));
    }
}
