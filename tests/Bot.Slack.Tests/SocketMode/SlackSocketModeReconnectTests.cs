using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>Socket Mode connections kept alive: a fresh URL for every reconnect, the replacement said hello before the old one closes, hello, silence and ping timeouts, backoff on errors and flapping, debug_reconnects.</summary>
public sealed class SlackSocketModeReconnectTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private static Task<SlackTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<FakeSlack>? beforeStart = null) =>
        SlackTestHost.StartAsync(TestCore.Handler, configure, beforeStart: beforeStart);

    // checklist 27
    [Fact]
    public async Task ConnectionsOpen_UsesAppTokenAndFreshUrlForEveryReconnect()
    {
        await using var host = await StartAsync();
        var first = await host.Fake.WaitForSocketAsync(1);
        await first.CloseAsync(); // server closes: the client must call apps.connections.open again
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(Step));

        var opens = host.Fake.CallsTo("apps.connections.open");
        Assert.True(opens.Count >= 2);
        Assert.All(opens, c => Assert.Equal("Bearer " + SlackTestHost.AppToken, c.Authorization));
        Assert.NotEqual(first.Ticket, second.Ticket);
        Assert.Equal("Bearer " + SlackTestHost.BotToken, host.Fake.CallsTo("auth.test").Single().Authorization);
        Assert.All(host.Fake.Calls.Where(c => c.Method != "apps.connections.open"), c => Assert.DoesNotContain("xapp", c.Authorization, StringComparison.Ordinal));
    }

    // checklist 31
    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    public async Task Disconnect_ReplacementHelloedBeforeOldClosed_NoEnvelopeLost(string reason)
    {
        await using var host = await StartAsync();
        var old = await host.Fake.WaitForSocketAsync(1);
        host.Fake.NextSocket(SocketBehaviour.HelloWhenReleased);
        await old.SendDisconnectAsync(reason);
        await host.Fake.WaitUntilAsync(() => host.Fake.Sockets.Count == 2 && host.Fake.Sockets[1].Accepted, "replacement connected");
        var replacement = host.Fake.Sockets[1];

        // while the replacement has not said hello, the old socket stays open and keeps working
        await old.SendAsync(FakeSlack.EventEnvelope("env-old", "Ev-old", FakeSlack.Mention("<@U_BOT> 딥시크 본사", ts: "1754000000.000001")));
        var oldAck = await host.Fake.WaitForAsync(() => host.Fake.Acks.FirstOrDefault(a => a.EnvelopeId == "env-old"), "ack on old socket");
        Assert.Equal(old.Id, oldAck.SocketId);
        await Task.Delay(100);
        Assert.False(old.Closed);

        host.Fake.ReleaseHello();
        await host.Fake.WaitUntilAsync(() => old.Closed, "old socket closed");
        Assert.True(replacement.HelloAt <= old.ClosedAt, "replacement said hello before the old socket closed");
        Assert.StartsWith("client closed", old.CloseDescription, StringComparison.Ordinal);

        await replacement.SendAsync(FakeSlack.EventEnvelope("env-new", "Ev-new", FakeSlack.Mention("<@U_BOT> 딥시크 모델", ts: "1754000000.000002")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "both envelopes answered");
        Assert.Equal(replacement.Id, host.Fake.Acks.Single(a => a.EnvelopeId == "env-new").SocketId);
        Assert.Equal(2, host.Fake.CallsTo("apps.connections.open").Count);
        Assert.False(replacement.Closed);
        Assert.Equal(2, host.Handler.Calls.Count);
        Assert.Equal(1, host.Hosted.SocketMode.OpenSocketCount);
    }

    [Fact]
    public async Task NoHello_GivesUpAfterHelloTimeout_AndReconnects()
    {
        await using var host = await StartAsync(c => c["Slack:HelloTimeout"] = "00:00:10", f => f.NextSocket(SocketBehaviour.NoHello));
        await host.Fake.WaitUntilAsync(() => host.Fake.Sockets.Count == 1, "first socket");
        var first = host.Fake.Sockets[0];
        await Task.Delay(100);
        Assert.False(first.Closed);
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(Step));
        await host.Fake.WaitUntilAsync(() => first.Closed, "hello-less socket closed");
        Assert.NotEqual(first.Ticket, second.Ticket);
    }

    // checklist 32
    [Fact]
    public async Task TransientOpenError_RetriedWithBackoff()
    {
        await using var host = await StartAsync(beforeStart: f =>
        {
            f.ScriptError("apps.connections.open", "internal_error");
            f.ScriptError("apps.connections.open", "internal_error");
        });
        await host.Fake.WaitForSocketAsync(1, () => host.Clock.Advance(Step));
        var opens = host.Fake.CallsTo("apps.connections.open");
        Assert.Equal(3, opens.Count);
        Assert.True(opens[1].ClockAt - opens[0].ClockAt >= TimeSpan.FromSeconds(0.75), "first backoff");
        Assert.True(opens[2].ClockAt - opens[1].ClockAt >= TimeSpan.FromSeconds(1.5), "backoff grows");
    }

    // checklist 32
    [Fact]
    public async Task TooManyWebsockets_ReconnectsOnlyAfterSlowDelay()
    {
        await using var host = await StartAsync(c => c["Slack:TooManyWebsocketsDelay"] = "00:01:00");
        var socket = await host.Fake.WaitForSocketAsync(1);
        var before = host.Clock.GetUtcNow();
        await socket.SendDisconnectAsync("too_many_websockets");
        await host.Fake.WaitUntilAsync(() => socket.Closed, "closed");
        await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(TimeSpan.FromSeconds(5)));

        var reopen = host.Fake.CallsTo("apps.connections.open")[1];
        Assert.True(reopen.ClockAt - before >= TimeSpan.FromMinutes(1), $"reopened after {(reopen.ClockAt - before).TotalSeconds} s");
    }

    // checklist 33
    [Fact]
    public async Task SilentSocket_ReplacedAfterSilenceTimeout()
    {
        await using var host = await StartAsync(c => c["Slack:SilenceTimeout"] = "00:00:30");
        var socket = await host.Fake.WaitForSocketAsync(1);
        await host.Fake.WaitUntilAsync(() => host.Hosted.SocketMode.OpenSocketCount == 1, "client saw hello");
        host.Clock.Advance(TimeSpan.FromSeconds(20));
        await Task.Delay(100);
        Assert.Single(host.Fake.Sockets); // not yet

        host.Clock.Advance(TimeSpan.FromSeconds(11));
        var replacement = await host.Fake.WaitForSocketAsync(2);
        await host.Fake.WaitUntilAsync(() => socket.Closed, "silent socket closed");
        Assert.Equal(2, host.Fake.CallsTo("apps.connections.open").Count);
        Assert.False(replacement.Closed);

        // frames keep a socket alive: no replacement while traffic flows
        for (var i = 0; i < 4; i++)
        {
            host.Clock.Advance(TimeSpan.FromSeconds(20));
            await replacement.SendAsync(FakeSlack.EventEnvelope("env-k" + i, "Ev-k" + i, FakeSlack.Mention("<@U_BOT> 딥시크", ts: "1754000000.00010" + i)));
            await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Any(a => a.EnvelopeId == "env-k" + i), "ack " + i);
        }

        Assert.Equal(2, host.Fake.Sockets.Count);
    }

    // checklist 33
    [Fact]
    public async Task ServerNotAnsweringPings_SocketAbortedAndReconnected()
    {
        await using var host = await StartAsync(
            c =>
            {
                c["Slack:KeepAliveInterval"] = "00:00:00.200";
                c["Slack:KeepAliveTimeout"] = "00:00:00.300";
            },
            f => f.NextSocket(SocketBehaviour.Deaf));
        await host.Fake.WaitForSocketAsync(1);
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(Step));
        Assert.Equal(2, host.Fake.CallsTo("apps.connections.open").Count);
        Assert.False(second.Closed);
    }

    // pitfall 8: one reconnect loop per slot, sockets disposed on every path, backoff on flapping
    [Fact]
    public async Task FlappingServer_NeverMoreThanOneLiveSocketPerSlot_BackoffGrows()
    {
        await using var host = await StartAsync();
        for (var n = 1; n <= 5; n++)
        {
            var socket = await host.Fake.WaitForSocketAsync(n, () => host.Clock.Advance(Step));
            Assert.True(host.Fake.Sockets.Take(n - 1).All(s => s.Closed), "earlier sockets are closed");
            await socket.CloseAsync();
            await host.Fake.WaitUntilAsync(() => socket.Closed, "closed " + n);
        }

        var opens = host.Fake.CallsTo("apps.connections.open");
        Assert.True(opens[1].ClockAt - opens[0].ClockAt >= TimeSpan.FromSeconds(0.75), "backoff after the first flap (1 s ± 25 %)");
        Assert.True(opens[4].ClockAt - opens[3].ClockAt >= TimeSpan.FromSeconds(6), "backoff after the fourth flap (8 s ± 25 %)");
        Assert.True(host.Hosted.SocketMode.OpenSocketCount <= 1);
    }

    [Fact]
    public async Task DebugReconnects_AppendedToSocketUrl()
    {
        await using var host = await StartAsync(c => c["Slack:DebugReconnects"] = "true");
        var socket = await host.Fake.WaitForSocketAsync(1);
        Assert.Contains("debug_reconnects=true", socket.Query, StringComparison.Ordinal);
        Assert.Contains("ticket=" + socket.Ticket, socket.Query, StringComparison.Ordinal);
    }
}
