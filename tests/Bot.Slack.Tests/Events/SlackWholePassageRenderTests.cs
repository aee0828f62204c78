using Bot.TestSupport;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;
using Bot.Slack.Events;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;

namespace Bot.Slack.Tests.Events;

/// <summary>The whole-passage blocks within Slack's limits however long the passages are, escaped and cut on whole characters.</summary>
public sealed class SlackWholePassageRenderTests
{
    private static PassageWithNeighbours Found(int length) => LongPassage.Make(length, "긴 제목 <b>&", "https://example.com/a?b=1&c=2", "딥시크 R1 모델은 <!channel> 오픈소스 & 무료 😀 ", "앞 단락 내용 *굵게*\n", "다음 단락 내용 > 인용 ");

    [Theory]
    [InlineData(300)]
    [InlineData(5000)]
    [InlineData(20000)]
    public void Render_StaysWithinTheBlockLimits_Escaped(int length)
    {
        foreach (var language in new[] { Language.Korean, Language.English })
        {
            var message = SlackWholePassage.Render(Found(length), language);
            var body = new JsonObject { ["text"] = message.Text, ["blocks"] = message.Blocks.DeepClone() };
            SlackAssert.ValidMessage(body);
            var text = string.Join("\n", SlackAssert.MrkdwnTexts(body));
            Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
            Assert.All(SlackAssert.MrkdwnTexts(body), t => Assert.False(char.IsHighSurrogate(t[^1])));
            var ui = UiText.For(language);
            Assert.Contains("*" + ui.PreviousPassage + "*", text, StringComparison.Ordinal);
            Assert.Contains("*" + ui.NextPassage + "*", text, StringComparison.Ordinal);
            Assert.Contains(ui.Passage(5), text, StringComparison.Ordinal); // the passage number survives a long title
            if (length <= 300)
            {
                Assert.Contains(Bot.Slack.SlackText.Escape(Found(length).Passage.Text), text, StringComparison.Ordinal);
            }
        }
    }
}
