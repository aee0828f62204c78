using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Gateway;

/// <summary>
/// Discord:ShardIds=auto: two replicas (two adapters, each its own owner id) on one store and one fake Discord with two
/// shards split the shards through leases, each answers its own shard's guilds, and when one dies without releasing
/// (a SIGKILL) the other takes its shard once the leases expire.
/// </summary>
public sealed class DiscordShardReplicaTests : IDisposable
{
    private static readonly string Mention = "<@" + FakeDiscordServer.BotUserId + "> 딥시크 본사는 어디에 있나요?";
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-discord-replicas");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TwoReplicas_SplitTheShards_AndTheSurvivorTakesOverAKilledReplicasShard(string provider)
    {
        string? pg = null;
        if (provider == "postgres")
        {
            Skip.IfNot(PostgresServer.Instance.Available, PostgresServer.Instance.Missing);
            pg = PostgresServer.Instance.NewSchema("discord_shards");
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
        await using var fake = await FakeDiscordServer.StartAsync(time);
        fake.Sharding.RecommendedShards = 2;
        fake.Sharding.MaxConcurrency = 2;

        Task<DiscordTestHost> Replica() => DiscordTestHost.CreateAsync(c =>
        {
            c["Discord:ShardCount"] = "auto";
            c["Discord:ShardIds"] = "auto";
            c["Storage:BusyTimeout"] = "00:00:05";
            if (pg is not null)
            {
                c["Storage:Provider"] = "postgres";
                c["Storage:ConnectionString"] = pg;
                c["Storage:FeedbackSalt"] = "a test salt of sixteen+ chars";
            }
        }, storagePath: Path.Combine(_tmp.Path, "data", "bot.db"), sharedFake: fake, sharedTime: time);

        await using var a = await Replica();
        var leasesA = a.Services.GetRequiredService<ShardLeaseCoordinator>();
        await a.StartAsync();

        // Alone, replica A's fair share is both shards.
        await FakeDiscordServer.WaitUntilAsync(() => leasesA.Held.Count == 2 && Ready(a, 0) && Ready(a, 1), "A holds and runs both shards");
        await a.Service.CommandsRegistered.WaitAsync(TimeSpan.FromSeconds(30));

        await using var b = await Replica();
        var leasesB = b.Services.GetRequiredService<ShardLeaseCoordinator>();
        Assert.NotEqual(leasesA.Owner, leasesB.Owner);
        await b.StartAsync();
        await FakeDiscordServer.WaitUntilAsync(() => leasesB.Ticks >= 1, "B's first tick");

        // Two live replicas: A gives shard 1 up on its next tick, B takes it on one of its next ticks.
        await RoundsUntilAsync(time, [leasesA, leasesB], () => leasesA.Held.SequenceEqual([0]) && leasesB.Held.SequenceEqual([1]) && Ready(b, 1), "the shards split", 6);
        Assert.Equal(1000, fake.Connections.First(c => c.ShardId == 1).ClientCloseCode); // A closed its shard-1 session before releasing it
        await AnsweredOnceAsync(fake, 0);
        await AnsweredOnceAsync(fake, 1);
        Assert.Single(fake.RequestsTo("PUT", "/applications/" + FakeDiscordServer.AppId + "/commands")); // by A (shard 0) only

        // A dies without releasing anything: its leases expire after 30 s and B takes shard 0 on the tick after that.
        leasesA.ReleaseOnStop = false;
        await a.StopAsync();
        var killedAt = time.GetUtcNow();
        await RoundsUntilAsync(time, [leasesB], () => leasesB.Held.SequenceEqual([0, 1]) && Ready(b, 0), "B took shard 0 over", 6);
        var takeover = time.GetUtcNow() - killedAt;
        Assert.InRange(takeover, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(40));
        await AnsweredOnceAsync(fake, 0);
        await AnsweredOnceAsync(fake, 1);
        Assert.Equal(0, fake.Sharding.RateLimitViolations);
    }

    [Fact]
    public async Task LeaseRenewalFails_ThatShardsSessionClosesAtOnce_OthersKeepRunning()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
        await using var fake = await FakeDiscordServer.StartAsync(time);
        fake.Sharding.MaxConcurrency = 2;
        await using var a = await DiscordTestHost.CreateAsync(c =>
        {
            c["Discord:ShardCount"] = "2";
            c["Discord:ShardIds"] = "auto";
        }, storagePath: Path.Combine(_tmp.Path, "data", "bot.db"), sharedFake: fake, sharedTime: time);
        var leasesA = a.Services.GetRequiredService<ShardLeaseCoordinator>();
        await a.StartAsync();
        await FakeDiscordServer.WaitUntilAsync(() => Ready(a, 0) && Ready(a, 1), "both shards");

        // Someone else ends up holding shard 1's lease (e.g. A stalled past the TTL and another replica took it).
        var store = a.Services.GetRequiredService<Bot.Core.Storage.IShardLeases>();
        Assert.True(store.Release(Bot.Core.Storage.ShardLeaseStore.ShardName(1), leasesA.Owner));
        Assert.True(store.TryAcquire(Bot.Core.Storage.ShardLeaseStore.ShardName(1), "intruder", TimeSpan.FromMinutes(5)));
        var shard1 = fake.Connections.Single(c => c.ShardId == 1);

        await RoundsUntilAsync(time, [leasesA], () => leasesA.Held.SequenceEqual([0]) && shard1.Ended.IsCompleted, "shard 1 stopped", 2);
        Assert.Equal(1000, shard1.ClientCloseCode);
        await Task.Delay(200);
        Assert.Single(fake.Connections, c => c.ShardId == 1); // not reopened: the lease is not ours
        Assert.True(Ready(a, 0));
        await AnsweredOnceAsync(fake, 0);
    }

    private static bool Ready(DiscordTestHost host, int shard) =>
        host.Shards.Running.Contains(shard) && host.Shards.Get(shard) is { State: GatewayState.Ready };

    /// <summary>Advances the shared clock by one renew interval at a time (each replica ticks once per round) until <paramref name="done"/>.</summary>
    private static async Task RoundsUntilAsync(FakeTimeProvider time, ShardLeaseCoordinator[] replicas, Func<bool> done, string what, int maxRounds)
    {
        for (var round = 0; round < maxRounds; round++)
        {
            await Task.Delay(100); // let connections started by the last tick finish their handshake
            if (done())
            {
                return;
            }

            var before = replicas.Select(r => r.Ticks).ToArray();
            time.Advance(TimeSpan.FromSeconds(10));
            await FakeDiscordServer.WaitUntilAsync(() => replicas.Select((r, i) => r.Ticks > before[i]).All(x => x), "a tick of every replica");
        }

        await FakeDiscordServer.WaitUntilAsync(done, what, 5_000);
    }

    /// <summary>A mention in a guild of <paramref name="shard"/> gets exactly one reply, from whichever replica runs the shard.</summary>
    private static async Task AnsweredOnceAsync(FakeDiscordServer fake, int shard)
    {
        var id = Events.NewId();
        await fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(Mention, id: id, guildId: Events.GuildOnShard(shard, 2)));
        bool Replied(int n) => fake.CreatedMessages.Count(m => m.Body["message_reference"]?["message_id"]?.GetValue<string>() == id) == n;
        await FakeDiscordServer.WaitUntilAsync(() => Replied(1), "reply on shard " + shard);
        await Task.Delay(200);
        Assert.True(Replied(1));
    }
}
