using System.Globalization;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests;

/// <summary>IChatPlatform for digests: splitting, order, pacing, errors (checklist 41, 42, 46, 47).</summary>
public sealed class SlackPlatformTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private FakeSlack _fake = null!;
    private SlackWebApiClient _api = null!;
    private SlackPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSlack.StartAsync(_clock);
        var options = Options.Create(new SlackOptions { BotToken = "xoxb-test", ApiBaseUrl = _fake.ApiBaseUrl });
        _api = new SlackWebApiClient(options, _clock, NullLogger<SlackWebApiClient>.Instance);
        _platform = new SlackPlatform(_api, new SlackRenderer(), options, _clock);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _fake.DisposeAsync();
    }

    internal static BotMessage BigDigest(int items, string extra = "")
    {
        var snippet = new Snippet("딥시크는 중국의 인공지능 스타트업으로 오픈소스 모델을 공개했다. " + extra, [new HighlightRange(0, 3)], false, true);
        var sections = Enumerable.Range(0, 4).Select(s => new BotSection(
            $"섹션 {s}",
            Enumerable.Range(0, items / 4).Select(i =>
            {
                var n = (s * (items / 4)) + i;
                return new BotItem($"항목 {n:D3}: 오늘의 딥시크 소식 {extra}",
                    new Citation("doc" + n, "기사 " + n.ToString(CultureInfo.InvariantCulture), n + 1, 1, snippet, ["딥시크"]));
            }).ToList())).ToList();
        return new BotMessage("오늘의 딥시크 다이제스트", sections, Language.Korean, "매일 오전 9시 · 출처: 기사 모음");
    }

    private async Task<T> RunWithClockAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }

        return await task;
    }

    // checklist 41, 46, 47
    [Fact]
    public async Task BigDigest_SplitIntoValidMessages_InOrder_PacedOneSecondPerChannel()
    {
        var result = await RunWithClockAsync(_platform.PostAsync(new ChannelRef("slack", "C_DIGEST"), BigDigest(120), CancellationToken.None));
        var calls = _fake.CallsTo("chat.postMessage");
        Assert.True(calls.Count >= 3, $"expected several messages, got {calls.Count}");
        Assert.Equal(calls.Count, result.MessageIds.Count);
        Assert.Equal(result.MessageIds.Count, result.MessageIds.Distinct().Count());
        for (var i = 0; i < calls.Count; i++)
        {
            SlackAssert.ValidMessage(calls[i].Json!);
            Assert.Equal("C_DIGEST", calls[i].Json!["channel"]!.GetValue<string>());
            Assert.False(calls[i].Json!["unfurl_links"]!.GetValue<bool>());
            Assert.Contains($"({i + 1}/{calls.Count})", calls[i].Json!["blocks"]![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
            if (i > 0)
            {
                Assert.True(calls[i].ClockAt - calls[i - 1].ClockAt >= TimeSpan.FromSeconds(1), "≥ 1 s between posts to one channel");
            }
        }

        // every item appears exactly once, in order, each followed by its own citation
        var texts = calls.SelectMany(c => SlackAssert.MrkdwnTexts(c.Json!)).ToList();
        var itemIndexes = Enumerable.Range(0, 120).Select(n => texts.FindIndex(t => t.StartsWith($"항목 {n:D3}:", StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, itemIndexes);
        Assert.Equal(itemIndexes.Order().ToList(), itemIndexes);
        for (var n = 0; n < 120; n++)
        {
            Assert.Contains($"기사 {n}, {n + 1}번째 단락", texts[itemIndexes[n] + 2], StringComparison.Ordinal);
        }

        Assert.Contains(texts, t => t.Contains("매일 오전 9시", StringComparison.Ordinal));
    }

    // checklist 46
    [Fact]
    public async Task Pacing_IsPerChannel_OtherChannelsNotBlocked()
    {
        var small = new BotMessage("제목", [new BotSection("섹션", [new BotItem("내용")])], Language.Korean);
        await _platform.PostAsync(new ChannelRef("slack", "C1"), small, CancellationToken.None);
        var second = _platform.PostAsync(new ChannelRef("slack", "C1"), small, CancellationToken.None);
        await _platform.PostAsync(new ChannelRef("slack", "C2"), small, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        Assert.False(second.IsCompleted);
        Assert.Equal(2, _fake.CallsTo("chat.postMessage").Count);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, _fake.CallsTo("chat.postMessage").Count);
    }

    // checklist 42
    [Theory]
    [InlineData("not_in_channel", true)]
    [InlineData("channel_not_found", true)]
    [InlineData("is_archived", true)]
    [InlineData("invalid_auth", true)]
    [InlineData("internal_error", false)]
    public async Task SlackErrors_BecomeChatPlatformException(string error, bool permanent)
    {
        _fake.ScriptError("chat.postMessage", error);
        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() => _platform.PostAsync(new ChannelRef("slack", "C9"), BigDigest(4), CancellationToken.None));
        Assert.Equal("slack", ex.Platform);
        Assert.Equal(error, ex.ErrorName);
        Assert.Equal(permanent, ex.Permanent);
        Assert.Single(_fake.CallsTo("chat.postMessage"));
        Assert.False(ex.MaybePosted);
        Assert.DoesNotContain("xoxb", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailureAfterSomePages_ReportsPostedIds_AndMaybePosted()
    {
        var post = _platform.PostAsync(new ChannelRef("slack", "C_PART"), BigDigest(120), CancellationToken.None);
        await _fake.WaitUntilAsync(() => _fake.CallsTo("chat.postMessage").Count == 1, "first page", whileWaiting: () => _clock.Advance(TimeSpan.FromMilliseconds(100)));
        _fake.ScriptError("chat.postMessage", "channel_not_found");
        var ex = await Assert.ThrowsAsync<ChatPlatformException>(async () => await RunWithClockAsync(post));
        Assert.Equal("channel_not_found", ex.ErrorName);
        Assert.True(ex.Permanent);
        Assert.True(ex.MaybePosted);
        Assert.Single(ex.PostedMessageIds);
        Assert.Equal(2, _fake.CallsTo("chat.postMessage").Count);
    }

    [Fact]
    public async Task ServerErrorOnPost_IsUncertain_NotPermanent()
    {
        using var api = new SlackWebApiClient(Options.Create(new SlackOptions { BotToken = "xoxb-test", ApiBaseUrl = _fake.ApiBaseUrl, MaxServerErrorRetries = 0 }), _clock, NullLogger<SlackWebApiClient>.Instance);
        var platform = new SlackPlatform(api, new SlackRenderer(), Options.Create(new SlackOptions()), _clock);
        _fake.Script("chat.postMessage", 503, "unavailable");
        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() => platform.PostAsync(new ChannelRef("slack", "C1"), BigDigest(4), CancellationToken.None));
        Assert.Equal("http_503", ex.ErrorName);
        Assert.False(ex.Permanent);
        Assert.True(ex.MaybePosted);
        Assert.Empty(ex.PostedMessageIds);
    }

    [Fact]
    public async Task HostileDigestText_IsEscaped()
    {
        var message = new BotMessage("<!channel> 제목", [new BotSection("<!here>", [new BotItem("<@U123> & <!everyone> *굵게*")])], Language.Korean, "<!subteam^S1>");
        await _platform.PostAsync(new ChannelRef("slack", "C1"), message, CancellationToken.None);
        var post = _fake.Posts.Single();
        SlackAssert.ValidMessage(post);
        Assert.Contains("&lt;@U123&gt; &amp; &lt;!everyone&gt;", string.Join("\n", SlackAssert.MrkdwnTexts(post)), StringComparison.Ordinal);
    }

    [Fact]
    public void Name_IsSlack() => Assert.Equal("slack", _platform.Name);
}
