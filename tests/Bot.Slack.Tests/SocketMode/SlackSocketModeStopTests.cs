using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>Socket Mode stopping: for good with one log line (link disabled, an unrecoverable open error, a revoked or rejected bot token), and on shutdown (intake first, in-flight answers finish, stuck work abandoned after the timeout, every socket closed).</summary>
public sealed class SlackSocketModeStopTests
{
    private static Task<SlackTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<FakeSlack>? beforeStart = null) =>
        SlackTestHost.StartAsync(TestCore.Handler, configure, beforeStart: beforeStart);

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
