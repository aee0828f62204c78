using Bot.Core.Conversations;

namespace Bot.Core.Tests.Conversations;

/// <summary>Elliptical or complete, and what carries over, with the real planner (glossary and lexicon over the real index).</summary>
public class FollowUpResolverTests : IClassFixture<EngineFixture>
{
    private readonly FollowUpResolver _resolver;

    public FollowUpResolverTests(EngineFixture fixture)
    {
        _resolver = new FollowUpResolver(fixture.Engine.Planner);
    }

    [Theory]
    [InlineData("그럼 R1은?")] // continuation
    [InlineData("what about the cost?")]
    [InlineData("And R1?")]
    [InlineData("몇 개?")] // no content word of its own
    [InlineData("언제?")]
    [InlineData("비용은?")] // one word, no predicate
    [InlineData("그게 왜 중요해?")] // demonstrative
    [InlineData("Who claimed it?")]
    public void IsElliptical_LeansOnTheEarlierQuestion_True(string message) => Assert.True(_resolver.IsElliptical(message));

    [Theory]
    [InlineData("딥시크 V3 훈련 비용은 얼마야?")]
    [InlineData("How many GPUs did DeepSeek use to train V3?")]
    [InlineData("엔비디아 주가는 하루에 얼마나 떨어졌어?")]
    [InlineData("R1은 언제 나왔어?")]
    public void IsElliptical_CompleteQuestion_False(string message) => Assert.False(_resolver.IsElliptical(message));

    [Fact]
    public void Resolve_CompleteFollowUp_StandsAlone()
    {
        var r = _resolver.Resolve("딥시크 V3 훈련 비용은 얼마야?", "엔비디아 주가는 하루에 얼마나 떨어졌어?");
        Assert.False(r.Elliptical);
        Assert.Equal("엔비디아 주가는 하루에 얼마나 떨어졌어?", r.Query);
        Assert.Empty(r.Carried);
    }

    [Fact]
    public void Resolve_NewModelCode_ReplacesTheEarlierOne_TopicCarried_OwnWordsFirst()
    {
        var r = _resolver.Resolve("딥시크 V3 훈련 비용은 얼마야?", "그럼 R1은?");

        Assert.True(r.Elliptical);
        Assert.StartsWith("그럼 R1은?", r.Query, StringComparison.Ordinal);
        Assert.Contains("딥시크", r.Carried);
        Assert.Contains("훈련", r.Carried);
        Assert.Contains(r.Carried, c => c.Contains("비용", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Carried, c => c.Contains("v3", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Resolve_NoContentWord_EverythingCarried_CueOfItsOwnKept()
    {
        var r = _resolver.Resolve("DeepSeek-V3 훈련에 쓴 GPU는 뭐야?", "몇 개?");

        Assert.StartsWith("몇 개?", r.Query, StringComparison.Ordinal);
        Assert.Contains(r.Carried, c => c.Contains("gpu", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(r.Carried, c => c.Contains("v3", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("훈련", r.Carried);
    }

    [Fact]
    public void Resolve_EnglishOwnContentWord_ReplacesTheEarlierFocus()
    {
        var r = _resolver.Resolve("How many GPUs did DeepSeek use to train V3?", "what about the cost?");

        Assert.True(r.Elliptical);
        Assert.DoesNotContain(r.Carried, c => c.Contains("gpu", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(r.Carried, c => c.Contains("deepseek", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("how much", r.Carried); // it asks about something new: the earlier "how many" does not carry
    }

    [Fact]
    public void Resolve_AmountCueCarried_WhenTheFollowUpOnlyNamesAnotherModel()
    {
        var r = _resolver.Resolve("How much did it cost to train DeepSeek-V3?", "What about R1?");
        Assert.Contains("how much", r.Carried);
        Assert.DoesNotContain(r.Carried, c => c.Contains("v3", StringComparison.OrdinalIgnoreCase));
    }
}
