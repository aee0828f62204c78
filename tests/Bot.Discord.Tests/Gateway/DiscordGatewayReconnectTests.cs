using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Microsoft.Extensions.Logging;
using static Bot.Discord.Tests.Gateway.GatewayTestSteps;

namespace Bot.Discord.Tests.Gateway;

/// <summary>The gateway connection's closes and reconnects against the fake gateway, with a fake clock (checklist items 8 and 9): the close-code decision table, backoff to the cap and its reset, an hour of flapping, an exhausted session-start limit.</summary>
public sealed class DiscordGatewayReconnectTests
{
    [Theory] // 8
    [InlineData(4000, "resume")]
    [InlineData(4001, "resume")]
    [InlineData(4002, "resume")]
    [InlineData(4008, "resume")]
    [InlineData(4003, "new")]
    [InlineData(4005, "new")]
    [InlineData(4007, "new")]
    [InlineData(4009, "new")]
    [InlineData(1000, "new")]
    [InlineData(1001, "new")]
    [InlineData(4004, "fatal")]
    [InlineData(4010, "fatal")]
    [InlineData(4011, "fatal")]
    [InlineData(4012, "fatal")]
    [InlineData(4013, "fatal")]
    [InlineData(4014, "fatal")]
    public async Task ServerClose_FollowsDecisionTable(int code, string expected)
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.Current!.CloseAsync(code);
        if (expected == "fatal")
        {
            await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.State == GatewayState.Failed, "stop");
            host.Time.Advance(TimeSpan.FromHours(1));
            await Settle();
            Assert.Single(host.Fake.Connections);
            Assert.Equal(code, host.Gateway.FatalCloseCode);
            var line = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Critical);
            Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), line.Message, StringComparison.Ordinal);
            if (code == 4004)
            {
                Assert.Contains("check Discord:Token", line.Message, StringComparison.Ordinal);
            }

            if (code == 4014)
            {
                Assert.Contains("enable the Message Content intent in the Developer Portal or set Discord:EnableMessageContent=false", line.Message, StringComparison.Ordinal);
            }

            return;
        }

        if (expected == "new")
        {
            // A new session waits for the 5-s IDENTIFY spacing (max_concurrency 1).
            await Settle();
            Assert.Single(host.Fake.Connections);
            host.Time.Advance(TimeSpan.FromSeconds(5));
        }

        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Connections.Count == 2 && host.Gateway.State == GatewayState.Ready, "reconnected");
        var second = host.Fake.Connections[1];
        if (expected == "resume")
        {
            Assert.Equal("/resume/", second.Path);
            Assert.Single(second.ClientFrames, f => f.Op == Op6);
            Assert.DoesNotContain(second.ClientFrames, f => f.Op == Op2);
        }
        else
        {
            Assert.Equal("/gateway/", second.Path);
            Assert.Single(second.ClientFrames, f => f.Op == Op2);
            Assert.DoesNotContain(second.ClientFrames, f => f.Op == Op6);
        }
    }

    [Fact] // 9
    public async Task Reconnect_BackoffGrowsToCap_AndResetsAfterReady()
    {
        await using var host = await DiscordTestHost.CreateAsync(
            c =>
            {
                c["Discord:ReconnectBaseDelay"] = "00:00:01";
                c["Discord:ReconnectMaxDelay"] = "00:00:08";
            },
            f => f.OnConnect = c => c.CloseAsync(4000),
            random: new FixedRandom(0));
        await host.StartAsync();

        // Jitter factor 0.5 + 0.5 * 0 = 0.5: 0.5, 1, 2, 4, 4 s.
        double[] expected = [0.5, 1, 2, 4, 4];
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Connections.Count == 1, "first connect");
        for (var i = 0; i < expected.Length; i++)
        {
            var count = host.Fake.Connections.Count;
            await WaitWaitingToReconnect(host, count);
            host.Time.Advance(TimeSpan.FromSeconds(expected[i]) - TimeSpan.FromMilliseconds(1));
            await Settle();
            Assert.Equal(count, host.Fake.Connections.Count);
            host.Time.Advance(TimeSpan.FromMilliseconds(1));
            await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Connections.Count == count + 1, "attempt " + (count + 1));
        }

        // Let it succeed, then drop it: the delay is back to the first step.
        host.Fake.OnConnect = null;
        var n = host.Fake.Connections.Count;
        await WaitWaitingToReconnect(host, n);
        host.Time.Advance(TimeSpan.FromSeconds(4));
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.State == GatewayState.Ready, "ready");
        n = host.Fake.Connections.Count;
        await host.Fake.Current!.CloseAsync(4000);
        await WaitWaitingToReconnect(host, n);
        host.Time.Advance(TimeSpan.FromMilliseconds(499));
        await Settle();
        Assert.Equal(n, host.Fake.Connections.Count);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Connections.Count == n + 1, "fast reconnect after success");
    }

    [Fact] // 9
    public async Task FlappingForAnHour_IdentifiesStayBounded()
    {
        await using var host = await DiscordTestHost.CreateAsync(
            c =>
            {
                c["Discord:ReconnectBaseDelay"] = "00:00:01";
                c["Discord:ReconnectMaxDelay"] = "00:00:30";
                c["Discord:MaxIdentifiesPerHour"] = "12";
            },
            f => f.OnReady = c => c.CloseAsync(4009));
        await host.StartAsync();
        for (var step = 0; step < 120; step++)
        {
            await Task.Delay(25);
            host.Time.Advance(TimeSpan.FromSeconds(30));
        }

        await Settle();
        Assert.InRange(host.Gateway.IdentifyCount, 6, 13);
        Assert.Equal(host.Gateway.IdentifyCount, host.Fake.ClientFrames(Op2).Count);
        Assert.NotEmpty(host.Logs.WithEvent(1008));
    }

    [Fact] // 9
    public async Task SessionStartLimitExhausted_NoMoreIdentifies()
    {
        await using var host = await DiscordTestHost.CreateAsync(
            c =>
            {
                c["Discord:ReconnectBaseDelay"] = "00:00:01";
                c["Discord:ReconnectMaxDelay"] = "00:00:30";
            },
            f =>
            {
                f.SessionStartRemaining = 2;
                f.OnReady = c => c.CloseAsync(4009);
            });
        await host.StartAsync();
        for (var step = 0; step < 60; step++)
        {
            await Task.Delay(20);
            host.Time.Advance(TimeSpan.FromSeconds(30));
        }

        await Settle();
        Assert.Equal(2, host.Gateway.IdentifyCount);
    }
}
