using System.Text.Json.Nodes;
using Bot.Slack.Events;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.Slack.WebApi;

namespace Bot.Slack.Tests;

public sealed class SlackRendererTests
{
    private readonly SlackRenderer _renderer = new();

    private static Citation Cite(string text, string title, int passage, params (int Start, int Length)[] highlights) =>
        new("doc", title, passage, 1, new Snippet(text, highlights.Select(h => new HighlightRange(h.Start, h.Length)).ToList(), false, false), []);

    private static Answer Answered(params Citation[] citations) => new("질문", Language.Korean, AnswerStatus.Answered, citations, null);

    private static JsonObject Body(SlackMessage m) => new() { ["text"] = m.Text, ["blocks"] = m.Blocks.DeepClone() };

    private static string Section(SlackMessage m, int index) => m.Blocks[index]!["text"]!["text"]!.GetValue<string>();

    [Fact]
    public void RenderAnswer_Korean_BestSnippetQuotedWithBoldHighlights_CitationOnContextLine()
    {
        const string text = "딥시크는 중국 항저우에 본사를 둔 인공지능 기업이다.";
        var message = _renderer.RenderAnswer(Answered(Cite(text, "딥시크 기사", 3, (0, 3), (8, 2))));
        var section = Section(message, 0);
        Assert.StartsWith("> ", section, StringComparison.Ordinal);
        Assert.Contains("*딥시크*\u200B는", section, StringComparison.Ordinal); // bold hugging a Korean particle
        Assert.Contains(" *항저*\u200B우에", section, StringComparison.Ordinal);
        Assert.Equal("context", message.Blocks[1]!["type"]!.GetValue<string>());
        Assert.Equal("*출처*: 딥시크 기사, 3번째 단락", message.Blocks[1]!["elements"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("딥시크 기사, 3번째 단락", message.Text, StringComparison.Ordinal);
        Assert.Equal(2, message.Blocks.Count);
        SlackAssert.ValidMessage(Body(message));
    }

    [Fact]
    public void RenderAnswer_English_UsesEnglishWords()
    {
        var answer = new Answer("Where is DeepSeek based?", Language.English, AnswerStatus.Answered, [Cite("DeepSeek is based in Hangzhou.", "Article", 2, (0, 8))], null);
        var message = _renderer.RenderAnswer(answer);
        Assert.Equal("> *DeepSeek* is based in Hangzhou.", Section(message, 0));
        Assert.Equal("*Sources*: Article, passage 2", message.Blocks[1]!["elements"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void RenderAnswer_UpToTwoMoreSources()
    {
        var citations = Enumerable.Range(1, 5).Select(i => Cite("딥시크 단락 " + i, "기사 " + i, i, (0, 3))).ToArray();
        var message = _renderer.RenderAnswer(Answered(citations));
        var all = string.Join("\n", SlackAssert.MrkdwnTexts(Body(message)));
        Assert.Contains("*다른 출처*", all, StringComparison.Ordinal);
        Assert.Contains("기사 2, 2번째 단락", all, StringComparison.Ordinal);
        Assert.Contains("기사 3, 3번째 단락", all, StringComparison.Ordinal);
        Assert.DoesNotContain("기사 4", all, StringComparison.Ordinal);

        var search = _renderer.RenderAnswer(Answered(citations), 5);
        Assert.Contains("기사 5, 5번째 단락", string.Join("\n", SlackAssert.MrkdwnTexts(Body(search))), StringComparison.Ordinal);
        SlackAssert.ValidMessage(Body(search));
    }

    [Fact]
    public void RenderAnswer_Decline_ShowsTheReasonInTheAnswersLanguage()
    {
        var answer = new Answer("본사?", Language.Korean, AnswerStatus.NotFound, [],
            new DeclineReason("기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.", ["본사"], []));
        var message = _renderer.RenderAnswer(answer);
        Assert.Equal("기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.", Section(message, 0));
        Assert.Equal(Section(message, 0), message.Text);
    }

    [Fact]
    public void RenderAnswer_WithFeedbackId_EndsWithTwoButtons_WithinLimits_EvenAtMostSources()
    {
        var id = Bot.Core.Storage.AnswerRecord.NewId();
        var citations = Enumerable.Range(1, 12).Select(i => Cite(new string('딥', 298) + i, new string('기', 200), i, (0, 3))).ToArray();
        var message = _renderer.RenderAnswer(Answered(citations), 10, id);
        SlackAssert.ValidMessage(Body(message));
        var actions = message.Blocks[^1]!;
        Assert.Equal("actions", actions["type"]!.GetValue<string>());
        Assert.Equal("feedback:ko", actions["block_id"]!.GetValue<string>());
        Assert.Equal([$"fb:{id}:up", $"fb:{id}:down"], actions["elements"]!.AsArray().Select(e => e!["action_id"]!.GetValue<string>()));
        Assert.Equal(["👍 도움이 됐어요", "👎 도움이 안 됐어요"], actions["elements"]!.AsArray().Select(e => e!["text"]!["text"]!.GetValue<string>()));
        Assert.InRange(message.Blocks.Count, 3, 50);

        var english = _renderer.RenderAnswer(new Answer("q", Language.English, AnswerStatus.Answered, [Cite("DeepSeek", "A", 1)], null), 3, id);
        Assert.Equal(["👍 Helpful", "👎 Not helpful"], english.Blocks[^1]!["elements"]!.AsArray().Select(e => e!["text"]!["text"]!.GetValue<string>()));
        Assert.Equal(Language.English, SlackRenderer.FeedbackLanguage(english.Blocks[^1]!["block_id"]!.GetValue<string>()));
        Assert.Null(SlackRenderer.FeedbackLanguage("feedback:xx"));
    }

    [Theory]
    [InlineData(AnswerStatus.NotFound, true)]
    [InlineData(AnswerStatus.Empty, false)]
    [InlineData(AnswerStatus.TooLong, false)]
    public void RenderAnswer_Declines_ButtonsOnlyForNotFound(AnswerStatus status, bool buttons)
    {
        var answer = new Answer("본사?", Language.Korean, status, [], new DeclineReason("기사에서 답을 찾지 못했습니다.", [], []));
        var message = _renderer.RenderAnswer(answer, 3, Bot.Core.Storage.AnswerRecord.NewId());
        SlackAssert.ValidMessage(Body(message));
        Assert.Equal(buttons, message.Blocks.Any(b => b!["type"]!.GetValue<string>() == "actions"));
        Assert.Equal("기사에서 답을 찾지 못했습니다.", Section(message, 0));
        Assert.Single(_renderer.RenderAnswer(answer).Blocks); // no id, no buttons
    }

    [Fact]
    public void DeclineQuotingUserWords_IsEscaped()
    {
        var answer = new Answer("<!channel> 본사", Language.Korean, AnswerStatus.NotFound, [],
            new DeclineReason("기사에서 답을 찾지 못했습니다. 기사에 '<!channel>', '<@U1>', 'a&b'라는 말이 나오지 않습니다.", ["<!channel>"], []));
        var message = _renderer.RenderAnswer(answer);
        Assert.Equal("기사에서 답을 찾지 못했습니다. 기사에 '&lt;!channel&gt;', '&lt;@U1&gt;', 'a&amp;b'라는 말이 나오지 않습니다.", Section(message, 0));
        SlackAssert.ValidMessage(Body(message));
    }

    [Fact]
    public void HostileCorpusText_EscapedExactly_BoldNotBroken()
    {
        const string text = "<!channel> <!here> <!everyone> <@U123> <#C1|일반> R&D *별표* _밑줄_ ~물결~ `코드` 딥시크 > 인용";
        var start = text.IndexOf("딥시크", StringComparison.Ordinal);
        var message = _renderer.RenderAnswer(Answered(Cite(text, "<@U999> & <!channel> 제목 *굵게*", 1, (start, 3))));
        var section = Section(message, 0);
        Assert.Equal(
            "> &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;#C1|일반&gt; R&amp;D ∗별표∗ ＿밑줄＿ ∼물결∼ ˋ코드ˋ *딥시크* &gt; 인용",
            section);
        Assert.Equal(2, section.Count(c => c == '*')); // only our own bold markers
        var context = message.Blocks[1]!["elements"]![0]!["text"]!.GetValue<string>();
        Assert.Equal("*출처*: &lt;@U999&gt; &amp; &lt;!channel&gt; 제목 ∗굵게∗, 1번째 단락", context);
        SlackAssert.ValidMessage(Body(message));
        Assert.DoesNotContain("<", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_OnlyTheThreeEntities_NothingElseEncoded()
    {
        Assert.Equal("a &amp;amp; b &lt;c&gt; \"d\" 'e' 한글", SlackText.Escape("a &amp; b <c> \"d\" 'e' 한글"));
    }

    [Fact]
    public void Highlights_BadRanges_Clamped_NeverSplitSurrogatePairs()
    {
        const string text = "😀딥시크😀 모델";
        var citation = new Citation("d", "t", 1, 1, new Snippet(text, [new HighlightRange(1, 4), new HighlightRange(3, 10), new HighlightRange(-5, 2), new HighlightRange(50, 3)], true, true), []);
        var section = Section(_renderer.RenderAnswer(Answered(citation)), 0);
        AssertNoLoneSurrogates(section);
        Assert.StartsWith("> …", section, StringComparison.Ordinal);
        Assert.EndsWith("…", section, StringComparison.Ordinal);
        Assert.Equal(0, section.Count(c => c == '*') % 2);
    }

    [Fact]
    public void HighlightsSpanningWhitespaceOrLines_KeepMarkersTight()
    {
        const string text = "첫 줄 딥시크\n둘째 줄";
        var citation = Cite(text, "t", 1, (1, 3), (6, 3)); // " 줄 " and "크\n둘" (crosses a line: bolded on each line, as on Discord)
        var section = Section(_renderer.RenderAnswer(Answered(citation)), 0);
        Assert.Equal("> 첫 *줄* 딥시\u200B*크*\n> *둘*\u200B째 줄", section);
    }

    [Fact]
    public void HugeSnippet_CutOnTextElementBoundary_WithinSectionLimit()
    {
        var text = string.Concat(Enumerable.Repeat("딥시크&😀👨‍👩‍👧 ", 800));
        var message = _renderer.RenderAnswer(Answered(Cite(text, "t", 1, (0, 3))));
        var section = Section(message, 0);
        Assert.InRange(section.Length, 100, 3000);
        AssertNoLoneSurrogates(section);
        AssertNoLoneSurrogates(message.Text);
        Assert.DoesNotMatch("&(a|am)?$", section.TrimEnd('…'));
        SlackAssert.ValidMessage(Body(message));
    }

    [Fact]
    public void EscapeWithin_NeverCutsInsideSurrogatePairOrCluster()
    {
        var text = string.Concat(Enumerable.Repeat("가😀👨‍👩‍👧", 100));
        for (var max = 5; max < 60; max++)
        {
            var cut = SlackText.EscapeWithin(text, max);
            Assert.True(cut.Length <= max);
            AssertNoLoneSurrogates(cut);
            Assert.DoesNotContain("\u200D…", cut, StringComparison.Ordinal); // no half family emoji
        }
    }

    [Fact]
    public void RenderDigest_SingleEnormousItem_SplitAcrossSectionsAndPages_ContentKept()
    {
        var text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"딥시크 문장 {i}. "));
        var message = new BotMessage("큰 다이제스트", [new BotSection("하나", [new BotItem(text)])], Language.Korean);
        var pages = _renderer.RenderDigest(message);
        Assert.True(pages.Count >= 2);
        foreach (var page in pages)
        {
            SlackAssert.ValidMessage(Body(page));
        }

        var joined = string.Concat(pages.SelectMany(p => p.Blocks.Where(b => b!["type"]!.GetValue<string>() == "section").Skip(0))
            .Select(b => b!["text"]!["text"]!.GetValue<string>()).Where(t => !t.StartsWith('*')));
        Assert.Equal(text.Replace(" ", "", StringComparison.Ordinal), joined.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void RenderDigest_Small_IsOneMessageWithHeaderAndFooter()
    {
        var pages = _renderer.RenderDigest(SlackPlatformTests.BigDigest(4));
        var page = Assert.Single(pages);
        Assert.Equal("header", page.Blocks[0]!["type"]!.GetValue<string>());
        Assert.Equal("오늘의 딥시크 다이제스트", page.Blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("context", page.Blocks[^1]!["type"]!.GetValue<string>());
        Assert.StartsWith("오늘의 딥시크 다이제스트 — ", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderSource_ArticleAndSuggestions()
    {
        var article = new ArticleInfo("deepseek-01", "딥시크 <기사>", "딥시크는 & 중국 기업", 7);
        var found = _renderer.RenderSource(new SourceResult("딥시크", Language.Korean, article, []));
        Assert.Contains("*딥시크 &lt;기사&gt;*", Section(found, 0), StringComparison.Ordinal);
        Assert.Equal("단락 7개", found.Blocks[1]!["elements"]![0]!["text"]!.GetValue<string>());

        var missing = _renderer.RenderSource(new SourceResult("없는 기사", Language.Korean, null, [article]));
        Assert.Contains("'없는 기사'에 해당하는 기사가 없습니다.", Section(missing, 0), StringComparison.Ordinal);
        Assert.Contains("• 딥시크 &lt;기사&gt;", Section(missing, 0), StringComparison.Ordinal);
        SlackAssert.ValidMessage(Body(missing));
    }

    [Fact]
    public void RenderHelp_FollowsLanguage()
    {
        Assert.Contains("도움말", Section(_renderer.RenderHelp(Language.Korean), 0), StringComparison.Ordinal);
        Assert.Contains("Help", Section(_renderer.RenderHelp(Language.English), 0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<@U_BOT> 딥시크 본사는?", "딥시크 본사는?")]
    [InlineData("<@U_BOT|bot>   R&amp;D &lt;b&gt;", "R&D <b>")]
    [InlineData("&amp;lt; stays", "&lt; stays")]
    [InlineData("<!here> <!channel> 질문 <#C123|일반>", "질문 #일반")]
    [InlineData("링크 <https://example.com/a|기사> 와 <https://example.com/b>", "링크 기사 와 https://example.com/b")]
    [InlineData("<@W123ABC> hello <!subteam^S1|@team>", "hello")]
    [InlineData("", "")]
    public void InboundText_ToQuestion(string input, string expected) => Assert.Equal(expected, SlackInboundText.ToQuestion(input));

    private static void AssertNoLoneSurrogates(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                Assert.True(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]), "lone high surrogate at " + i);
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(s[i]), "lone low surrogate at " + i);
            }
        }
    }
}
