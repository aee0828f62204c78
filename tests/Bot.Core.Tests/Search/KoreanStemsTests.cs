using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class KoreanStemsTests
{
    [Theory]
    [InlineData("끝난", "끝나")]
    [InlineData("끝났", "끝나")]
    [InlineData("빠졌", "빠지")]
    [InlineData("받아들여", "받아들이")]
    [InlineData("풀어버린", "풀어버리")]
    [InlineData("풀어버린", "풀")]
    [InlineData("싸지면", "싸")]
    [InlineData("바꿨", "바꾸")]
    [InlineData("아끼고", "아끼")]
    [InlineData("쏴", "쏘")]
    [InlineData("판이", "판")]
    [InlineData("돈이", "돈")]
    [InlineData("파느라", "팔")] // the ㄹ of a stem drops before 느, ㄴ and 니
    [InlineData("만드느라", "만들")]
    [InlineData("판", "팔")]
    [InlineData("사는", "살")]
    public void Candidates_UndoConjugation(string word, string stem) => Assert.Contains(stem, KoreanStems.Candidates(word));

    [Fact]
    public void Candidates_LongestFirst_WordItselfAndLightVerbsExcluded()
    {
        var candidates = KoreanStems.Candidates("풀어버린");
        Assert.DoesNotContain("풀어버린", candidates);
        Assert.Equal(candidates.OrderByDescending(c => c.Length), candidates);
        Assert.Equal("풀어버리", candidates[0]);
        Assert.DoesNotContain("하", KoreanStems.Candidates("했어"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("gpu")]
    [InlineData("2048")]
    public void Candidates_NotHangul_None(string word) => Assert.Empty(KoreanStems.Candidates(word));

    [Theory]
    [InlineData("훈련했다는거", true)]
    [InlineData("바꿨길래", true)]
    [InlineData("무서웠던거임", true)]
    [InlineData("갖고잇다는거", true)] // ㅆ typed as ㅅ before -다
    [InlineData("바꿧길래", true)]
    [InlineData("했", false)] // ends in the stem: EndsInPastStem's case
    [InlineData("것도", false)] // a noun closed by ㅅ before a particle
    [InlineData("햇빛", false)]
    [InlineData("훈련", false)]
    public void HasPastStemInside_ReadsAConjugatedVerbWhateverItEndsIn(string word, bool expected) =>
        Assert.Equal(expected, KoreanStems.HasPastStemInside(word));

    [Theory]
    [InlineData("이득보는거", true)]
    [InlineData("손해보는거야", true)]
    [InlineData("나온거임", true)]
    [InlineData("근거", false)] // nouns in ㄴ + 거 have two syllables
    [InlineData("대통령선거", false)] // 선 ends no verb's adnominal
    [InlineData("보는거보다", false)] // something other than the copula after 거
    public void EndsInNominalisedVerb_ReadsTheClauseWithTheBoundNoun(string word, bool expected) =>
        Assert.Equal(expected, KoreanStems.EndsInNominalisedVerb(word));
}

public class WordPresenceTests
{
    private static readonly string[] Vocabulary = ["deepseek", "distil", "nvidia", "openai", "nvda", "offici", "liken"];

    [Theory]
    [InlineData("dpseek", "deepseek")] // two edits, six letters
    [InlineData("nvidai", "nvidia")] // a swap
    [InlineData("opnai", "openai")]
    [InlineData("deepseek", null)] // known: nothing to repair
    [InlineData("bitcoin", null)]
    [InlineData("nvd", null)] // too short to guess
    [InlineData("offic", null)] // "office" stemmed: one letter short of "official" stemmed, another word, not a typo
    [InlineData("officiat", null)] // longer at the end only
    [InlineData("ofici", "offici")] // a letter dropped inside is a typo
    [InlineData("licens", null)] // "license" stemmed is two edits from "liken" but longer: another word, not a typo
    [InlineData("likn", "liken")]
    public void NearestKnown_OneOrTwoEditsFromOneGlossaryWord(string word, string? expected) =>
        Assert.Equal(expected, Bot.Core.Search.WordPresence.NearestKnown(word, Vocabulary));
}
