using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests;

/// <summary>Checklist items 15, 16, 47: limits, escaping, splitting; Korean fixtures and hostile text.</summary>
public sealed partial class DiscordRendererTests
{
    private const string Hostile = "@everyone @here <@&123> <@456> `코드` ```블록``` **굵게** __밑줄__ ~~취소~~ ||스포일러|| # 제목\n- 목록\n> 인용 [링크](https://evil.example) \\ 끝";
    private const string KoreanSentence = "딥시크는 낮은 비용과 적은 컴퓨팅 자원으로도 AI를 활용할 수 있도록 설계된 혁신적인 모델을 발표했습니다 🚀. ";

    private readonly DiscordRenderer _renderer = new();

    private static Citation Cite(string text, int passage = 3, string title = "딥시크(DeepSeek)의 등장: AI 패권 전쟁의 새 국면", IReadOnlyList<HighlightRange>? highlights = null, bool cutStart = false, bool cutEnd = false) =>
        new("000_doc", title, passage, 1.0, new Snippet(text, highlights ?? [], cutStart, cutEnd), []);

    private static Answer Answered(params Citation[] citations) => new("딥시크?", Language.Korean, AnswerStatus.Answered, citations, null);

    /// <summary>Every limit Discord enforces on a message body, plus "no half surrogate pairs" and "bold closed".</summary>
    internal static void AssertWithinLimits(DiscordMessagePayload p)
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(p, DiscordJson.Rest))!;
        Assert.Equal("[]", json["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.True(p.Content is not null || p.Embeds is { Count: > 0 }, "empty message");
        Assert.True((p.Content?.Length ?? 0) <= 2000, "content " + p.Content?.Length);
        Assert.True((p.Embeds?.Count ?? 0) <= 10);
        Assert.True(p.EmbedTotalLength <= 6000, "total " + p.EmbedTotalLength);
        var strings = new List<string?> { p.Content };
        foreach (var e in p.Embeds ?? [])
        {
            Assert.True((e.Title?.Length ?? 0) <= 256);
            Assert.True((e.Description?.Length ?? 0) <= 4096, "description " + e.Description?.Length);
            Assert.True((e.Footer?.Text.Length ?? 0) <= 2048);
            Assert.True((e.Fields?.Count ?? 0) <= 25);
            foreach (var f in e.Fields ?? [])
            {
                Assert.InRange(f.Name.Length, 1, 256);
                Assert.InRange(f.Value.Length, 1, 1024);
                strings.Add(f.Name);
                strings.Add(f.Value);
            }

            strings.AddRange([e.Title, e.Description, e.Footer?.Text]);
        }

        foreach (var s in strings.OfType<string>())
        {
            Assert.False(DiscordMarkdown.HasBrokenSurrogate(s), "broken surrogate in: " + s);
            Assert.Equal(0, UnescapedBold().Matches(s).Count % 2);
            Assert.DoesNotContain("@everyone", s, StringComparison.Ordinal);
            Assert.DoesNotContain("@here", s, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"(?<!\\)\*\*")]
    private static partial Regex UnescapedBold();

    [Fact]
    public void Quote_BoldsHighlights_EscapesMarkdownAroundThem()
    {
        var text = "딥시크(DeepSeek)는 **중국** 기업_이다";
        var quote = DiscordMarkdown.QuoteSnippet(new Snippet(text, [new HighlightRange(0, 3), new HighlightRange(17, 2)], false, true), 500);
        Assert.Equal("> **딥시크**\\(DeepSeek\\)는 \\*\\***중국**\\*\\* 기업\\_이다…", quote);
    }

    [Fact]
    public void Quote_MultiLineSnippet_EveryLineQuoted_BoldClosedAtLineEnd()
    {
        var text = "첫째 줄 딥시크\n둘째 줄";
        var quote = DiscordMarkdown.QuoteSnippet(new Snippet(text, [new HighlightRange(5, 8)], true, false), 500);
        Assert.Equal("> …첫째 줄 **딥시크**\n> **둘째** **줄**", quote);
    }

    [Fact] // 16
    public void Escape_HostileText_RendersLiterally_CannotPing()
    {
        var escaped = DiscordMarkdown.Escape(Hostile);
        Assert.DoesNotContain("@everyone", escaped, StringComparison.Ordinal);
        Assert.Contains("@\u200Beveryone", escaped, StringComparison.Ordinal);
        Assert.Contains("@\u200Bhere", escaped, StringComparison.Ordinal);
        Assert.Contains("\\<@&123\\>", escaped, StringComparison.Ordinal);
        Assert.Contains("\\<@456\\>", escaped, StringComparison.Ordinal);
        Assert.Contains("\\`코드\\`", escaped, StringComparison.Ordinal);
        Assert.Contains("\\*\\*굵게\\*\\*", escaped, StringComparison.Ordinal);
        Assert.Contains("\\_\\_밑줄\\_\\_", escaped, StringComparison.Ordinal);
        Assert.Contains("\\~\\~취소\\~\\~", escaped, StringComparison.Ordinal);
        Assert.Contains("\\|\\|스포일러\\|\\|", escaped, StringComparison.Ordinal);
        Assert.Contains("\\# 제목", escaped, StringComparison.Ordinal);
        Assert.Contains("\\- 목록", escaped, StringComparison.Ordinal);
        Assert.Contains("\\> 인용", escaped, StringComparison.Ordinal);
        Assert.Contains("\\[링크\\]\\(https://evil.example\\)", escaped, StringComparison.Ordinal);
        Assert.Contains("\\\\ 끝", escaped, StringComparison.Ordinal);

        // Un-escaping (what Discord's renderer does with \x) gives back the original text: it renders literally.
        Assert.Equal(Hostile, Regex.Replace(escaped.Replace("\u200B", "", StringComparison.Ordinal), @"\\(.)", "$1"));
    }

    [Fact] // 16
    public void HostileCorpusText_InEveryPlace_NoPingNoMarkup()
    {
        var c = Cite(Hostile, title: Hostile, highlights: [new HighlightRange(0, 9)]);
        foreach (var style in new[] { AnswerStyle.Ask, AnswerStyle.Search })
        {
            var p = _renderer.RenderAnswer(Answered(c, c, c), style);
            AssertWithinLimits(p);
            var all = string.Join("\n", p.Embeds!.SelectMany(e => new[] { e.Description ?? "" }.Concat(e.Fields?.Select(f => f.Value) ?? [])));
            Assert.DoesNotContain("<@&123>", all.Replace("\\<", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.DoesNotContain("](https://", all, StringComparison.Ordinal);
        }

        AssertWithinLimits(_renderer.RenderText(Hostile));
        AssertWithinLimits(_renderer.RenderSource(new SourceResult(Hostile, Language.Korean, new ArticleInfo("id", Hostile, Hostile, 3), [])));
        AssertWithinLimits(_renderer.RenderSource(new SourceResult(Hostile, Language.Korean, null, [new ArticleInfo("id", Hostile, "", 1)])));
    }

    [Fact] // 15
    public void Answer_KoreanFixture_QuoteCitationAndTwoMoreSources()
    {
        var best = Cite(KoreanSentence, 2, highlights: [new HighlightRange(0, 3)]);
        var p = _renderer.RenderAnswer(Answered(best, Cite("두 번째 단락.", 5), Cite("세 번째 단락.", 7), Cite("네 번째는 안 보입니다.", 9)));
        AssertWithinLimits(p);
        var embed = Assert.Single(p.Embeds!);
        Assert.Equal("출처", embed.Title);
        Assert.StartsWith("> **딥시크**는 낮은 비용과", embed.Description, StringComparison.Ordinal);
        Assert.EndsWith("— 딥시크\\(DeepSeek\\)의 등장: AI 패권 전쟁의 새 국면, 2번째 단락", embed.Description, StringComparison.Ordinal);
        var field = Assert.Single(embed.Fields!);
        Assert.Equal("다른 출처", field.Name);
        Assert.Contains("5번째 단락", field.Value, StringComparison.Ordinal);
        Assert.Contains("7번째 단락", field.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("9번째 단락", field.Value, StringComparison.Ordinal);
    }

    [Fact] // 15
    public void Answer_HugeKoreanAndEmojiText_CutOnTextElements_WithinEveryLimit_Deterministic()
    {
        var huge = string.Concat(Enumerable.Repeat(KoreanSentence + "👩‍👩‍👧‍👦🇰🇷", 120));
        var longTitle = string.Concat(Enumerable.Repeat("아주 긴 기사 제목 😀 ", 60));
        var highlights = Enumerable.Range(0, 200).Select(i => new HighlightRange(i * 37, 3)).Where(h => h.End <= huge.Length).ToList();
        var citations = Enumerable.Range(1, 25).Select(i => Cite(huge, i, longTitle, highlights, true, true)).ToArray();
        foreach (var style in new[] { AnswerStyle.Ask, AnswerStyle.Search })
        {
            var a = _renderer.RenderAnswer(Answered(citations), style);
            var b = _renderer.RenderAnswer(Answered(citations), style);
            AssertWithinLimits(a);
            Assert.Equal(JsonSerializer.Serialize(a, DiscordJson.Rest), JsonSerializer.Serialize(b, DiscordJson.Rest));
        }
    }

    [Theory] // 15
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Quote_RandomKoreanEmojiAndHighlights_AlwaysWithinBudget_NoBrokenPairs(int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["딥", "시크", "😀", "👩‍👩‍👧", "*", "_", "`", "\n", " ", "@everyone", "<@&1>", "한국은행", "e\u0301"];
        for (var round = 0; round < 200; round++)
        {
            var sb = new StringBuilder();
            while (sb.Length < random.Next(1, 600))
            {
                sb.Append(pieces[random.Next(pieces.Length)]);
            }

            var text = sb.ToString();
            var highlights = new List<HighlightRange>();
            var pos = 0;
            while (pos < text.Length - 1)
            {
                var start = pos + random.Next(0, 20);
                var len = random.Next(1, 10);
                if (start + len > text.Length)
                {
                    break;
                }

                highlights.Add(new HighlightRange(start, len));
                pos = start + len + 1;
            }

            var budget = random.Next(20, 1024);
            var quote = DiscordMarkdown.QuoteSnippet(new Snippet(text, highlights, random.Next(2) == 0, random.Next(2) == 0), budget);
            Assert.True(quote.Length <= budget, $"{quote.Length} > {budget}");
            Assert.False(DiscordMarkdown.HasBrokenSurrogate(quote));
            Assert.Equal(0, UnescapedBold().Matches(quote).Count % 2);
            Assert.DoesNotContain("@everyone", quote, StringComparison.Ordinal);
        }
    }

    [Fact] // 15
    public void Cut_NeverSplitsSurrogatePairsOrClusters()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 3000));
        var cut = TextCutter.Cut(emoji, 2000);
        Assert.True(cut.Length <= 2000);
        Assert.False(DiscordMarkdown.HasBrokenSurrogate(cut));
        Assert.EndsWith("😀…", cut, StringComparison.Ordinal);

        var family = string.Concat(Enumerable.Repeat("👩‍👩‍👧‍👦", 300));
        var cutFamily = DiscordMarkdown.EscapeAndCut(family, 100);
        Assert.Equal(0, (cutFamily.Length - 1) % "👩‍👩‍👧‍👦".Length);
    }

    [Fact]
    public void Decline_ShortMessageWithTheReason_Escaped()
    {
        var decline = new DeclineReason("기사에서 답을 찾지 못했습니다. 기사에 '*본사*'라는 말이 나오지 않습니다.", ["본사"], []);
        var p = _renderer.RenderAnswer(new Answer("본사?", Language.Korean, AnswerStatus.NotFound, [], decline));
        AssertWithinLimits(p);
        Assert.Null(p.Embeds);
        Assert.Equal("기사에서 답을 찾지 못했습니다. 기사에 '\\*본사\\*'라는 말이 나오지 않습니다.", p.Content);

        var tooLong = new Answer(new string('가', 3000), Language.Korean, AnswerStatus.TooLong, [], new DeclineReason("질문이 너무 깁니다(3000자). 2000자 이내로 줄여 주세요.", [], []));
        Assert.StartsWith("질문이 너무 깁니다", _renderer.RenderAnswer(tooLong).Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_BothLanguages_WithinLimits()
    {
        AssertWithinLimits(_renderer.RenderHelp(Language.Korean));
        AssertWithinLimits(_renderer.RenderHelp(Language.English));
        AssertWithinLimits(_renderer.RenderEmptyQuestion(Language.Korean));
        Assert.Equal("Help", _renderer.RenderHelp(Language.English).Embeds![0].Title);
    }

    private static BotMessage Digest(int items) => new(
        "오늘의 딥시크 기사 요약 @everyone",
        [
            new BotSection("주요 소식", Enumerable.Range(1, items).Select(i => new BotItem($"{i:D3}번 항목: " + KoreanSentence, Cite(string.Concat(Enumerable.Repeat(KoreanSentence, 3)), i))).ToList()),
            new BotSection("짧은 소식", [new BotItem("마지막 항목 *끝*")]),
        ],
        Language.Korean,
        "corpus v3 · 2026-08-01");

    [Fact] // 47
    public void Digest_Oversized_SplitIntoMessages_OrderAndCitationsIntact()
    {
        var parts = _renderer.RenderMessage(Digest(60));
        Assert.True(parts.Count > 1, "expected several messages, got " + parts.Count);
        foreach (var p in parts)
        {
            AssertWithinLimits(p);
        }

        Assert.StartsWith("**오늘의 딥시크 기사 요약 @\u200Beveryone**", parts[0].Content, StringComparison.Ordinal);
        var all = string.Join("\n", parts.SelectMany(p => p.Embeds ?? []).Select(e => e.Description));
        var positions = Enumerable.Range(1, 60).Select(i => all.IndexOf($"{i:D3}번 항목", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        for (var i = 1; i <= 60; i++)
        {
            Assert.Single(Regex.Matches(all, $"— [^\n]*, {i}번째 단락\n?"));
        }

        Assert.True(all.IndexOf("마지막 항목 \\*끝\\*", StringComparison.Ordinal) > positions[^1]);
        Assert.Equal("corpus v3 · 2026-08-01", parts[^1].Embeds![^1].Footer!.Text);
    }

    [Fact]
    public void Digest_Small_OneMessage()
    {
        var parts = _renderer.RenderMessage(Digest(2));
        var p = Assert.Single(parts);
        AssertWithinLimits(p);
    }

    [Fact] // 47 end to end: the platform posts the parts in order
    public async Task Platform_PostsEveryPartInOrder_ReturnsIds()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        var platform = host.Services.GetRequiredService<IChatPlatform>();
        var message = Digest(60);
        var result = await platform.PostAsync(new ChannelRef("discord", Events.ChannelId), message, CancellationToken.None);
        var created = host.Fake.CreatedMessages.ToList();
        Assert.Equal(_renderer.RenderMessage(message).Count, created.Count);
        Assert.Equal(created.Select(c => c.MessageId), result.MessageIds);
        Assert.All(created, c => Assert.Equal("[]", c.Body["allowed_mentions"]!["parse"]!.ToJsonString()));
        var nonces = created.Select(c => c.Body["nonce"]!.GetValue<string>()).ToList();
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
        Assert.All(nonces, n => Assert.True(n.Length <= 25));
        Assert.Contains("001번 항목", created[0].Body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }
}
