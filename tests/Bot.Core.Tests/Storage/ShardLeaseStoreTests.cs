using Bot.Core.Storage;

namespace Bot.Core.Tests.Storage;

public abstract class ShardLeaseStoreTests : StorageTestBase
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public void Acquire_OneOwnerAtATime_ExpiredLeaseTakenOver()
    {
        var a = new ShardLeaseStore(NewDatabase(), Time);
        var b = new ShardLeaseStore(NewDatabase(), Time);
        var shard0 = ShardLeaseStore.ShardName(0);
        Assert.Equal("discord-shard-0", shard0);

        Assert.True(a.TryAcquire(shard0, "replica-a", Ttl));
        Assert.False(b.TryAcquire(shard0, "replica-b", Ttl));
        Assert.True(a.TryAcquire(shard0, "replica-a", Ttl)); // the holder again: renews
        Assert.True(b.TryAcquire(ShardLeaseStore.ShardName(1), "replica-b", Ttl));

        Time.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.False(b.TryAcquire(shard0, "replica-b", Ttl));
        Time.Advance(TimeSpan.FromSeconds(1)); // replica-a stopped renewing: its lease has expired
        Assert.True(b.TryAcquire(shard0, "replica-b", Ttl));
        Assert.Equal("replica-b", Assert.Single(b.Live("discord-shard-0")).Owner);
        Assert.False(a.Renew(shard0, "replica-a", Ttl)); // taken over: the old owner must stop
    }

    [SkippableFact]
    public void Renew_OnlyByTheOwner_ReleaseFreesAtOnce()
    {
        var leases = new ShardLeaseStore(NewDatabase(), Time);
        var shard = ShardLeaseStore.ShardName(3);
        Assert.False(leases.Renew(shard, "replica-a", Ttl)); // never taken
        Assert.True(leases.TryAcquire(shard, "replica-a", Ttl));
        var acquired = Assert.Single(leases.Live()).Acquired;

        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(leases.Renew(shard, "replica-b", Ttl));
        Assert.True(leases.Renew(shard, "replica-a", Ttl));
        var live = Assert.Single(leases.Live());
        Assert.Equal((Time.GetUtcNow() + Ttl, acquired), (live.Expires, live.Acquired));

        Time.Advance(TimeSpan.FromSeconds(25)); // past the first expiry, within the renewed one
        Assert.False(new ShardLeaseStore(NewDatabase(), Time).TryAcquire(shard, "replica-b", Ttl));

        Assert.False(leases.Release(shard, "replica-b"));
        Assert.True(leases.Release(shard, "replica-a"));
        Assert.True(leases.TryAcquire(shard, "replica-b", Ttl));
    }

    [SkippableFact]
    public void LiveOwners_CountsReplicasWithUnexpiredLeases()
    {
        var leases = new ShardLeaseStore(NewDatabase(), Time);
        leases.TryAcquire("replica-a", "a", Ttl);
        leases.TryAcquire("replica-b", "b", TimeSpan.FromSeconds(5));
        leases.TryAcquire("discord-shard-0", "a", Ttl);
        leases.TryAcquire("discord-shard-1", "b", Ttl);
        Assert.Equal(["a", "b"], leases.LiveOwners("replica-"));
        Assert.Equal(["discord-shard-0", "discord-shard-1"], leases.Live("discord-shard-").Select(l => l.Name));

        Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(["a"], leases.LiveOwners("replica-"));
        Assert.Equal(3, leases.Live().Count);
    }

    [SkippableFact]
    public async Task Acquire_TwoReplicasRaceForAFreeShard_ExactlyOneWins()
    {
        var replicas = new[] { new ShardLeaseStore(NewDatabase(), Time), new ShardLeaseStore(NewDatabase(), Time) };
        for (var shard = 0; shard < 20; shard++)
        {
            var name = ShardLeaseStore.ShardName(shard);
            using var go = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            {
                go.Wait();
                return replicas[i % 2].TryAcquire(name, $"replica-{i}", Ttl);
            })).ToArray();
            go.Set();
            Assert.Single(await Task.WhenAll(racers), won => won);
        }
    }

    public sealed class OnSqlite : ShardLeaseStoreTests
    {
    }

    public sealed class OnPostgres : ShardLeaseStoreTests
    {
        protected override bool IsPostgres => true;
    }
}
