using System.Text.Json;
using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using static Bot.Discord.Tests.Gateway.GatewayTestSteps;

namespace Bot.Discord.Tests.Gateway;

/// <summary>The gateway connection's heartbeat and send limits against the fake gateway, with a fake clock (checklist items 2, 3, 4 and 10): the jittered first beat, the sequence carried, a missing ACK, 115 sends a minute.</summary>
public sealed class DiscordGatewayHeartbeatTests
{
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
}
