using System.Net;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Rest;

/// <summary>Checklist items 17-20: rate limits, error handling and retries, against the fake REST routes.</summary>
public sealed class DiscordRestClientTests
{
    private const string ChannelA = "1200000000000000011";
    private const string ChannelB = "1200000000000000022";

    private static Task Settle() => Task.Delay(150);

    private static DiscordMessagePayload Hello(string text = "안녕하세요") => new() { Content = text };

    private static bool PostTo(RecordedRequest r, string channel) => r.Method == "POST" && r.Path == $"/channels/{channel}/messages";

    [Fact]
    public async Task Request_HasUserAgentJsonAndBotAuthorization_KoreanRoundTrips()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        await host.Rest.CreateMessageAsync(ChannelA, Hello("기준금리 🇰🇷 테스트"), CancellationToken.None);
        var r = Assert.Single(host.Fake.Requests);
        Assert.Equal("Bot " + DiscordTestHost.Token, r.Header("authorization"));
        Assert.Equal(DiscordRestClient.UserAgent, r.Header("user-agent"));
        Assert.StartsWith("application/json", r.Header("content-type"), StringComparison.Ordinal);
        Assert.Equal("기준금리 🇰🇷 테스트", r.Json!["content"]!.GetValue<string>());
        Assert.Contains("기준금리", r.Body, StringComparison.Ordinal);
        Assert.Equal("[]", r.Json!["allowed_mentions"]!["parse"]!.ToJsonString());
    }

    [Fact] // 17
    public async Task RateLimited429_WaitsRetryAfterOnThatBucketOnly_ThenRetries()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        host.Fake.Script(r => PostTo(r, ChannelA), FakeResponse.RateLimited(2.5));
        var pending = host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Requests.Count == 1 && host.Fake.Requests.First().Status == 429, "429 answered");
        await Settle();

        // Another channel (another bucket) is not held up.
        await host.Rest.CreateMessageAsync(ChannelB, Hello(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        host.Time.Advance(TimeSpan.FromSeconds(2.4));
        await Settle();
        Assert.False(pending.IsCompleted);
        Assert.Single(host.Fake.Requests, r => PostTo(r, ChannelA));

        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        await pending.WaitAsync(TimeSpan.FromSeconds(5));
        var retries = host.Fake.Requests.Where(r => PostTo(r, ChannelA)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.True(retries[1].At - retries[0].At >= TimeSpan.FromSeconds(2.5));
    }

    [Fact] // 17
    public async Task GlobalRateLimit_PausesEveryRoute()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        host.Fake.Script(r => PostTo(r, ChannelA), FakeResponse.RateLimited(1.5, global: true));
        var first = host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Requests.Count == 1 && host.Fake.Requests.First().Status == 429, "429");
        await Settle();
        var other = host.Rest.CreateMessageAsync(ChannelB, Hello(), CancellationToken.None);
        await Settle();
        Assert.False(other.IsCompleted);
        Assert.Single(host.Fake.Requests);

        host.Time.Advance(TimeSpan.FromSeconds(1.5));
        await Task.WhenAll(first, other).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, host.Fake.Requests.Count);
    }

    [Fact] // 18
    public async Task BucketHeaders_RemainingZero_NextCallWaitsResetAfter_OtherMajorParameterDoesNot()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        host.Fake.Script(
            r => PostTo(r, ChannelA),
            new FakeResponse(200, "{\"id\":\"1\"}", new Dictionary<string, string>
            {
                ["X-RateLimit-Limit"] = "5",
                ["X-RateLimit-Remaining"] = "0",
                ["X-RateLimit-Reset-After"] = "3.25",
                ["X-RateLimit-Bucket"] = "abcd1234",
            }));
        await host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None);

        var second = host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None);
        await host.Rest.CreateMessageAsync(ChannelB, Hello(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        await Settle();
        Assert.False(second.IsCompleted);
        Assert.Single(host.Fake.Requests, r => PostTo(r, ChannelA));

        host.Time.Advance(TimeSpan.FromSeconds(3.2));
        await Settle();
        Assert.False(second.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(0.05));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, host.Fake.Requests.Count(r => PostTo(r, ChannelA)));
    }

    [Fact] // 18
    public async Task BucketHeaders_RemainingCountsDownLocally_AndRouteIsRemappedToTheBucketHash()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        host.Fake.Script(
            r => PostTo(r, ChannelA),
            new FakeResponse(200, "{\"id\":\"1\"}", new Dictionary<string, string>
            {
                ["X-RateLimit-Limit"] = "2",
                ["X-RateLimit-Remaining"] = "1",
                ["X-RateLimit-Reset-After"] = "4",
                ["X-RateLimit-Bucket"] = "shared-hash",
            }));
        await host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None);
        await host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        // The fake sent no headers on the second answer; the one remaining slot was used, so the third call waits.
        var third = host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None);
        await Settle();
        Assert.False(third.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(4));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, host.Fake.Requests.Count);
    }

    [Fact]
    public async Task Buckets_PerInteraction_AreBounded()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        for (var i = 0; i < 6000; i++)
        {
            await host.Rest.Limiter.AcquireAsync(new RestRoute(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "/x"), true, CancellationToken.None);
        }

        Assert.True(host.Rest.Limiter.TrackedBuckets <= 5000);
    }

    [Fact] // 19
    public async Task Unauthorized_StopsCallingAndReportsOnce()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        host.Fake.Script(r => true, FakeResponse.Error(401, 0, "401: Unauthorized"), once: false);
        var ex = await Assert.ThrowsAsync<DiscordApiException>(() => host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, ex.Status);
        Assert.True(host.Rest.IsUnauthorized);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<DiscordApiException>(() => host.Rest.CreateMessageAsync(ChannelB, Hello(), CancellationToken.None));
        }

        Assert.Single(host.Fake.Requests);
        Assert.Single(host.Logs.WithEvent(1103));
        Assert.DoesNotContain(DiscordTestHost.Token, ex.Message, StringComparison.Ordinal);
    }

    [Theory] // 19
    [InlineData(403, 50013, "50013")]
    [InlineData(404, 10003, "10003")]
    [InlineData(403, 50001, "50001")]
    public async Task DigestPostRefused_PermanentChatPlatformException_NoRetry(int status, int code, string errorName)
    {
        await using var host = await DiscordTestHost.CreateAsync();
        host.Fake.Script(r => true, FakeResponse.Error(status, code, "refused"), once: false);
        var platform = host.Services.GetRequiredService<IChatPlatform>();
        Assert.Equal("discord", platform.Name);
        var message = new BotMessage("오늘의 요약", [new BotSection("딥시크", [new BotItem("항목 하나")])], Language.Korean);
        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() => platform.PostAsync(new ChannelRef("discord", ChannelA), message, CancellationToken.None));
        Assert.True(ex.Permanent);
        Assert.Equal(errorName, ex.ErrorName);
        Assert.Equal("discord", ex.Platform);
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await Settle();
        Assert.Single(host.Fake.Requests);
        Assert.Single(host.Logs.WithEvent(1208));
    }

    [Fact] // 19
    public async Task Webhook404_NotRetried()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        host.Fake.Script(r => r.Method == "PATCH", FakeResponse.Error(404, 10015, "Unknown Webhook"), once: false);
        var ex = await Assert.ThrowsAsync<DiscordApiException>(() =>
            host.Rest.EditOriginalResponseAsync(FakeDiscordServer.AppId, "secret-interaction-token", Hello(), CancellationToken.None));
        Assert.Equal(10015, ex.Code);
        Assert.DoesNotContain("secret-interaction-token", ex.Message, StringComparison.Ordinal);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await Settle();
        Assert.Single(host.Fake.Requests);
        Assert.Null(host.Fake.Requests.Single().Header("authorization"));
    }

    [Fact] // 20
    public async Task ServerErrors_BoundedRetriesWithGrowingBackoff_ThenSuccess()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:RetryBaseDelay"] = "00:00:01");
        host.Fake.Script(r => PostTo(r, ChannelA), FakeResponse.Error(502, 0, "Bad Gateway"));
        host.Fake.Script(r => PostTo(r, ChannelA), FakeResponse.Error(500, 0, "Internal"));
        var pending = host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Requests.Count == 1, "first");
        await Settle();
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Requests.Count == 2, "second");
        await Settle();
        host.Time.Advance(TimeSpan.FromSeconds(1.9));
        await Settle();
        Assert.Equal(2, host.Fake.Requests.Count);
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, host.Fake.Requests.Count);
        Assert.Single(host.Fake.CreatedMessages);
    }

    [Fact] // 20
    public async Task ServerErrors_GiveUpAfterMaxRetries()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:MaxRetries"] = "2");
        host.Fake.Script(r => true, FakeResponse.Error(503, 0, "Unavailable"), once: false);
        var ex = await Assert.ThrowsAsync<DiscordApiException>(() => host.Rest.CreateMessageAsync(ChannelA, Hello(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.Status);
        Assert.Equal(3, host.Fake.Requests.Count);
    }

    [Fact] // 20
    public async Task Timeout_RetriesWithSameNonce_NoDuplicateMessage()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:RequestTimeout"] = "00:00:05");
        var release = new TaskCompletionSource();
        host.Fake.Script(r => PostTo(r, ChannelA), new FakeResponse(200, "{\"id\":\"slow\"}") { Hold = release.Task });
        var payload = Hello() with { Nonce = "n-12345", EnforceNonce = true };
        var pending = host.Rest.CreateMessageAsync(ChannelA, payload, CancellationToken.None);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Requests.Count == 1, "first attempt");
        await Settle();
        host.Time.Advance(TimeSpan.FromSeconds(5));
        await pending.WaitAsync(TimeSpan.FromSeconds(5));
        release.SetResult();
        var posts = host.Fake.Requests.Where(r => PostTo(r, ChannelA)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("n-12345", p.Json!["nonce"]!.GetValue<string>()));
        Assert.All(posts, p => Assert.True(p.Json!["enforce_nonce"]!.GetValue<bool>()));
        Assert.Single(host.Fake.CreatedMessages);
    }

    [Fact] // 23
    public async Task Followup_PostsToWebhookWithoutAuthorization()
    {
        await using var host = await DiscordTestHost.CreateAsync();
        await host.Rest.CreateFollowupAsync(FakeDiscordServer.AppId, "tok", Hello() with { Flags = 64 }, CancellationToken.None);
        var r = Assert.Single(host.Fake.Requests);
        Assert.Equal($"/webhooks/{FakeDiscordServer.AppId}/tok", r.Path);
        Assert.Null(r.Header("authorization"));
        Assert.Equal(64, r.Json!["flags"]!.GetValue<int>());
    }
}
