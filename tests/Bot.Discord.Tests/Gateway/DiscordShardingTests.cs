using Bot.Core.Chat;
using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Gateway;

/// <summary>Several shards in one process against the fake Discord, which routes guild events by (guild_id &gt;&gt; 22) % num_shards and paces IDENTIFYs per bucket.</summary>
public sealed class DiscordShardingTests
{
    private const int Op2 = 2;
    private static readonly string Mention = "<@" + FakeDiscordServer.BotUserId + "> 딥시크 본사는 어디에 있나요?";

    private static Task Settle() => Task.Delay(150);

    private static Task WaitIdentifies(DiscordTestHost host, int count) =>
        FakeDiscordServer.WaitUntilAsync(() => host.Fake.ClientFrames(Op2).Count >= count, count + " IDENTIFYs");

    private static Task WaitReplyTo(DiscordTestHost host, string messageId) =>
        FakeDiscordServer.WaitUntilAsync(
            () => host.Fake.CreatedMessages.Any(m => m.Body["message_reference"]?["message_id"]?.GetValue<string>() == messageId), "reply to " + messageId);

    private static int[] ShardOf(RecordedFrame identify) => identify.Json["d"]!["shard"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();

    [Fact]
    public async Task TwoShards_OneProcess_EachAnswersItsOwnGuildsMentions_CommandsRegisteredOnce()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:ShardCount"] = "2");
        await host.StartAsync();

        // max_concurrency 1: one bucket, so the second shard identifies 5 s after the first, not before.
        await WaitIdentifies(host, 1);
        host.Time.Advance(TimeSpan.FromMilliseconds(4999));
        await Settle();
        Assert.Single(host.Fake.ClientFrames(Op2));
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        await host.WaitReadyAsync();

        var identifies = host.Fake.ClientFrames(Op2);
        Assert.Equal([[0, 2], [1, 2]], identifies.Select(ShardOf).OrderBy(s => s[0]).ToArray());
        Assert.Equal(TimeSpan.FromSeconds(5), identifies[1].At - identifies[0].At);
        Assert.Equal(0, host.Fake.Sharding.RateLimitViolations);
        Assert.Equal(2, host.Fake.Connections.Count);

        foreach (var shard in new[] { 0, 1 })
        {
            var guild = Events.GuildOnShard(shard, 2);
            Assert.Equal(shard, host.Fake.Route(guild).ShardId);
            var id = Events.NewId();
            await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(Mention, id: id, guildId: guild));
            await WaitReplyTo(host, id);
        }

        // Each connection got only its own guild's event (plus READY).
        Assert.All(host.Fake.Connections, c => Assert.Single(c.Session!.Events, e => e.Type == "MESSAGE_CREATE"));
        Assert.Single(host.Fake.RequestsTo("PUT", "/applications/" + FakeDiscordServer.AppId + "/commands"));

