using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

/// <summary>"When" questions: which questions ask for a date, and what the real engine does when the passage that matches
/// one gives none (it declines, saying so) or gives one (it answers).</summary>
public class DateQuestionsTests : IClassFixture<EngineFixture>
{
    private readonly QuestionHandler _handler;

    public DateQuestionsTests(EngineFixture fixture)
    {
        _handler = fixture.Handler;
    }

    [Theory]
    [InlineData("딥시크는 언제 세워졌어?", true)]
    [InlineData("출시 날짜가 궁금해", true)]
    [InlineData("몇 년도에 나왔어?", true)]
    [InlineData("When was R1 released?", true)]
    [InlineData("Who noticed it, and when was that?", true)]
    [InlineData("What year did the ban start?", true)]
    [InlineData("오픈AI o1 출시일?", true)] // a noun of the day something happened
    [InlineData("하이플라이어 설립 연도는?", true)]
    [InlineData("What's the release date of R2?", true)]
    [InlineData("출시 일정 나왔어?", false)] // 일정 (schedule) is no 일 (day)
    [InlineData("How did they train even when GPUs were short?", false)] // "when" as a conjunction
    [InlineData("When US officials hinted at measures, what case did they point to?", false)] // a when-clause, then what
    [InlineData("When they hinted at it, when was that?", true)]
    [InlineData("몇 년간 지켜봐 왔어?", false)] // a duration
    [InlineData("량원펑은 몇 년생이야?", false)] // an age: the counting rule checks it
    public void AsksForDate_QuestionWordsOfTime(string question, bool asks) => Assert.Equal(asks, QuestionCues.AsksForDate(question));

    [Fact]
    public void Ask_WhenOfSomethingTheArticlesDoNotDate_DeclinesAndSaysSo()
    {
        // The articles name 리카이푸 as 01.AI's founder but never say when he founded it.
        var ko = _handler.Ask("리카이푸는 언제 01.AI를 창업했어?", 3);
        Assert.Equal(AnswerStatus.NotFound, ko.Status);
        Assert.Equal(DeclineCause.NoDate, ko.Decline!.Cause);
        Assert.Contains("날짜", ko.Decline.Message, StringComparison.Ordinal);
        Assert.NotEmpty(ko.Citations); // the closest passages stay on offer
    }

    [Fact]
    public void Ask_WhenTheArticlesDate_IsAnswered()
    {
        var crash = _handler.Ask("엔비디아 주가가 폭락한 날은 언제야?", 3);
        Assert.Equal(AnswerStatus.Answered, crash.Status);
        Assert.Contains("27일", crash.Best!.Snippet.Text, StringComparison.Ordinal);
        Assert.Equal(AnswerStatus.Answered, _handler.Ask("When did Microsoft notice the suspicious API use?", 3).Status);
    }
}
