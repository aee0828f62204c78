using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

/// <summary>"Who else" questions: which questions ask for another person, which passages name one, and what the real engine
/// does when the passage that matches names only the people of the question (it declines, saying so) or someone else too.</summary>
public class OtherPeopleTests : IClassFixture<EngineFixture>
{
    private readonly QuestionHandler _handler;

    public OtherPeopleTests(EngineFixture fixture)
    {
        _handler = fixture.Handler;
    }

    [Theory]
    [InlineData("나델라 말고 또 누가 칭찬했어?", true)]
    [InlineData("그 회의에 다른 CEO들은 누가 왔어?", true)]
    [InlineData("Besides Nadella, who praised it?", true)]
    [InlineData("Who else attended the meeting?", true)]
    [InlineData("나델라는 누구야?", false)]
    [InlineData("Who founded DeepSeek?", false)]
    public void Asked_QuestionsForAnotherPerson(string question, bool asks) => Assert.Equal(asks, OtherPeople.Asked(question));

    [Theory]
    [InlineData("설립자 량원펑은 중국 리창 총리가 주최한 회의에 참석했습니다.", "량원펑,리창", false)]
    [InlineData("설립자 량원펑은 중국 리창 총리가 주최한 회의에 참석했습니다.", "량원펑", true)] // 리창 총리 is someone else
    [InlineData("- Perplexity AI CEO 아라빈드 스리니바스: \"가속했다.\"", "나델라", true)]
    [InlineData("⛔ Maina Zhang (시드니 공과대 교수)", "Maina Zhang", false)]
    [InlineData("출시일에 설립자 량원펑은 회의에 참석했습니다.", "량원펑", false)] // "출시일에" before a title is no name
    public void NamesAnother_APersonWithATitleOutsideTheQuestionsWords(string passage, string asked, bool another)
    {
        var spans = new List<MatchSpan>();
        foreach (var name in asked.Split(','))
        {
            var at = passage.IndexOf(name, StringComparison.Ordinal);
            spans.Add(new MatchSpan(at, at + name.Length, 0));
        }

        Assert.Equal(another, OtherPeople.NamesAnother(passage, spans));
    }

    [Fact]
    public void Ask_WhoElseWhereThePassageNamesNoOneElse_DeclinesAndSaysSo()
    {
        var ko = _handler.Ask("리창 총리 회의에 량원펑 말고 또 누가 갔어?", 3);
        Assert.Equal(AnswerStatus.NotFound, ko.Status);
        Assert.Equal(DeclineCause.NoOther, ko.Decline!.Cause);
        Assert.Contains("다른 사람", ko.Decline.Message, StringComparison.Ordinal);
        Assert.NotEmpty(ko.Citations); // the closest passages stay on offer
    }

    [Fact]
    public void Ask_WhoElseTheArticlesName_IsAnswered()
    {
        // the passage with Nadella's reaction also quotes Perplexity's CEO
        var (answer, result) = _handler.AskWithEvidence("Besides Satya Nadella, who else reacted to DeepSeek in the US?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.True(result!.Plan.AsksOther);
        Assert.Contains("스리니바스", answer.Best!.Snippet.Text, StringComparison.Ordinal);
    }
}