        var health = host.Services.GetRequiredService<DiscordHealthProbe>().Snapshot();
        Assert.Equal(GatewayState.Ready, health.State);
        Assert.Equal(2, health.ShardCount);
        Assert.Equal([0, 1], health.Shards.Select(s => s.Id));
        Assert.All(health.Shards, s => Assert.Equal(GatewayState.Ready, s.State));
        var status = new DiscordPlatformStatus(host.Services.GetRequiredService<DiscordHealthProbe>()).Snapshot();
        Assert.True(status.Connected);
        Assert.Equal("shards 0, 1 of 2: 0 Ready, 1 Ready", status.Detail);
    }

    [Fact]
    public async Task Dm_ArrivesOnShard0_AndIsAnswered()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:ShardCount"] = "2", f => f.Sharding.MaxConcurrency = 2);
        await host.StartAsync();
        await host.WaitReadyAsync();

        Assert.Equal(0, host.Fake.Route(null).ShardId);
        var id = Events.NewId();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Dm("딥시크 본사는 어디에 있나요?", id));
        await WaitReplyTo(host, id);
        Assert.Contains(host.Fake.CreatedMessages, m => m.ChannelId == Events.DmChannelId);
        var shard1 = host.Fake.Connections.Single(c => c.ShardId == 1);
        Assert.DoesNotContain(shard1.Session!.Events, e => e.Type == "MESSAGE_CREATE");
    }

    [Fact]
    public async Task Identify_PacedPerBucket_ShardIdModuloMaxConcurrency()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:ShardCount"] = "4", f => f.Sharding.MaxConcurrency = 2);
        await host.StartAsync();

        // Buckets 0 (shards 0, 2) and 1 (shards 1, 3): one of each at once, the other of each 5 s later.
        await WaitIdentifies(host, 2);
        await Settle();
        Assert.Equal(2, host.Fake.ClientFrames(Op2).Count);
        host.Time.Advance(TimeSpan.FromMilliseconds(4999));
        await Settle();
        Assert.Equal(2, host.Fake.ClientFrames(Op2).Count);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        await host.WaitReadyAsync();

        var identifies = host.Fake.ClientFrames(Op2);
        Assert.Equal(4, identifies.Count);
        Assert.Equal([0, 1], identifies.Take(2).Select(f => ShardOf(f)[0] % 2).Order());
        Assert.Equal([0, 1], identifies.Skip(2).Select(f => ShardOf(f)[0] % 2).Order());
        Assert.Equal([0, 1, 2, 3], identifies.Select(f => ShardOf(f)[0]).Order());
        Assert.All(identifies, f => Assert.Equal(4, ShardOf(f)[1]));
        Assert.Equal(TimeSpan.FromSeconds(5), identifies[2].At - identifies[0].At);
        Assert.Equal(0, host.Fake.Sharding.RateLimitViolations);
    }

    [Fact]
    public async Task FixedShardIds_OnlyThoseOpen_AndNoCommandRegistrationWithoutShard0()
    {
        await using var host = await DiscordTestHost.CreateAsync(c =>
        {
            c["Discord:ShardCount"] = "4";
            c["Discord:ShardIds"] = "1,3";
        });
        await host.StartAsync();
        await WaitIdentifies(host, 1);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        await host.WaitReadyAsync();
        await Settle();

        Assert.Equal([[1, 4], [3, 4]], host.Fake.ClientFrames(Op2).Select(ShardOf).OrderBy(s => s[0]).ToArray());
        Assert.Equal(2, host.Fake.Connections.Count);
        Assert.Equal([1, 3], host.Shards.Running);
        Assert.Empty(host.Fake.RequestsTo("PUT", "/applications/"));

        var id = Events.NewId();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(Mention, id: id, guildId: Events.GuildOnShard(3, 4)));
        await WaitReplyTo(host, id);
        Assert.Throws<InvalidOperationException>(() => host.Fake.Route(Events.GuildOnShard(0, 4))); // shard 0 runs elsewhere
    }

    [Fact]
    public async Task ShardCountAuto_UsesTheRecommendedCount()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:ShardCount"] = "auto", f =>
        {
            f.Sharding.RecommendedShards = 3;
            f.Sharding.MaxConcurrency = 3;
        });
        await host.StartAsync();
        await WaitIdentifies(host, 3);
        await host.WaitReadyAsync();
        Assert.Equal([[0, 3], [1, 3], [2, 3]], host.Fake.ClientFrames(Op2).Select(ShardOf).OrderBy(s => s[0]).ToArray());
        Assert.Equal(3, host.Shards.Count);
    }

    [Fact]
    public async Task FatalShard_OtherShardsKeepAnswering()
    {
        await using var host = await DiscordTestHost.CreateAsync(c => c["Discord:ShardCount"] = "2", f =>
        {
            f.Sharding.MaxConcurrency = 2;
            f.OnReady = c => c.ShardId == 1 ? c.CloseAsync(4014) : Task.CompletedTask;
        });
        await host.StartAsync();
        await FakeDiscordServer.WaitUntilAsync(() => host.Shards.Get(1)!.State == GatewayState.Failed && host.Shards.Get(0)!.State == GatewayState.Ready, "shard 1 failed, shard 0 ready");

        var id = Events.NewId();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(Mention, id: id, guildId: Events.GuildOnShard(0, 2)));
        await WaitReplyTo(host, id);
        Assert.False(host.Service.StoppedForGood.IsCompleted);
        var health = host.Services.GetRequiredService<DiscordHealthProbe>().Snapshot();
        Assert.Equal(GatewayState.Failed, health.State);
        Assert.Equal(4014, health.Shards.Single(s => s.Id == 1).FatalCloseCode);
        Assert.Equal(GatewayState.Ready, health.Shards.Single(s => s.Id == 0).State);
    }

    [Fact]
    public async Task ShardingRequired_StopsForGood_WithOneLineNamingTheSetting()
    {
        await using var host = await DiscordTestHost.CreateAsync(setupFake: f => f.Sharding.RequiredShards = 2);
        await host.StartAsync();
        var reason = await host.Service.StoppedForGood.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Discord closed the gateway with 4011 (sharding required (more than 2500 guilds per shard): set Discord:ShardCount=auto or a higher number)", reason);
        Assert.Single(host.Fake.Connections);
    }
}
