using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;

using Bot.TestSupport;

namespace Bot.Slack.Tests.Http;

/// <summary>Signed HTTP receiver (checklist 36-37), driven by the fake's signed sender.</summary>
public sealed class SlackHttpReceiverTests
{
    private static readonly HttpClient Client = new();

    private static async Task<(SlackTestHost Host, Uri Url)> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var host = await SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Slack:SigningSecret"] = SlackTestHost.SigningSecret;
            c["Slack:HttpListenUrl"] = "http://127.0.0.1:0";
            configure?.Invoke(c);
        }, socketMode: false);
        var url = new Uri(host.Hosted.HttpReceiver.Urls[0].TrimEnd('/') + "/slack/events");
        return (host, url);
    }

    private static long Now(SlackTestHost host) => host.Clock.GetUtcNow().ToUnixTimeSeconds();

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    // checklist 36
    [Fact]
    public async Task UrlVerification_AnsweredWithChallenge()
    {
        var (host, url) = await StartAsync();
        await using var _h = host;
        var body = Json(new JsonObject { ["token"] = "x", ["challenge"] = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", ["type"] = "url_verification" });
        using var response = await FakeSlack.SendSignedAsync(Client, url, "application/json", body, SlackTestHost.SigningSecret, Now(host));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", json["challenge"]!.GetValue<string>());
    }

    // checklist 36
    [Fact]
    public async Task BadMissingOrStaleSignature_401_NothingProcessed()
    {
        var (host, url) = await StartAsync();
        await using var _h = host;
        byte[] Event(string id) => Json(FakeSlack.EventCallback(id, FakeSlack.Mention("<@U_BOT> 딥시크 본사")));

        using var wrongSecret = await FakeSlack.SendSignedAsync(Client, url, "application/json", Event("Ev1"), "some-other-secret", Now(host));
        using var missing = await FakeSlack.SendSignedAsync(Client, url, "application/json", Event("Ev2"), null, Now(host));
        using var stale = await FakeSlack.SendSignedAsync(Client, url, "application/json", Event("Ev3"), SlackTestHost.SigningSecret, Now(host) - 301);
        using var future = await FakeSlack.SendSignedAsync(Client, url, "application/json", Event("Ev4"), SlackTestHost.SigningSecret, Now(host) + 301);

        // signature over a different body (tampered after signing)
        var original = Event("Ev5");
        var ts = Now(host);
        using var tamperedRequest = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Event("Ev6")) };
        tamperedRequest.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        tamperedRequest.Headers.Add("X-Slack-Request-Timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        tamperedRequest.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(Bot.Slack.Http.SlackSignatureVerifier.Compute(
            Encoding.UTF8.GetBytes(SlackTestHost.SigningSecret), ts.ToString(System.Globalization.CultureInfo.InvariantCulture), original)));
        using var tampered = await Client.SendAsync(tamperedRequest);

        foreach (var r in new[] { wrongSecret, missing, stale, future, tampered })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        // a stale url_verification is refused too
        using var staleChallenge = await FakeSlack.SendSignedAsync(Client, url, "application/json",
            Json(new JsonObject { ["challenge"] = "c", ["type"] = "url_verification" }), SlackTestHost.SigningSecret, Now(host) - 600);
        Assert.Equal(HttpStatusCode.Unauthorized, staleChallenge.StatusCode);

        // within the window it is accepted (4:59 old)
        using var ok = await FakeSlack.SendSignedAsync(Client, url, "application/json", Event("Ev7"), SlackTestHost.SigningSecret, Now(host) - 299);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "the valid event answered");
        await Task.Delay(150);
        Assert.Single(host.Handler.Calls);
        Assert.Single(host.Fake.Posts);
    }

    // checklist 36
    [Fact]
    public async Task SslCheck_200_AndNothingElseProcessed()
    {
        var (host, url) = await StartAsync();
        await using var _h = host;
        var body = FakeSlack.Form(("ssl_check", "1"), ("token", "x"), ("command", "/ask"), ("text", "딥시크"),
            ("response_url", host.Fake.ResponseUrl("ssl").ToString()), ("channel_id", "C9"));
        using var response = await FakeSlack.SendSignedAsync(Client, url, "application/x-www-form-urlencoded", body, null, Now(host));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        await Task.Delay(150);
        Assert.Empty(host.Handler.Calls);
        Assert.Empty(host.Fake.ResponsePosts);
    }

    // checklist 37
    [Fact]
    public async Task Retries_DedupedByEventId_And200WithinThreeSecondsWhileHandlerIsSlow()
    {
        var (host, url) = await StartAsync();
        await using var _h = host;
        host.Handler.Hold();
        var body = Json(FakeSlack.EventCallback("Ev-retry", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?", ts: "1754000000.000900")));
        var started = DateTimeOffset.UtcNow;
        using var first = await FakeSlack.SendSignedAsync(Client, url, "application/json", body, SlackTestHost.SigningSecret, Now(host));
        var elapsed = DateTimeOffset.UtcNow - started;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"took {elapsed.TotalMilliseconds} ms");
        Assert.Empty(host.Fake.Posts); // the answer is still being worked on

        for (var retry = 1; retry <= 3; retry++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            using var again = await FakeSlack.SendSignedAsync(Client, url, "application/json", body, SlackTestHost.SigningSecret, Now(host),
                ("X-Slack-Retry-Num", retry.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("X-Slack-Retry-Reason", "http_timeout"));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        host.Handler.Release();
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "one answer");
        await Task.Delay(150);
        Assert.Single(host.Fake.Posts);
        Assert.Single(host.Handler.Calls);
        Assert.Equal("1754000000.000900", host.Fake.Posts[0]["thread_ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task SlashCommandForm_AckedWithWorking_AnswerOnResponseUrl()
    {
        var (host, url) = await StartAsync();
        await using var _h = host;
        var body = FakeSlack.Form(("token", "x"), ("team_id", "T1"), ("channel_id", "C9"), ("user_id", "U7"), ("command", "/ask"),
            ("text", "딥시크 본사는 어디에 있나요?"), ("response_url", host.Fake.ResponseUrl("h1").ToString()), ("trigger_id", "1.2.3"));
        using var response = await FakeSlack.SendSignedAsync(Client, url, "application/x-www-form-urlencoded", body, SlackTestHost.SigningSecret, Now(host));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", ack["response_type"]!.GetValue<string>());
        var post = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "answer");
        Assert.Equal("in_channel", post.Json!["response_type"]!.GetValue<string>());
        Assert.Equal("딥시크 본사는 어디에 있나요?", host.Handler.Calls.Single().Text);
    }

    [Fact]
    public async Task InteractivityForm_FindSourcesShortcut_AnsweredInThread()
    {
        var (host, url) = await StartAsync();
        await using var _h = host;
        var payload = FakeSlack.ShortcutPayload("딥시크 본사는 항저우에 있다", "1754000400.000100", null, host.Fake.ResponseUrl("h2").ToString());
        var body = FakeSlack.Form(("payload", payload.ToJsonString()));
        using var response = await FakeSlack.SendSignedAsync(Client, url, "application/x-www-form-urlencoded", body, SlackTestHost.SigningSecret, Now(host));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        Assert.Equal("1754000400.000100", post["thread_ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedSignedBody_400_NoCrash()
    {
        var (host, url) = await StartAsync();
        await using var _h = host;
        using var response = await FakeSlack.SendSignedAsync(Client, url, "application/json", Encoding.UTF8.GetBytes("{not json"), SlackTestHost.SigningSecret, Now(host));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var ok = await FakeSlack.SendSignedAsync(Client, url, "application/json",
            Json(new JsonObject { ["challenge"] = "still-alive", ["type"] = "url_verification" }), SlackTestHost.SigningSecret, Now(host));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    // issue 14: a slow body is a timeout (408), not "too large" (413)
    [Fact]
    public async Task SlowBody_408NotTooLarge_AndReceiverStillServes()
    {
        var (host, url) = await StartAsync(c => c["Slack:RequestBodyTimeout"] = "00:00:05");
        await using var _h = host;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();

        // headers promise 1000 bytes; only the first few ever arrive
        var head = $"POST {url.AbsolutePath} HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"type\":";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.FlushAsync();
        var statusLine = ReadStatusLineAsync(stream);

        var started = host.Clock.GetUtcNow();
        await host.WaitWithClockAsync(() => statusLine.IsCompleted, "an answer to the stalled body", TimeSpan.FromMilliseconds(500));
        Assert.StartsWith("HTTP/1.1 408", await statusLine, StringComparison.Ordinal);
        Assert.True(host.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(5), "not before Slack:RequestBodyTimeout");
        Assert.Contains(host.Logs.Lines, l => l.Contains("rejected (408)", StringComparison.Ordinal));

        using var ok = await FakeSlack.SendSignedAsync(Client, url, "application/json",
            Json(new JsonObject { ["challenge"] = "still-alive", ["type"] = "url_verification" }), SlackTestHost.SigningSecret, Now(host));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    private static async Task<string> ReadStatusLineAsync(System.Net.Sockets.NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != (byte)'\n')
        {
            bytes.Add(one[0]);
        }

        return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
    }

    // issue 14: anyone can send unsigned requests; the log gets at most one line per interval, with a count
    [Fact]
    public async Task UnsignedFlood_OneWarningPerInterval_NextLineCountsTheSuppressed()
    {
        var (host, url) = await StartAsync(c => c["Slack:RejectedLogInterval"] = "00:01:00");
        await using var _h = host;
        string[] Rejections() => host.Logs.Lines.Where(l => l.Contains("Slack HTTP request rejected", StringComparison.Ordinal)).ToArray();
        var body = Json(FakeSlack.EventCallback("Ev-flood", FakeSlack.Mention("<@U_BOT> 딥시크")));

        for (var i = 0; i < 50; i++)
        {
            using var r = await FakeSlack.SendSignedAsync(Client, url, "application/json", body, i % 2 == 0 ? null : "wrong-secret", Now(host));
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        Assert.Single(Rejections());
        Assert.Contains("0 more rejected", Rejections()[0], StringComparison.Ordinal);

        host.Clock.Advance(TimeSpan.FromSeconds(59));
        using (var r = await FakeSlack.SendSignedAsync(Client, url, "application/json", body, null, Now(host)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        Assert.Single(Rejections());
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        using (var r = await FakeSlack.SendSignedAsync(Client, url, "application/json", body, null, Now(host)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        var lines = Rejections();
        Assert.Equal(2, lines.Length);
        Assert.Contains("50 more rejected", lines[1], StringComparison.Ordinal);
        Assert.Empty(host.Handler.Calls);
    }
}
