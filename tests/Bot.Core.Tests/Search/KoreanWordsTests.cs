using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class KoreanWordsTests
{
    private static string[] Words(string text) => KoreanWords.Split(text).Select(w => w.Text).ToArray();

    [Theory]
    [InlineData("딥시크가", "딥시크")]
    [InlineData("딥시크의", "딥시크")]
    [InlineData("기업들은", "기업")]
    [InlineData("절감했나요", "절감")]
    [InlineData("혁신적인", "혁신")]
    [InlineData("에서", "에서")] // two syllables are never stripped
    [InlineData("국가", "국가")]
    public void Split_HangulParticlesStripped(string input, string expected) => Assert.Equal([expected], Words(input));

    [Fact]
    public void Split_ScriptBoundariesAndNumbers()
    {
        Assert.Equal(["h800", "칩"], Words("H800칩"));
        Assert.Equal(["오픈", "ai"], Words("오픈AI"));
        Assert.Equal(["2048", "개"], Words("2,048개"));
        Assert.Equal(["557.6", "만", "달러"], Words("557.6만 달러"));
        Assert.Equal(["2788", "시간"], Words("2,788K 시간")); // a lone letter is dropped
        Assert.Equal(["90"], Words("90%"));
    }

    [Fact]
    public void Split_HyphenatedLatin_PartsAndJoined()
    {
        var words = KoreanWords.Split("R1-zero");
        Assert.Equal(["r1", "zero", "r1zero"], words.Select(w => w.Text));
        Assert.True(words[2].Catenated);
        Assert.Equal(["r1zero"], Words("r1zero"));
    }

    [Fact]
    public void Split_EnglishStemmedAndPossessive()
    {
        // Snowball English stems: every inflection of a word meets the same term
        Assert.Equal(["microsoft", "stock", "compani"], Words("Microsoft's stocks companies"));
        Assert.Equal(Words("company struggled dominating"), Words("companies struggling dominated"));
    }

    [Fact]
    public void Split_OffsetsPointIntoOriginal()
    {
        const string text = "엔비디아(NVDA)의 주가가 17% 폭락";
        foreach (var w in KoreanWords.Split(text))
        {
            var surface = text[w.Start..w.End];
            Assert.Equal(w.Text, w.Kind == WordKind.Hangul ? surface : surface.Replace(",", "", StringComparison.Ordinal).ToLowerInvariant());
        }
    }

    [Theory]
    [InlineData("뜨면", true)]
    [InlineData("막았는데", true)]
    [InlineData("칩", true)]
    [InlineData("본사", false)]
    [InlineData("스푸트니크", false)]
    [InlineData("빠졌었더라", true)] // the recollective -더라
    [InlineData("인프라", false)] // 라 alone ends nouns too
    public void IsPredicateLike_Heuristic(string word, bool expected) =>
        Assert.Equal(expected, KoreanWords.IsPredicateLike(new Word(word, 0, word.Length, WordKind.Hangul)));
}

public class KoreanWordsCounterTests
{
    [Theory]
    [InlineData("2048개만으로", new[] { "2048", "개" })]
    [InlineData("2025년에", new[] { "2025", "년" })]
    [InlineData("3개월", new[] { "3", "개월" })]
    [InlineData("H800을", new[] { "h800" })]
    public void Split_CountersAndGluedParticles(string input, string[] expected) =>
        Assert.Equal(expected, KoreanWords.Split(input).Select(w => w.Text));
}
