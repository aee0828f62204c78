using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Bot.Discord.Rest;

namespace Bot.Discord.Tests;

/// <summary>Citations that link to the original article, dates in citations, /source and digests.</summary>
public sealed class DiscordSourceLinksTests
{
    private const string Url = "https://notes.example.org/posts/r1_(draft)";
    private readonly DiscordRenderer _renderer = new();

    private static Citation Cite(string? url, DateOnly? published, string title = "딥시크 R1 *추론* [모델]") =>
        new("r1", title, 2, 1.0, new Snippet("R1은 강화학습으로 추론 능력을 끌어올렸습니다.", [], false, false), []) { Url = url, Published = published };

    private static Answer Answered(params Citation[] c) => new("R1은?", Language.Korean, AnswerStatus.Answered, c, null);

    [Fact]
    public void RenderAnswer_CitationWithUrl_EmbedTitleLinks_TitleMaskedLinkEscaped_DateShown()
    {
        var payload = _renderer.RenderAnswer(Answered(Cite(Url, new DateOnly(2025, 1, 30)), Cite(null, null, "다른 기사")));
        var embed = Assert.Single(payload.Embeds!);
        var json = JsonNode.Parse(JsonSerializer.Serialize(payload, DiscordJson.Rest))!;

        Assert.Equal(Url, json["embeds"]![0]!["url"]!.GetValue<string>());
        Assert.Contains("[딥시크 R1 \\*추론\\* \\[모델\\]](https://notes.example.org/posts/r1_%28draft%29) \\(2025\\-01\\-30\\), 2번째 단락", embed.Description, StringComparison.Ordinal);
        Assert.Contains("• 다른 기사, 2번째 단락", embed.Fields![0].Value, StringComparison.Ordinal); // no link, no date: as before
        DiscordRendererTests.AssertWithinLimits(payload);
    }

    [Fact]
    public void RenderAnswer_CitationWithoutMetadata_NoUrl_SameLineAsBefore()
    {
        var payload = _renderer.RenderAnswer(Answered(Cite(null, null, "제목")));
        var json = JsonNode.Parse(JsonSerializer.Serialize(payload, DiscordJson.Rest))!;

        Assert.Null(json["embeds"]![0]!["url"]);
        Assert.EndsWith("— 제목, 2번째 단락", payload.Embeds![0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderSource_ArticleWithMetadata_LinkedTitle_DateAndAuthor()
    {
        var article = new ArticleInfo("r1", "딥시크 R1", "R1은 강화학습으로…", 4) { Metadata = new ArticleMetadata(null, Url, "박지민", new DateOnly(2025, 1, 30)) };
        var payload = _renderer.RenderSource(new SourceResult("r1", Language.Korean, article, []));
        var description = payload.Embeds![0].Description!;

        Assert.StartsWith("**[딥시크 R1](https://notes.example.org/posts/r1_%28draft%29)**\n2025\\-01\\-30 · 박지민\n", description, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderMessage_DigestCitationWithDate_DateShown()
    {
        var message = new BotMessage("다이제스트", [new BotSection("많이 물은 질문", [new BotItem("“R1은?” — 3회", Cite(Url, new DateOnly(2025, 1, 30)))])], Language.Korean);
        var text = string.Join('\n', _renderer.RenderMessage(message).Select(p => p.Content + string.Concat(p.Embeds?.Select(e => e.Description) ?? [])));

        Assert.Contains("(https://notes.example.org/posts/r1_%28draft%29) \\(2025\\-01\\-30\\)", text, StringComparison.Ordinal);
    }
}
