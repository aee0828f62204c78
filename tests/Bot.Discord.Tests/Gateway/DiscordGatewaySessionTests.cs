using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Microsoft.Extensions.Logging;
using static Bot.Discord.Tests.Gateway.GatewayTestSteps;

namespace Bot.Discord.Tests.Gateway;

/// <summary>The gateway connection's session against the fake gateway, with a fake clock (checklist items 1, 5, 6, 7, 10, 19 and 48): connect, IDENTIFY, READY, RESUME and replay, op 7 and op 9, a 1 MB READY in fragments, a rejected token, a clean stop.</summary>
public sealed class DiscordGatewaySessionTests
{
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
