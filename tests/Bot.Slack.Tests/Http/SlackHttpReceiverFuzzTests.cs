using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.SocketMode;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Http;

/// <summary>
/// Issue 14: thousands of seeded random requests to the HTTP receiver: random bytes and random JSON, as JSON, forms
/// (payload=…, command=…, random fields) and other content types; most correctly signed so that they reach the parsers.
/// Every answer is 200, 400, 401 or 413 (never 500, never a dropped connection), nothing is logged as an error, and a
/// valid event afterwards is still answered.
/// </summary>
public sealed class SlackHttpReceiverFuzzTests
{
    private const int Seed = 14_001;
    private const int Cases = 2000;

    [Fact]
    public async Task RandomRequests_NoServerErrorNoErrorLog_ValidEventStillAnswered()
    {
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Slack:SigningSecret"] = SlackTestHost.SigningSecret;
            c["Slack:HttpListenUrl"] = "http://127.0.0.1:0";
        }, socketMode: false);
        var url = new Uri(host.Hosted.HttpReceiver.Urls[0].TrimEnd('/') + "/slack/events");
        using var client = new HttpClient();
        var now = host.Clock.GetUtcNow().ToUnixTimeSeconds();
        var fuzz = new Fuzz(Seed);
        var statuses = new Dictionary<HttpStatusCode, int>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            var (contentType, body) = Request(fuzz, host, i);
            var secret = fuzz.Random.Next(10) switch { 0 => null, 1 => "wrong-secret", _ => SlackTestHost.SigningSecret };
            using var response = await FakeSlack.SendSignedAsync(client, url, contentType, body, secret, now);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.RequestEntityTooLarge))
            {
                var text = Encoding.UTF8.GetString(body);
                Assert.Fail($"case {i} ({contentType}): {(int)response.StatusCode} for {text[..Math.Min(200, text.Length)]}");
            }
        }

        var valid = Encoding.UTF8.GetBytes(FakeSlack.EventCallback("Ev-after-http-fuzz", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?", ts: "1754009999.000002")).ToJsonString());
        using (var ok = await FakeSlack.SendSignedAsync(client, url, "application/json", valid, SlackTestHost.SigningSecret, now))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Any(p => p["thread_ts"]?.GetValue<string>() == "1754009999.000002"), "the valid event answered");
        watch.Stop();

        Assert.True(statuses.Count >= 3, string.Join(", ", statuses)); // the cases reached more than one code path
        var errors = host.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message + " " + e.Exception).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(5)));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Exception is not null);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    private static (string ContentType, byte[] Body) Request(Fuzz f, SlackTestHost host, int i)
    {
        const string Json = "application/json";
        const string Form = "application/x-www-form-urlencoded";
        switch (f.Random.Next(8))
        {
            case 0:
                return (f.Pick(Json, Form, "text/plain", "application/octet-stream"), f.Bytes(2048));
            case 1:
                return (Json, Encoding.UTF8.GetBytes(f.Value()?.ToJsonString() ?? "null"));
            case 2:
            case 3:
                var callback = SocketModeFuzzTests.EventCallback(f, i);
                if (f.Random.Next(3) == 0)
                {
                    callback["type"] = f.Pick("url_verification", "app_rate_limited", "event_callback");
                    callback["challenge"] = f.Sometimes("c" + i);
                }

                return (Json, Encoding.UTF8.GetBytes(callback.ToJsonString()));
            case 4:
                var payload = f.Random.Next(4) == 0 ? f.Text(200) : SocketModeFuzzTests.Interactive(f, host, i).ToJsonString();
                return (Form, FakeSlack.Form(("payload", payload)));
            case 5:
                return (Form, FakeSlack.Form(
                    ("command", f.Pick("/ask", "/search", "/source", "/help", "", f.Text(10))),
                    ("text", f.Pick("딥시크", "", "What is DeepSeek?", f.Text(100))),
                    ("response_url", f.Pick(host.Fake.ResponseUrl("h" + i).ToString(), "", "/etc/passwd", "file:///tmp/x", f.Text(20))),
                    ("channel_id", f.Pick("C9", "D42", "")),
                    ("trigger_id", "fz-http-" + i)));
            case 6:
                var fields = Enumerable.Range(0, f.Random.Next(5)).Select(_ => (f.Key(), f.Text(30))).ToArray();
                return (Form, FakeSlack.Form(fields));
            default:
                // broken form encodings
                return (Form, Encoding.UTF8.GetBytes(f.Pick("%", "a=%zz&b", "payload=%7B", "ssl_check=0&command", "&&&==", f.Text(100))));
        }
    }
}
