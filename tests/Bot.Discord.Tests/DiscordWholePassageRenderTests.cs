using Bot.TestSupport;
using System.Text;
using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;

namespace Bot.Discord.Tests;

/// <summary>The whole-passage embed within Discord's limits however long the passages are, cut on whole characters.</summary>
public sealed class DiscordWholePassageRenderTests
{
    private static PassageWithNeighbours Found(int length) => LongPassage.Make(length, "긴 제목 *굵게* ", "https://example.com/a(b)", "딥시크 R1 모델은 *오픈소스* @everyone 😀 ", "앞 단락 내용 _밑줄_ \n", "다음 단락 내용 `코드` ");

    [Theory]
    [InlineData(300)]
    [InlineData(5000)]
    [InlineData(20000)]
    public void Render_StaysWithinTheEmbedLimits_OnCharacterBoundaries(int length)
    {
        foreach (var language in new[] { Language.Korean, Language.English })
        {
            var payload = DiscordWholePassage.Render(Found(length), language);
            var embed = Assert.Single(payload.Embeds!);
            Assert.InRange(embed.Description!.Length, 1, DiscordRenderer.MaxDescription);
            Assert.InRange(embed.Title!.Length, 1, DiscordRenderer.MaxTitle);
            Assert.InRange(embed.TotalLength, 1, DiscordRenderer.MaxEmbedTotal);
            Assert.False(char.IsHighSurrogate(embed.Description[^1]), "a cut must not split a surrogate pair");
            Assert.DoesNotContain("@everyone", embed.Description, StringComparison.Ordinal); // escaped (zero-width space)
            var ui = UiText.For(language);
            Assert.Contains("**" + ui.PreviousPassage + "**", embed.Description, StringComparison.Ordinal);
            Assert.Contains("**" + ui.NextPassage + "**", embed.Description, StringComparison.Ordinal);
            Assert.Contains(ui.Passage(5), embed.Title, StringComparison.Ordinal);
            if (length <= 300)
            {
                Assert.Contains(DiscordMarkdown.Escape(Found(length).Passage.Text), embed.Description, StringComparison.Ordinal);
            }
        }
    }
}
