using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class PassageMatcherTests
{
    // "이득 보는" with the glossary phrase "수혜 기업": 수혜 is rare in the articles, 기업 everywhere.
    private static readonly QueryGroup Benefit = new("이득 보는", [QueryForm.OfWord("이득", false), new QueryForm("수혜 기업", ["수혜", "기업"], true)], false);

    private static double Weight(string term) => term == "수혜" ? 3.9 : 0.4;

    [Fact]
    public void PhraseMatchedOnlyByItsCommonWord_EarnsNothingWhenTermsAreWeighed()
    {
        const string text = "많은 기업이 AI를 도입했습니다.";
        Assert.Equal(0.5, new PassageMatcher([Benefit]).Match(text).Credit[0]); // by count: one of two terms
        Assert.Equal(0, new PassageMatcher([Benefit], Weight).Match(text).Credit[0]);
    }

    [Fact]
    public void PhraseMatchedByItsTellingWord_EarnsItsWeightedShare()
    {
        var match = new PassageMatcher([Benefit], Weight).Match("이번 사태의 최대 수혜자는 애플입니다.");
        Assert.Equal(3.9 / 4.3, match.Credit[0], 3);
        Assert.Equal(1, new PassageMatcher([Benefit], Weight).Match("- 수혜 기업\n- 애플").Credit[0]);
    }

    [Fact]
    public void OneWordForm_KeepsTheShareOfItsTermsPresent()
    {
        // A single word's bigrams are not weighed: 하이플라이어 spelt 하이-플라이어 lacks only the bigram 이플, heavy or not.
        var group = new QueryGroup("하이플라이어", [QueryForm.OfWord("하이플라이어", false)], false);
        var credit = new PassageMatcher([group], t => t == "이플" ? 100 : 1).Match("하이-플라이어(High-Flyer)").Credit[0];
        Assert.Equal(0.8, credit, 3);
    }

    [Theory]
    [InlineData("이번 사태의 최대 수혜자는 애플입니다.")]
    [InlineData("많은 기업이 AI를 도입했습니다.")]
    [InlineData("하이-플라이어(High-Flyer)의 수혜 기업")]
    [InlineData("")]
    public void Credit_IsWhatMatchGives_WithoutSpans(string text)
    {
        var groups = new[] { Benefit, new QueryGroup("하이플라이어", [QueryForm.OfWord("하이플라이어", false), QueryForm.OfWord("high", true)], false) };
        var matcher = new PassageMatcher(groups, Weight);
        var credit = new double[groups.Length];
        matcher.Match("전혀 다른 글: 수혜 기업 하이플라이어"); // a match before must not leak into the next
        matcher.Credit(text, credit);
        Assert.Equal(matcher.Match(text).Credit, credit);
    }
}
