using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Bot.TestSupport;

namespace Bot.Slack.Tests;

/// <summary>Issue 14: the adapter's lifecycle when parts of the environment fail.</summary>
public sealed class SlackHostedServiceTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);
    private static readonly HttpClient Client = new();

    private static async Task StartWithoutWaitingAsync(SlackTestHost host)
    {
        foreach (var hosted in host.Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task HttpPortInUse_LoggedAndRetried_ListensOncePortIsFree_SocketModeUnaffected()
    {
        var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Slack:SigningSecret"] = SlackTestHost.SigningSecret;
            c["Slack:HttpListenUrl"] = $"http://127.0.0.1:{port}";
        });

        // Socket Mode (the other receiver) comes up although the HTTP port is taken
        await host.Fake.WaitForSocketAsync(1);
        await host.Fake.WaitUntilAsync(() => host.Logs.Lines.Any(l => l.Contains("cannot listen on", StringComparison.Ordinal)), "the port problem logged");
        Assert.Empty(host.Hosted.HttpReceiver.Urls);
        Assert.False(host.Hosted.StoppedForGood.IsCompleted);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Message.Contains("cannot listen on", StringComparison.Ordinal) && e.Exception is not null);

        busy.Stop();
        await host.WaitWithClockAsync(() => host.Hosted.HttpReceiver.Urls.Count > 0, "listening after a retry", TimeSpan.FromSeconds(1));
        var url = new Uri($"http://127.0.0.1:{port}/slack/events");
        using var ok = await FakeSlack.SendSignedAsync(Client, url, "application/json",
            Encoding.UTF8.GetBytes(new JsonObject { ["challenge"] = "c1", ["type"] = "url_verification" }.ToJsonString()), SlackTestHost.SigningSecret,
            host.Clock.GetUtcNow().ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task HttpReceiver_ListensWhileAuthTestFails()
    {
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Slack:SigningSecret"] = SlackTestHost.SigningSecret;
            c["Slack:HttpListenUrl"] = "http://127.0.0.1:0";
        }, socketMode: false, start: false, beforeStart: f =>
        {
            for (var i = 0; i < 20; i++)
            {
                f.Script("auth.test", 503, "");
            }
        });
        await StartWithoutWaitingAsync(host);
        await host.Fake.WaitUntilAsync(() => host.Hosted.HttpReceiver.Urls.Count > 0, "listening");
        await host.Fake.WaitUntilAsync(() => host.Logs.Lines.Any(l => l.Contains("auth.test failed", StringComparison.Ordinal)), "auth.test failure logged");
        Assert.False(host.Hosted.Started.Task.IsCompleted, "auth.test has not succeeded yet");

        var url = new Uri(host.Hosted.HttpReceiver.Urls[0].TrimEnd('/') + "/slack/events");
        using var ok = await FakeSlack.SendSignedAsync(Client, url, "application/json",
            Encoding.UTF8.GetBytes(new JsonObject { ["challenge"] = "while-auth-fails", ["type"] = "url_verification" }.ToJsonString()), SlackTestHost.SigningSecret,
            host.Clock.GetUtcNow().ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("while-auth-fails", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("slot -1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectionsOpenReturnsHttpsUrl_RetriedWithGrowingBackoff_ThenConnects()
    {
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, beforeStart: f =>
        {
            f.Script("apps.connections.open", 200, """{"ok":true,"url":"https://wss-primary.slack.com/link/?ticket=x"}""");
            f.Script("apps.connections.open", 200, """{"ok":true,"url":"https://wss-primary.slack.com/link/?ticket=y"}""");
        });
        await host.Fake.WaitForSocketAsync(1, () => host.Clock.Advance(Step));
        var opens = host.Fake.CallsTo("apps.connections.open");
        Assert.Equal(3, opens.Count);
        Assert.True(opens[1].ClockAt > opens[0].ClockAt, "a backoff before the first retry");
        Assert.True(opens[2].ClockAt - opens[1].ClockAt > opens[1].ClockAt - opens[0].ClockAt - Step, "the backoff does not shrink");
        Assert.False(host.Hosted.StoppedForGood.IsCompleted);
        Assert.Contains(host.Logs.Lines, l => l.Contains("connect failed", StringComparison.Ordinal));
    }
}
