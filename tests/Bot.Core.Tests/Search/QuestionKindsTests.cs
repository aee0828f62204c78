using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

/// <summary>The who and why features of the ranker (<see cref="QuestionCues.Kinds"/>).</summary>
public class QuestionKindsTests
{
    [Theory]
    [InlineData("딥시크 창업자 누구야?", true, false)]
    [InlineData("누가 H100 5만 개 얘기를 했어?", true, false)]
    [InlineData("Whose interview revealed the H100 stash?", true, false)]
    [InlineData("엔비디아 주가는 왜 떨어졌어?", false, true)]
    [InlineData("What was the reason Nvidia fell?", false, true)]
    [InlineData("딥시크 V3 훈련 비용은 얼마야?", false, false)]
    [InlineData("Whoever wins, what happens to Nvidia?", false, false)] // "whoever" is no who question
    public void AsksForPersonOrReason(string question, bool who, bool why)
    {
        Assert.Equal(who, QuestionCues.AsksForPerson(question));
        Assert.Equal(why, QuestionCues.AsksForReason(question));
    }

    [Fact]
    public void Kinds_ScoreTheKindOfAnswerOnlyForQuestionsThatAskIt()
    {
        const string person = "01.AI의 창업자이자 전 구글 차이나 CEO였던 리카이푸 대표는 이렇게 말했다.";
        const string reason = "미국의 수출 규제 때문에 딥시크는 구형 GPU를 썼다.";
        Assert.Equal((1.0, 0.0), QuestionCues.Kinds(true, false, person));
        Assert.Equal((-1.0, 0.0), QuestionCues.Kinds(true, false, reason));
        Assert.Equal((0.0, 1.0), QuestionCues.Kinds(false, true, reason));
        Assert.Equal((0.0, -1.0), QuestionCues.Kinds(false, true, "엔비디아 주가가 17% 폭락했다."));
        Assert.Equal((0.0, 0.0), QuestionCues.Kinds(false, false, person));
    }
}
