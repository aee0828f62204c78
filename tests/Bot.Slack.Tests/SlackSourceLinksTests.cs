using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Bot.Slack.WebApi;

namespace Bot.Slack.Tests;

/// <summary>Citations that link to the original article (<c>&lt;url|title&gt;</c>), dates in citations, /source and digests.</summary>
public sealed class SlackSourceLinksTests
{
    private const string Url = "https://notes.example.org/posts/r1?a=1&b=2";
    private readonly SlackRenderer _renderer = new();

    private static Citation Cite(string? url, DateOnly? published, string title) =>
        new("r1", title, 2, 1.0, new Snippet("R1은 강화학습으로 추론 능력을 끌어올렸습니다.", [], false, false), []) { Url = url, Published = published };

    private static Answer Answered(params Citation[] c) => new("R1은?", Language.Korean, AnswerStatus.Answered, c, null);

    private static string AllText(SlackMessage m) =>
        m.Text + "\n" + m.Blocks.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public void RenderAnswer_CitationWithUrl_LinkWithEscapedTitle_AndDate()
    {
        var m = _renderer.RenderAnswer(Answered(Cite(Url, new DateOnly(2025, 1, 30), "R1 <!channel> & *추론* | 정리"), Cite(null, null, "다른 기사")));
        var context = m.Blocks[1]!["elements"]![0]!["text"]!.GetValue<string>();

        Assert.Equal("*출처*: <https://notes.example.org/posts/r1?a=1&amp;b=2|R1 &lt;!channel&gt; &amp; ∗추론∗ ¦ 정리> (2025-01-30), 2번째 단락", context);
        Assert.Contains("다른 기사, 2번째 단락", AllText(m), StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", AllText(m), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderAnswer_CitationWithoutMetadata_SameAsBefore()
    {
        var m = _renderer.RenderAnswer(Answered(Cite(null, null, "제목")));
        Assert.Equal("*출처*: 제목, 2번째 단락", m.Blocks[1]!["elements"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void RenderSource_ArticleWithMetadata_LinkedTitle_DateAndAuthorInContext()
    {
        var article = new ArticleInfo("r1", "딥시크 R1", "R1은 강화학습으로…", 4) { Metadata = new ArticleMetadata(null, Url, "박지민", new DateOnly(2025, 1, 30)) };
        var m = _renderer.RenderSource(new SourceResult("r1", Language.Korean, article, []));

        Assert.StartsWith("*<https://notes.example.org/posts/r1?a=1&amp;b=2|딥시크 R1>*\n", m.Blocks[0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var elements = m.Blocks[1]!["elements"]!.AsArray().Select(e => e!["text"]!.GetValue<string>()).ToList();
        Assert.Contains("2025-01-30 · 박지민", elements);
    }

    [Fact]
    public void RenderSource_ArticleWithoutMetadata_TwoContextElementsAsBefore()
    {
        var m = _renderer.RenderSource(new SourceResult("a", Language.Korean, new ArticleInfo("a", "제목", "본문", 3), []));
        Assert.Equal(2, m.Blocks[1]!["elements"]!.AsArray().Count);
        Assert.StartsWith("*제목*\n", m.Blocks[0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void RenderDigest_CitationWithDate_LinkAndDateShown()
    {
        var message = new BotMessage("다이제스트", [new BotSection("많이 물은 질문", [new BotItem("“R1은?” — 3회", Cite(Url, new DateOnly(2025, 1, 30), "딥시크 R1"))])], Language.Korean);
        var text = string.Join('\n', _renderer.RenderDigest(message).Select(AllText));
        Assert.Contains("|딥시크 R1> (2025-01-30), 2번째 단락", text, StringComparison.Ordinal);
    }
}
