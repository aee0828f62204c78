using Bot.Core.Chat;
using Bot.Core.Storage;

namespace Bot.Core.Tests.ChatKit;

/// <summary>The "More sources" button id: what the adapters mint and what a click may carry (ids come from clients).</summary>
public sealed class MoreSourcesIdTests
{
    [Fact]
    public void CustomId_RoundTrips_AndFitsBothPlatforms()
    {
        var id = AnswerRecord.NewId();
        foreach (var page in new[] { 1, 2, MoreSources.MaxResults - 1 })
        {
            var customId = MoreSources.CustomId(id, page);
            Assert.InRange(customId.Length, 1, 100); // Discord custom_id; Slack allows 255
            Assert.True(MoreSources.TryParse(customId, out var parsed, out var parsedPage));
            Assert.Equal(id, parsed);
            Assert.Equal(page, parsedPage);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("more")]
    [InlineData("more:0123456789abcdef")]
    [InlineData("more:0123456789abcdef:0")]
    [InlineData("more:0123456789abcdef:20")]
    [InlineData("more:0123456789abcdef:-1")]
    [InlineData("more:0123456789abcdef:+1")]
    [InlineData("more:0123456789abcdef: 1")]
    [InlineData("more:0123456789ABCDEF:1")]
    [InlineData("more:0123456789abcde:1")]
    [InlineData("more:0123456789abcdef:1:x")]
    [InlineData("fb:0123456789abcdef:up")]
    [InlineData("more:'; DROP TABLE conversation_context; --:1")]
    public void TryParse_RefusesForgedIds(string? customId)
    {
        Assert.False(MoreSources.TryParse(customId, out var id, out _));
        Assert.Null(id);
    }

    [Fact]
    public void CustomId_RefusesWhatItWouldNotParse()
    {
        Assert.Throws<ArgumentException>(() => MoreSources.CustomId("not-an-id", 1));
        Assert.Throws<ArgumentException>(() => MoreSources.CustomId(AnswerRecord.NewId(), 0));
    }
}
