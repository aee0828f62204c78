using Bot.TestSupport;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.WebApi;

/// <summary>Web API behaviour against the fake (checklist 42-43).</summary>
public sealed class SlackWebApiClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly LogSink _logs = new();
    private FakeSlack _fake = null!;
    private SlackWebApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeSlack.StartAsync(_clock);
        _client = NewClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _fake.DisposeAsync();
    }

    private SlackWebApiClient NewClient(Action<SlackOptions>? configure = null)
    {
        var options = new SlackOptions { BotToken = "xoxb-test", AppToken = "xapp-test", ApiBaseUrl = _fake.ApiBaseUrl };
        configure?.Invoke(options);
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs));
        return new SlackWebApiClient(Options.Create(options), _clock, factory.CreateLogger<SlackWebApiClient>());
    }

    private static SlackMessage Message(string text) =>
        new(text, new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } }));

    // checklist 42
    [Theory]
    [InlineData("not_in_channel")]
    [InlineData("channel_not_found")]
    [InlineData("msg_too_long")]
    [InlineData("invalid_blocks")]
    [InlineData("is_archived")]
    public async Task OkFalse_SurfacedByName_WithoutRetry(string error)
    {
        _fake.ScriptError("chat.postMessage", error);
        var ex = await Assert.ThrowsAsync<SlackApiException>(() => _client.PostMessageAsync("C1", Message("안녕"), null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(error, ex.Error);
        Assert.Equal("chat.postMessage", ex.Method);
        await Task.Delay(50);
        Assert.Single(_fake.CallsTo("chat.postMessage"));
    }

    // checklist 42
    [Fact]
    public async Task Http429_WaitsRetryAfterOnTheClock_ThenRetriesOnce()
    {
        _fake.Script("chat.postMessage", 429, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "3"));
        var post = _client.PostMessageAsync("C1", Message("안녕"), null, CancellationToken.None);
        await _fake.WaitUntilAsync(() => _fake.CallsTo("chat.postMessage").Count == 1, "first call");
        await Task.Delay(100);
        Assert.False(post.IsCompleted);
        while (!post.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }

        var ts = await post;
        Assert.StartsWith("1754000001.", ts, StringComparison.Ordinal);
        var calls = _fake.CallsTo("chat.postMessage");
        Assert.Equal(2, calls.Count);
        var waited = calls[1].ClockAt - calls[0].ClockAt;
        Assert.True(waited >= TimeSpan.FromSeconds(3), $"retried after {waited.TotalSeconds} s");
        Assert.True(waited < TimeSpan.FromSeconds(5), $"retried only after {waited.TotalSeconds} s");
    }

    // checklist 42
    [Fact]
    public async Task RatelimitedError_OnHttp200_AlsoWaitsAndPausesThatMethodOnly()
    {
        _fake.Script("chat.postMessage", 200, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "5"));
        var first = _client.PostMessageAsync("C1", Message("하나"), null, CancellationToken.None);
        await _fake.WaitUntilAsync(() => _fake.CallsTo("chat.postMessage").Count == 1, "first call");
        await Task.Delay(50);
        var second = _client.PostMessageAsync("C2", Message("둘"), null, CancellationToken.None);
        var auth = await _client.AuthTestAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); // other methods are not paused
        Assert.Equal("U_BOT", auth.UserId);
        Assert.Equal("B_BOT", auth.BotId);
        await Task.Delay(100);
        Assert.Single(_fake.CallsTo("chat.postMessage")); // the queue of chat.postMessage is paused for both posts

        var both = Task.WhenAll(first, second);
        while (!both.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }

        await both;
        Assert.Equal(3, _fake.CallsTo("chat.postMessage").Count);
        Assert.All(_fake.CallsTo("chat.postMessage").Skip(1), c => Assert.True(c.ClockAt - _fake.CallsTo("chat.postMessage")[0].ClockAt >= TimeSpan.FromSeconds(5)));
    }

    // checklist 42
    [Fact]
    public async Task RateLimit_RetriesAreBounded()
    {
        using var client = NewClient(o => o.MaxRateLimitRetries = 2);
        for (var i = 0; i < 5; i++)
        {
            _fake.Script("chat.postMessage", 429, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "1"));
        }

        var post = client.PostMessageAsync("C1", Message("안녕"), null, CancellationToken.None);
        while (!post.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10);
        }

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => post);
        Assert.Equal("ratelimited", ex.Error);
        Assert.Equal(3, _fake.CallsTo("chat.postMessage").Count);
    }

    // checklist 42 (transport 5xx)
    [Fact]
    public async Task ServerErrors_BoundedRetriesWithBackoff()
    {
        _fake.Script("chat.postMessage", 503, "unavailable");
        _fake.Script("chat.postMessage", 502, "bad gateway");
        _fake.Script("chat.postMessage", 500, "oops");
        var post = _client.PostMessageAsync("C1", Message("안녕"), null, CancellationToken.None);
        while (!post.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => post);
        Assert.Equal("http_500", ex.Error);
        var calls = _fake.CallsTo("chat.postMessage");
        Assert.Equal(3, calls.Count); // 1 + MaxServerErrorRetries (2)
        Assert.True(calls[1].ClockAt - calls[0].ClockAt >= TimeSpan.FromMilliseconds(500), "first retry waits 0.5 s");
        Assert.True(calls[2].ClockAt - calls[1].ClockAt >= TimeSpan.FromMilliseconds(1000), "second retry waits 1 s");

        _fake.Script("chat.postMessage", 502, "bad gateway");
        var ok = _client.PostMessageAsync("C1", Message("안녕"), null, CancellationToken.None);
        while (!ok.IsCompleted)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }

        Assert.False(string.IsNullOrEmpty(await ok));
    }

    // checklist 42
    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("token_revoked")]
    [InlineData("account_inactive")]
    public async Task DeadToken_StopsFurtherCalls_SignalsOwner_NoTokenLeaked(string error)
    {
        _fake.ScriptError("chat.postMessage", error);
        var first = await Assert.ThrowsAsync<SlackApiException>(() => _client.PostMessageAsync("C1", Message("안녕"), null, CancellationToken.None));
        var second = await Assert.ThrowsAsync<SlackApiException>(() => _client.PostMessageAsync("C1", Message("안녕"), null, CancellationToken.None));
        var third = await Assert.ThrowsAsync<SlackApiException>(() => _client.AuthTestAsync(CancellationToken.None));
        Assert.Equal(error, first.Error);
        Assert.Equal(error, second.Error);
        Assert.Equal(error, third.Error);
        Assert.True(first.IsAuthFatal);
        Assert.Single(_fake.Calls);
        Assert.Equal(error, await _client.BotTokenRejected.WaitAsync(TimeSpan.FromSeconds(1)));
        foreach (var text in _logs.Lines.Concat([first.ToString(), second.ToString(), third.ToString()]))
        {
            Assert.DoesNotContain("xoxb-test", text, StringComparison.Ordinal);
        }

        // the app token is a different token and still works
        var url = await _client.OpenConnectionAsync(CancellationToken.None);
        Assert.Equal("ws", url.Scheme);
    }

    // checklist 43
    [Fact]
    public async Task JsonWithCharset_KoreanRoundTripsByteExact()
    {
        const string korean = "기준금리 관련 기사 — “인용” 😀 한글 ㄱㄴ ﾊﾝ R&D <태그>";
        await _client.PostMessageAsync("C1", Message(korean), "1754000000.000100", CancellationToken.None);
        var call = _fake.CallsTo("chat.postMessage").Single();
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        Assert.Equal("Bearer xoxb-test", call.Authorization);
        Assert.Equal(korean, call.Json!["text"]!.GetValue<string>());
        Assert.Equal(korean, call.Json["blocks"]![0]!["text"]!["text"]!.GetValue<string>());
        Assert.True(call.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes("기준금리 관련 기사")) >= 0, "Korean sent as raw UTF-8");
        Assert.Equal("1754000000.000100", call.Json["thread_ts"]!.GetValue<string>());
        Assert.False(call.Json["unfurl_links"]!.GetValue<bool>());
        Assert.False(call.Json["unfurl_media"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ApiBaseUrl_WithoutTrailingSlash_StillCallsMethodsUnderIt()
    {
        using var client = NewClient(o => o.ApiBaseUrl = new Uri(_fake.ApiBaseUrl.ToString().TrimEnd('/')));
        var identity = await client.AuthTestAsync(CancellationToken.None);
        Assert.Equal("U_BOT", identity.UserId);
    }

    [Fact]
    public async Task EmptyText_NeverSent()
    {
        await _client.PostMessageAsync("C1", new SlackMessage("  ", []), null, CancellationToken.None);
        Assert.False(string.IsNullOrWhiteSpace(_fake.Posts.Single()["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AppsConnectionsOpen_UsesAppToken_AuthTestUsesBotToken()
    {
        await _client.OpenConnectionAsync(CancellationToken.None);
        await _client.AuthTestAsync(CancellationToken.None);
        Assert.Equal("Bearer xapp-test", _fake.CallsTo("apps.connections.open").Single().Authorization);
        Assert.Equal("Bearer xoxb-test", _fake.CallsTo("auth.test").Single().Authorization);
    }

    [Fact]
    public async Task ResponseUrl_PostsJsonWithResponseType_AndSurfacesFailures()
    {
        await _client.PostToResponseUrlAsync(_fake.ResponseUrl("r1"), Message("답변"), "in_channel", CancellationToken.None);
        var post = _fake.ResponsePosts.Single();
        Assert.Equal("in_channel", post.Json!["response_type"]!.GetValue<string>());
        Assert.Equal("application/json; charset=utf-8", post.ContentType);

        _fake.Script("response_url", 404, "expired_url");
        var ex = await Assert.ThrowsAsync<SlackApiException>(() => _client.PostToResponseUrlAsync(_fake.ResponseUrl("r2"), Message("답변"), "ephemeral", CancellationToken.None));
        Assert.Equal("expired_url", ex.Error);
        Assert.Equal(2, _fake.ResponsePosts.Count);
    }
}
