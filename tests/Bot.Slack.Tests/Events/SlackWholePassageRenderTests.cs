using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;
using Bot.Slack.Events;
using Bot.Slack.Tests.Fakes;

namespace Bot.Slack.Tests.Events;

/// <summary>The whole-passage blocks within Slack's limits however long the passages are, escaped and cut on whole characters.</summary>
public sealed class SlackWholePassageRenderTests
{
    private static string Long(string unit, int length)
    {
        var sb = new StringBuilder();
        while (sb.Length < length)
        {
            sb.Append(unit);
        }

        return sb.ToString();
    }

    private static PassageWithNeighbours Found(int length) => new(
        new ArticleInfo("900_long", Long("긴 제목 <b>&", 400), "", 9) { Metadata = new Bot.Core.Corpus.ArticleMetadata(null, "https://example.com/a?b=1&c=2", null, new DateOnly(2025, 1, 27)) },
        new StoredPassage("900_long#5", "900_long", 5, Long("딥시크 R1 모델은 <!channel> 오픈소스 & 무료 😀 ", length), "소제목"),
        new StoredPassage("900_long#4", "900_long", 4, Long("앞 단락 내용 *굵게*\n", length), ""),
        new StoredPassage("900_long#6", "900_long", 6, Long("다음 단락 내용 > 인용 ", length), ""));

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
