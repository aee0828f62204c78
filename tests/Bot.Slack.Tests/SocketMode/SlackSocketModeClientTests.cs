using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Microsoft.Extensions.Logging;

using Bot.TestSupport;

namespace Bot.Slack.Tests.SocketMode;

public sealed class SlackSocketModeClientTests
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

    // checklist 28
    [Fact]
    public async Task EnvelopeBeforeHello_IsNotProcessed()
    {
        await using var host = await StartAsync(beforeStart: f => f.NextSocket(SocketBehaviour.EnvelopeBeforeHello));
        var socket = await host.Fake.WaitForSocketAsync(1);
        await socket.SendAsync(FakeSlack.EventEnvelope("env-after", "Ev-after", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "the answer to the envelope after hello");

        Assert.DoesNotContain(host.Handler.Calls, c => c.Text.Contains("너무 이른", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Fake.Acks, a => a.EnvelopeId == "env-before-hello");
        Assert.Single(host.Handler.Calls);
    }

    // checklist 29
    [Fact]
    public async Task Envelope_AckedOnSameSocketWithin3s_WhileHandlerIsStillRunning()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.Hold();
        var sentAt = DateTimeOffset.UtcNow;
        await socket.SendAsync(FakeSlack.EventEnvelope("env-slow", "Ev-slow", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?")));

        var ack = await host.Fake.WaitForAsync(() => host.Fake.Acks.FirstOrDefault(a => a.EnvelopeId == "env-slow"), "ack");
        Assert.Equal(socket.Id, ack.SocketId);
        Assert.True(ack.At - sentAt < TimeSpan.FromSeconds(3), $"ack after {(ack.At - sentAt).TotalMilliseconds} ms");
        Assert.Equal("""{"envelope_id":"env-slow"}""", ack.Raw);
        Assert.Empty(host.Fake.Posts); // handler still held: the ack did not wait for it

        host.Handler.Release();
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "answer after release");
    }

    // checklist 29
    [Fact]
    public async Task Envelope_AckedEvenWhenHandlerThrows_AndUserGetsPoliteError()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.ThrowOnCall = new InvalidOperationException("index exploded");
        await socket.SendAsync(FakeSlack.EventEnvelope("env-throw", "Ev-throw", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?")));
        await socket.SendAsync(FakeSlack.EventEnvelope("env-garbage", "Ev-garbage", new JsonObject { ["type"] = "app_mention", ["text"] = 42 }));

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 2, "both acks");
        Assert.All(host.Fake.Acks, a => Assert.Equal(socket.Id, a.SocketId));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "polite error");
        var text = host.Fake.Posts[0]["text"]!.GetValue<string>();
        Assert.Contains("죄송합니다", text, StringComparison.Ordinal);
        Assert.DoesNotContain("exploded", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", host.Fake.Posts[0].ToJsonString(), StringComparison.Ordinal);

        // the connection keeps working
        host.Handler.ThrowOnCall = null;
        await socket.SendAsync(FakeSlack.EventEnvelope("env-next", "Ev-next", FakeSlack.Mention("<@U_BOT> 딥시크")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "next answer");
        Assert.Single(host.Fake.Sockets);
    }

    // checklist 30
    [Fact]
    public async Task SlashCommand_AckCarriesEphemeralWorking_AndAnswerGoesToResponseUrl()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.Hold();
        await socket.SendAsync(FakeSlack.SlashEnvelope("env-ask", FakeSlack.SlashPayload("/ask", "딥시크 본사는 어디에 있나요?", host.Fake.ResponseUrl("ask1").ToString())));

        var ack = await host.Fake.WaitForAsync(() => host.Fake.Acks.FirstOrDefault(a => a.EnvelopeId == "env-ask"), "ack");
        Assert.Equal("ephemeral", ack.Payload!["response_type"]!.GetValue<string>());
        Assert.Equal("기사를 찾는 중입니다…", ack.Payload["text"]!.GetValue<string>());
        Assert.Empty(host.Fake.ResponsePosts);

        host.Handler.Release();
        var post = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "response_url post");
        Assert.Equal("ask1", post.Id);
        Assert.Equal("application/json; charset=utf-8", post.ContentType);
        Assert.Equal("", post.Authorization);
        Assert.Equal("in_channel", post.Json!["response_type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(post.Json["text"]!.GetValue<string>()));
        Assert.Equal("ask", host.Handler.Calls.Single().Kind);
        Assert.Empty(host.Fake.Posts);
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
    public async Task LinkDisabled_StopsWithOneLogLine_AndNeverReconnects()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        await socket.SendDisconnectAsync("link_disabled");
        await host.Fake.WaitUntilAsync(() => socket.Closed, "socket closed by the client");
        for (var i = 0; i < 20; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(5);
        }

        Assert.Single(host.Fake.CallsTo("apps.connections.open"));
        var stops = host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Single(stops);
        Assert.Equal(LogLevel.Critical, stops[0].Level);
        Assert.Contains("link_disabled", stops[0].Message, StringComparison.Ordinal);
        Assert.NotNull(host.Hosted.SocketMode.StopReason);
        Assert.Contains("link_disabled", host.Health.StopReason, StringComparison.Ordinal);
        Assert.Equal(0, host.Health.OpenSockets);
    }

    // checklist 32
    [Theory]
    [InlineData("invalid_auth")]
    [InlineData("not_authed")]
    [InlineData("account_inactive")]
    public async Task UnrecoverableOpenError_StopsWithOneLogLine(string error)
    {
        await using var host = await StartAsync(beforeStart: f => f.ScriptError("apps.connections.open", error));
        await host.Fake.WaitUntilAsync(() => host.Hosted.SocketMode.StopReason is not null, "stop");
        for (var i = 0; i < 20; i++)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(5);
        }

        Assert.Single(host.Fake.CallsTo("apps.connections.open"));
        Assert.Empty(host.Fake.Sockets);
        var stops = host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Single(stops);
        Assert.Equal(LogLevel.Critical, stops[0].Level);
        Assert.Contains(error, stops[0].Message, StringComparison.Ordinal);
    }

    // checklist 42: invalid_auth while running stops the adapter (sockets closed, no reconnect)
    [Fact]
    public async Task BotTokenRevokedWhileRunning_AdapterStops()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Fake.ScriptError("chat.postMessage", "token_revoked");
        await socket.SendAsync(FakeSlack.EventEnvelope("r1", "Ev-r1", FakeSlack.Mention("<@U_BOT> 딥시크")));
        await host.Fake.WaitUntilAsync(() => socket.Closed, "socket closed by the client");
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(100);
        Assert.Single(host.Fake.CallsTo("apps.connections.open"));
        Assert.Single(host.Fake.CallsTo("chat.postMessage"));
        var critical = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("token_revoked", critical.Message, StringComparison.Ordinal);
        Assert.Contains("token_revoked", host.Hosted.StopReason, StringComparison.Ordinal);
        Assert.True(host.Health.TokenRejected);
    }

    // checklist 38, 42: a rejected bot token at start-up stops the adapter before any socket is opened
    [Fact]
    public async Task AuthTestRejected_AdapterStops_OneLogLine_NoSocket()
    {
        await using var host = await StartAsync(beforeStart: f => f.ScriptError("auth.test", "invalid_auth"));
        await host.Fake.WaitUntilAsync(() => host.Hosted.StopReason is not null, "stopped");
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(100);
        Assert.Single(host.Fake.Calls);
        Assert.Empty(host.Fake.Sockets);
        var lines = host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        Assert.Single(lines);
        Assert.Contains("invalid_auth", lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("Slack:BotToken", lines[0].Message, StringComparison.Ordinal);
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

    // checklist 34
    [Fact]
    public async Task RedeliveredEvent_OnSameAndOtherSocket_HandledExactlyOnce()
    {
        await using var host = await StartAsync(c =>
        {
            c["Slack:NumberOfConnections"] = "2";
            c["Slack:ConnectionStagger"] = "00:00:10";
        });
        var first = await host.Fake.WaitForSocketAsync(1);
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(TimeSpan.FromSeconds(1)));
        var mention = FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?");
        await first.SendAsync(FakeSlack.EventEnvelope("env-a", "Ev-dup", mention.DeepClone().AsObject()));
        await first.SendAsync(FakeSlack.EventEnvelope("env-b", "Ev-dup", mention.DeepClone().AsObject(), retryAttempt: 1, retryReason: "timeout"));
        await second.SendAsync(FakeSlack.EventEnvelope("env-c", "Ev-dup", mention.DeepClone().AsObject(), retryAttempt: 0));

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 3, "all three acked");
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "one answer");
        await Task.Delay(200);
        Assert.Single(host.Fake.Posts);
        Assert.Single(host.Handler.Calls);
        Assert.Equal(second.Id, host.Fake.Acks.Single(a => a.EnvelopeId == "env-c").SocketId);

        // still remembered 10 minutes later
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await second.SendAsync(FakeSlack.EventEnvelope("env-d", "Ev-dup", mention.DeepClone().AsObject(), retryAttempt: 3));
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 4, "late redelivery acked");
        await Task.Delay(200);
        Assert.Single(host.Handler.Calls);
        var health = host.Health;
        Assert.Equal(4, health.Envelopes);
        Assert.Equal(3, health.Duplicates);
        Assert.Equal(2, health.OpenSockets);
        Assert.Equal(0, health.InFlight);
    }

    // checklist 35
    [Fact]
    public async Task TwoConnections_Staggered_EventsOnEitherHandled_AcksRouted()
    {
        await using var host = await StartAsync(c =>
        {
            c["Slack:NumberOfConnections"] = "2";
            c["Slack:ConnectionStagger"] = "00:00:10";
        });
        var first = await host.Fake.WaitForSocketAsync(1);
        await Task.Delay(100);
        Assert.Single(host.Fake.Sockets); // the second slot waits for the stagger
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.True(host.Fake.CallsTo("apps.connections.open")[1].ClockAt - host.Fake.CallsTo("apps.connections.open")[0].ClockAt >= TimeSpan.FromSeconds(10));

        for (var i = 0; i < 5; i++)
        {
            await first.SendAsync(FakeSlack.EventEnvelope("a" + i, "Ev-a" + i, FakeSlack.Mention("<@U_BOT> 딥시크 " + i, ts: "1754000000.00020" + i)));
            await second.SendAsync(FakeSlack.EventEnvelope("b" + i, "Ev-b" + i, FakeSlack.Mention("<@U_BOT> 딥시크 " + i, ts: "1754000000.00030" + i)));
        }

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 10 && host.Fake.Posts.Count == 10, "all handled");
        Assert.All(host.Fake.Acks.Where(a => a.EnvelopeId.StartsWith('a')), a => Assert.Equal(first.Id, a.SocketId));
        Assert.All(host.Fake.Acks.Where(a => a.EnvelopeId.StartsWith('b')), a => Assert.Equal(second.Id, a.SocketId));
        Assert.Equal(2, host.Hosted.SocketMode.OpenSocketCount);
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

    [Fact]
    public async Task Shutdown_StopsIntakeFirst_ThenLetsInFlightAnswerFinish()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.Hold();
        await socket.SendAsync(FakeSlack.EventEnvelope("sd1", "Ev-sd1", FakeSlack.Mention("<@U_BOT> 딥시크 모델은 오픈소스인가요?")));
        await host.Fake.WaitUntilAsync(() => !host.Handler.Calls.IsEmpty, "handler running");

        var stopping = host.StopHostedAsync(releaseHandler: false);
        await host.Fake.WaitUntilAsync(() => socket.Closed, "socket closed before the work is finished");
        Assert.False(stopping.IsCompleted);
        Assert.Empty(host.Fake.Posts);

        host.Handler.Release();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(host.Fake.Posts);
    }

    [Fact]
    public async Task Shutdown_AbandonsStuckWorkAfterShutdownTimeout()
    {
        await using var host = await StartAsync(c => c["Slack:ShutdownTimeout"] = "00:00:05");
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.Hold();
        await socket.SendAsync(FakeSlack.EventEnvelope("sd2", "Ev-sd2", FakeSlack.Mention("<@U_BOT> 딥시크")));
        await host.Fake.WaitUntilAsync(() => !host.Handler.Calls.IsEmpty, "handler running");

        var stopping = host.StopHostedAsync(releaseHandler: false);
        await host.Fake.WaitUntilAsync(() => socket.Closed, "socket closed");
        await Task.Delay(100);
        Assert.False(stopping.IsCompleted);
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(host.Fake.Posts);
    }

    [Fact]
    public async Task Shutdown_ClosesAllSockets()
    {
        await using var host = await StartAsync(c => c["Slack:NumberOfConnections"] = "2");
        var first = await host.Fake.WaitForSocketAsync(1);
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(TimeSpan.FromSeconds(1)));
        await host.Fake.WaitUntilAsync(() => host.Hosted.SocketMode.OpenSocketCount == 2, "client saw both hellos");
        await host.StopHostedAsync();
        await host.Fake.WaitUntilAsync(() => first.Closed && second.Closed, "both sockets closed by the client");
        Assert.StartsWith("client closed", first.CloseDescription, StringComparison.Ordinal);
        Assert.StartsWith("client closed", second.CloseDescription, StringComparison.Ordinal);
        Assert.Equal(0, host.Hosted.SocketMode.OpenSocketCount);
    }
}
