using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Gateway;

/// <summary>Checklist items 1-10 against the fake gateway, with a fake clock.</summary>
public sealed class DiscordGatewayConnectionTests
{
    private const int Op1 = 1;
    private const int Op2 = 2;
    private const int Op6 = 6;

    /// <summary>Gives the client a moment to (not) react, for "nothing happened" assertions.</summary>
    private static Task Settle() => Task.Delay(150);

    /// <summary>Waits until connection <paramref name="count"/> ended and the client sits in its reconnect delay.</summary>
    private static Task WaitWaitingToReconnect(DiscordTestHost host, int count) =>
        FakeDiscordServer.WaitUntilAsync(
            () => host.Fake.Connections.Count == count && host.Fake.Connections[count - 1].Ended.IsCompleted && host.Gateway.State == GatewayState.Disconnected,
            "waiting to reconnect after connection " + count);

    [Fact] // 1
    public async Task Connect_GetsGatewayBotWithBotAuthAndUserAgent_ThenOpensV10Json()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var get = Assert.Single(host.Fake.RequestsTo("GET", "/gateway/bot"));
        Assert.Equal("Bot " + DiscordTestHost.Token, get.Header("authorization"));
        Assert.StartsWith("DiscordBot (https://", get.Header("user-agent"), StringComparison.Ordinal);
        var conn = Assert.Single(host.Fake.Connections);
        Assert.Equal("/gateway/", conn.Path);
        Assert.Equal("?v=10&encoding=json", conn.Query);
    }

    [Theory] // 2
    [InlineData(0.25)]
    [InlineData(0.9)]
    public async Task Heartbeat_FirstAfterJitteredDelay_ThenEveryInterval(double jitter)
    {
        const int interval = 40_000;
        await using var host = await DiscordTestHost.StartReadyAsync(setupFake: f => f.HeartbeatIntervalMs = interval, random: new FixedRandom(jitter));
        var first = TimeSpan.FromMilliseconds(interval * jitter);
        Assert.Empty(host.Fake.ClientFrames(Op1));

        host.Time.Advance(first - TimeSpan.FromMilliseconds(1));
        await Settle();
        Assert.Empty(host.Fake.ClientFrames(Op1));

        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.ClientFrames(Op1).Count == 1, "first heartbeat");
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.AcksReceived == 1, "first ACK");

        for (var beat = 2; beat <= 4; beat++)
        {
            host.Time.Advance(TimeSpan.FromMilliseconds(interval - 1));
            await Settle();
            Assert.Equal(beat - 1, host.Fake.ClientFrames(Op1).Count);
            host.Time.Advance(TimeSpan.FromMilliseconds(1));
            await FakeDiscordServer.WaitUntilAsync(() => host.Fake.ClientFrames(Op1).Count == beat, "heartbeat " + beat);
            await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.AcksReceived == beat, "ACK " + beat);
        }

        var frames = host.Fake.ClientFrames(Op1);
        Assert.Equal(first, frames[0].At - host.Fake.Connections[0].OpenedAt);
        for (var i = 1; i < frames.Count; i++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(interval), frames[i].At - frames[i - 1].At);
        }

        Assert.Equal(host.Time.GetUtcNow(), host.Gateway.LastAck);
        var health = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DiscordHealthProbe>(host.Services).Snapshot();
        Assert.Equal(GatewayState.Ready, health.State);
        Assert.Equal(host.Time.GetUtcNow(), health.LastHeartbeatAck);
        Assert.Equal(4, health.AcksReceived);
        Assert.Equal(1, health.Identifies);
        Assert.False(health.TokenRejected);
    }

    [Fact] // 3
    public async Task Heartbeat_CarriesLastSequence_NullBeforeAnyDispatch_AndServerOp1GetsImmediateBeat()
    {
        // Jitter 0: the first beat goes out at once, before READY gives us a sequence number.
        await using var host = await DiscordTestHost.StartReadyAsync(random: new FixedRandom(0));
        var first = host.Fake.ClientFrames(Op1)[0];
        Assert.Equal(JsonValueKind.Null, first.Json["d"]?.GetValueKind() ?? JsonValueKind.Null);
        Assert.True(first.Json.AsObject().ContainsKey("d"));

        await host.Fake.DispatchAsync("GUILD_CREATE", new { id = Events.GuildId, name = "g" });
        await host.Fake.DispatchAsync("GUILD_CREATE", new { id = "1100000000000000002", name = "g2" });
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.LastSequence == 3, "seq 3");

        await host.Fake.Current!.SendOpAsync(1);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.ClientFrames(Op1).Count == 2, "requested heartbeat");
        Assert.Equal(3, host.Fake.ClientFrames(Op1)[1].Json["d"]!.GetValue<int>());
    }

    [Fact] // 4, 5 (no IDENTIFY on the resume path), 6 (RESUMED)
    public async Task MissingAck_ClosesWithNon1000_AndResumesOnResumeUrlWithSessionAndSeq()
    {
        const int interval = 10_000;
        await using var host = await DiscordTestHost.StartReadyAsync(setupFake: f => f.HeartbeatIntervalMs = interval, random: new FixedRandom(0.5));
        await host.Fake.DispatchAsync("GUILD_CREATE", new { id = Events.GuildId });
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.LastSequence == 2, "seq 2");
        var first = host.Fake.Current!;
        first.WithholdAcks = true;

        host.Time.Advance(TimeSpan.FromMilliseconds(interval / 2));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.ClientFrames(Op1).Count == 1, "beat without ACK");
        host.Time.Advance(TimeSpan.FromMilliseconds(interval));

        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Connections.Count == 2, "reconnect");
        await first.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(4000, first.ClientCloseCode);
        var second = host.Fake.Connections[1];
        Assert.Equal("/resume/", second.Path);
        Assert.Equal("?v=10&encoding=json", second.Query);
        await FakeDiscordServer.WaitUntilAsync(() => second.ClientFrames.Any(f => f.Op == Op6), "RESUME");
        var resume = second.ClientFrames.First(f => f.Op == Op6).Json["d"]!;
        Assert.Equal(DiscordTestHost.Token, resume["token"]!.GetValue<string>());
        Assert.Equal("session-1", resume["session_id"]!.GetValue<string>());
        Assert.Equal(2, resume["seq"]!.GetValue<int>());
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.State == GatewayState.Ready && host.Gateway.LastSequence == 3, "RESUMED");
        Assert.DoesNotContain(second.ClientFrames, f => f.Op == Op2);
        Assert.Equal(1, host.Gateway.IdentifyCount);
        Assert.Single(host.Logs.WithEvent(1005));
    }

    [Theory] // 5
    [InlineData(false, 4609)]
    [InlineData(true, 37377)]
    public async Task Identify_CarriesConfiguredIntents_RawToken_AndProperties(bool messageContent, int intents)
    {
        await using var host = await DiscordTestHost.StartReadyAsync(c => c["Discord:EnableMessageContent"] = messageContent ? "true" : "false");
        var identify = Assert.Single(host.Fake.ClientFrames(Op2)).Json["d"]!;
        Assert.Equal(DiscordTestHost.Token, identify["token"]!.GetValue<string>());
        Assert.Equal(intents, identify["intents"]!.GetValue<int>());
        var props = identify["properties"]!.AsObject();
        Assert.Equal(["browser", "device", "os"], props.Select(p => p.Key).Order());
        Assert.Equal("kbot", props["browser"]!.GetValue<string>());
        Assert.Equal([0, 1], identify["shard"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Fact] // 6
    public async Task Ready_KeepsUserApplicationSessionAndResumeUrl()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        Assert.Equal(FakeDiscordServer.BotUserId, host.Gateway.UserId);
        Assert.Equal(FakeDiscordServer.AppId, host.Gateway.ApplicationId);
        Assert.Equal("session-1", host.Gateway.SessionId);
        Assert.Equal(1, host.Gateway.LastSequence);
        // The application id from READY is used for the command registration.
        Assert.Single(host.Fake.RequestsTo("PUT", "/applications/" + FakeDiscordServer.AppId + "/commands"));
    }

    [Fact] // 6, 7
    public async Task Resume_ReplaysMissedEvents_EachProcessedOnce()
    {
        await using var host = await DiscordTestHost.StartReadyAsync(setupFake: f => f.ReplayOverlap = 2);
        var mention = "<@" + FakeDiscordServer.BotUserId + "> 딥시크";
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(mention));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "first reply");

        // The connection drops; one mention is sent while we are away; on RESUME the fake replays it together with
        // two events we already processed.
        host.Fake.OnConnect = null;
        var first = host.Fake.Current!;
        host.Fake.QueueForReplay("session-1", "MESSAGE_CREATE", Events.Guild(mention));
        first.Abort();

        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Connections.Count == 2 && host.Gateway.State == GatewayState.Ready && host.Gateway.ResumeCount == 1, "resumed");
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 2, "replayed reply");
        await Settle();
        Assert.Equal(2, host.Fake.CreatedMessages.Count);
        Assert.Equal(2, host.Questions.Started);
        Assert.Equal("/resume/", host.Fake.Connections[1].Path);
    }

    [Fact] // 7
    public async Task Op7_AfterReadyAndBeforeHello_Resumes()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var sentBeforeHello = 0;
        host.Fake.OnConnect = async c =>
        {
            if (Interlocked.Increment(ref sentBeforeHello) == 1)
            {
                await c.SendOpAsync(7);
            }
        };
        await host.Fake.Current!.SendOpAsync(7);

        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Connections.Count == 3 && host.Gateway.ResumeCount == 1 && host.Gateway.State == GatewayState.Ready, "resumed twice over");
        Assert.All(host.Fake.Connections.Skip(1), c => Assert.Equal("/resume/", c.Path));
        Assert.DoesNotContain(host.Fake.Connections[1].ClientFrames, f => f.Op is Op2 or Op6);
        Assert.Single(host.Fake.Connections[2].ClientFrames, f => f.Op == Op6);
        Assert.Equal(1, host.Gateway.IdentifyCount);
        Assert.Equal(4000, host.Fake.Connections[0].ClientCloseCode);
    }

    [Fact] // 7
    public async Task Op9Resumable_Resumes()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.Current!.SendOpAsync(9, "true");
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.ResumeCount == 1 && host.Gateway.State == GatewayState.Ready, "resume");
        Assert.Equal("/resume/", host.Fake.Connections[1].Path);
        Assert.Equal(1, host.Gateway.IdentifyCount);
    }

    [Fact] // 7
    public async Task Op9NotResumable_NewSocket_IdentifiesAfterRandomDelay()
    {
        await using var host = await DiscordTestHost.StartReadyAsync(random: new FixedRandom(0.5));
        host.Time.Advance(TimeSpan.FromSeconds(10)); // clear of the 5-s spacing between IDENTIFYs
        await host.Fake.Current!.SendOpAsync(9, "false");
        await WaitWaitingToReconnect(host, 1);
        Assert.Equal(4000, host.Fake.Connections[0].ClientCloseCode);

        // 1 + 4 * 0.5 = 3 s
        host.Time.Advance(TimeSpan.FromMilliseconds(2999));
        await Settle();
        Assert.Single(host.Fake.Connections);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.IdentifyCount == 2 && host.Gateway.State == GatewayState.Ready, "new session");
        Assert.Equal("/gateway/", host.Fake.Connections[1].Path);
        Assert.Equal("session-2", host.Gateway.SessionId);
        Assert.Equal(0, host.Gateway.ResumeCount);
    }

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

    [Fact] // 10
    public async Task OneMegabyteReady_InManyFragments_Parses_AndFragmentedDispatchIsHandled()
    {
        await using var host = await DiscordTestHost.StartReadyAsync(setupFake: f =>
        {
            f.ReadyPaddingBytes = 1_100_000;
            f.FragmentSize = 1000;
        });
        Assert.Equal(FakeDiscordServer.AppId, host.Gateway.ApplicationId);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild("<@" + FakeDiscordServer.BotUserId + "> " + new string('가', 280)));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
    }

    [Fact] // 10
    public async Task Sends_NeverExceed115Per60Seconds_Nor4096Bytes()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var conn = host.Fake.Current!;
        for (var i = 0; i < 200; i++)
        {
            await conn.SendOpAsync(1);
        }

        await FakeDiscordServer.WaitUntilAsync(() => conn.ClientFrames.Count == DiscordGatewayConnection.MaxSendsPerWindow, "115 frames");
        await Task.Delay(300);
        Assert.Equal(DiscordGatewayConnection.MaxSendsPerWindow, conn.ClientFrames.Count);

        host.Time.Advance(TimeSpan.FromSeconds(60));
        await FakeDiscordServer.WaitUntilAsync(() => conn.ClientFrames.Count(f => f.Op == Op1) >= 200, "the rest after the window");
        var frames = conn.ClientFrames.ToArray();
        Assert.All(frames, f => Assert.True(f.Bytes <= 4096));
        for (var i = DiscordGatewayConnection.MaxSendsPerWindow; i < frames.Length; i++)
        {
            Assert.True(frames[i].At - frames[i - DiscordGatewayConnection.MaxSendsPerWindow].At >= TimeSpan.FromSeconds(60));
        }

        // The receive loop was never blocked meanwhile: the connection is still READY and answers a dispatch.
        Assert.Equal(GatewayState.Ready, host.Gateway.State);
    }

    [Fact] // 19 (gateway side)
    public async Task GatewayBot401_StopsWithOneLineNamingTheToken()
    {
        await using var host = await DiscordTestHost.CreateAsync(setupFake: f => f.Script(r => r.Path == "/gateway/bot", FakeResponse.Error(401, 0, "401: Unauthorized"), once: false));
        await host.StartAsync();
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.State == GatewayState.Failed, "stopped");
        host.Time.Advance(TimeSpan.FromHours(1));
        await Settle();
        Assert.Single(host.Fake.RequestsTo("GET", "/gateway/bot"));
        Assert.Empty(host.Fake.Connections);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("check Discord:Token", StringComparison.Ordinal));
    }

    [Fact] // 48
    public async Task Stop_ClosesWith1000()
    {
        var host = await DiscordTestHost.StartReadyAsync();
        await using (host)
        {
            await host.StopAsync();
            var conn = host.Fake.Current!;
            await conn.Ended.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(1000, conn.ClientCloseCode);
            Assert.Equal(GatewayState.Stopped, host.Gateway.State);
            await Settle();
            host.Time.Advance(TimeSpan.FromMinutes(5));
            await Settle();
            Assert.Single(host.Fake.Connections);
        }
    }
}
