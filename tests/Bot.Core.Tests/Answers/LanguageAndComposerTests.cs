using Bot.Core.Answers;

namespace Bot.Core.Tests.Answers;

public class LanguageAndComposerTests
{
    [Theory]
    [InlineData("딥시크 비용", Language.Korean)]
    [InlineData("How much did it cost?", Language.English)]
    [InlineData("H800 몇 개?", Language.Korean)]
    [InlineData("???", Language.Korean)]
    public void Detect_FollowsTheUser(string text, Language expected) => Assert.Equal(expected, LanguageDetector.Detect(text));

    [Fact]
    public void Normalize_StripsControlAndCollapsesSpace() =>
        Assert.Equal("a b c", AnswerComposer.Normalize("\u0000 a\t\n b \u200B c  "));

    [Fact]
    public void UiText_CitationLine_BothLanguages()
    {
        var c = new Citation("d", "제목", 3, 1, new Snippet("x", [], false, false), []);
        Assert.Equal("제목, 3번째 단락", UiText.Korean.CitationLine(c));
        Assert.Equal("제목, passage 3", UiText.English.CitationLine(c));
    }
}
