using Bot.Core.Answers;
using Bot.Core.Commands;

namespace Bot.Core.Tests.Search;

/// <summary>Any user text is safe: never an exception, always a clear status.</summary>
public class UnsafeInputTests : IClassFixture<EngineFixture>
{
    private readonly QuestionHandler _handler;

    public UnsafeInputTests(EngineFixture fixture)
    {
        _handler = fixture.Handler;
    }

    [Theory]
    [InlineData("딥시크 AND OR NOT \"unbalanced")]
    [InlineData("title:(딥시크) +엔비디아 -구글 ~ ^2 [a TO z] {x} \\ / * ? :")]
    [InlineData("\"\"\"\"")]
    [InlineData("딥시크 😀🚀👩‍💻 이모지")]
    [InlineData("\u0000\u0001딥시크\u0007\u001b[31m")]
    [InlineData("DROP TABLE passages; --")]
    [InlineData("<script>alert(1)</script>")]
    public void Ask_Hostile_NoException(string question)
    {
        var answer = _handler.Ask(question, 3);
        Assert.True(Enum.IsDefined(answer.Status));
        Assert.True(answer.Status == AnswerStatus.Answered || answer.Decline is not null);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n ")]
    [InlineData("?!?!...")]
    [InlineData("\u0000\u0001")]
    public void Ask_EmptyOrPunctuation_EmptyWithMessage(string question)
    {
        var answer = _handler.Ask(question, 3);
        Assert.Equal(AnswerStatus.Empty, answer.Status);
        Assert.False(string.IsNullOrWhiteSpace(answer.Decline!.Message));
    }

    [Fact]
    public void Ask_TenThousandChars_TooLongWithClearMessage()
    {
        var answer = _handler.Ask(new string('딥', 10_000), 3);
        Assert.Equal(AnswerStatus.TooLong, answer.Status);
        Assert.Contains("10000", answer.Decline!.Message, StringComparison.Ordinal);
        Assert.True(answer.Question.Length <= 201);
    }

    [Fact]
    public void Ask_LongestAllowed_ManyWords_NoException()
    {
        var words = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"단어{i} word{i}"));
        var answer = _handler.Ask(words[..2000], 3);
        Assert.True(Enum.IsDefined(answer.Status));
    }

    [Fact]
    public void Ask_StopwordsOnly_NotFoundWithReason()
    {
        var answer = _handler.Ask("what is it?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Contains("no words", answer.Decline!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_RandomStrings_PropertyNeverThrows()
    {
        var rng = new Random(20261123);
        var alphabet = "딥시크엔비디아훈련비용가나다라 abcXYZ0123456789\"'()[]{}:^~*?\\/+-!&|<>@#\n\t\u0000\u200B😀".ToCharArray();
        for (var i = 0; i < 300; i++)
        {
            var len = rng.Next(0, 120);
            var chars = new char[len];
            for (var k = 0; k < len; k++)
            {
                // occasionally a lone surrogate or any BMP code unit
                chars[k] = rng.Next(10) == 0 ? (char)rng.Next(0, 0xFFFF) : alphabet[rng.Next(alphabet.Length)];
            }

            var q = new string(chars);
            var answer = _handler.Ask(q, 5);
            Assert.True(answer.Status == AnswerStatus.Answered || answer.Decline is not null, q);
            Assert.All(answer.Citations, c => Assert.InRange(c.Snippet.Text.Length, 1, 300));
        }
    }
}
