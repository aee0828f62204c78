using System.Collections.Concurrent;
using System.Diagnostics;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Storage;

public abstract class EventClaimStoreTests : StorageTestBase
{
    private EventClaimStore NewClaims(BotDatabase? db = null) => new(db ?? NewDatabase(), Time, NullLogger<EventClaimStore>.Instance);

    [SkippableFact]
    public void TryClaim_FirstWins_RepeatLoses_UntilTheClaimExpires()
    {
        var a = NewClaims();
        var b = NewClaims(); // another replica on the same database
        Assert.True(a.TryClaim("slack:event:Ev01", TimeSpan.FromMinutes(5)));
        Assert.False(a.TryClaim("slack:event:Ev01", TimeSpan.FromMinutes(5)));
        Assert.False(b.TryClaim("slack:event:Ev01", TimeSpan.FromMinutes(5)));
        Assert.True(b.TryClaim("slack:event:Ev02", TimeSpan.FromMinutes(5)));

        Time.Advance(TimeSpan.FromMinutes(4));
        Assert.False(b.TryClaim("slack:event:Ev01", TimeSpan.FromMinutes(5)));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(b.TryClaim("slack:event:Ev01", TimeSpan.FromMinutes(5))); // expired: claimable again
        Assert.False(a.TryClaim("slack:event:Ev01", TimeSpan.FromMinutes(5)));
    }

    [SkippableFact]
    public void Extend_ShortClaimGetsItsFullLifetime_OtherReplicaLosesAfterTheShortTtl()
    {
        var a = NewClaims();
        var b = NewClaims();
        Assert.True(a.TryClaim("slack:event:EvAcked", TimeSpan.FromSeconds(3)));
        Assert.True(a.TryClaim("slack:event:EvDied", TimeSpan.FromSeconds(3)));
        a.Extend("slack:event:EvAcked", TimeSpan.FromMinutes(15)); // acked; EvDied never is (the replica died)

        Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(b.TryClaim("slack:event:EvAcked", TimeSpan.FromSeconds(3))); // the redelivery of an acked event
        Assert.True(b.TryClaim("slack:event:EvDied", TimeSpan.FromSeconds(3)));   // the redelivery after a death: B answers

        Time.Advance(TimeSpan.FromMinutes(14));
        Assert.False(b.TryClaim("slack:event:EvAcked", TimeSpan.FromSeconds(3)));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(b.TryClaim("slack:event:EvAcked", TimeSpan.FromSeconds(3))); // the full lifetime ends too
        Assert.Equal(0, a.FailedExtends);
    }

    [SkippableFact]
    public void Extend_NeverShortens_AndReclaimsAnExpiredOrSweptKey()
    {
        var a = NewClaims();
        var b = NewClaims();
        Assert.True(a.TryClaim("slack:event:EvLong", TimeSpan.FromHours(1)));
        a.Extend("slack:event:EvLong", TimeSpan.FromSeconds(1)); // a late, shorter extension does not cut the claim
        Time.Advance(TimeSpan.FromMinutes(30));
        Assert.False(b.TryClaim("slack:event:EvLong", TimeSpan.FromSeconds(3)));

        // an ack so late that the short claim expired (and was swept): the extension claims the key again
        Assert.True(a.TryClaim("slack:event:EvLate", TimeSpan.FromSeconds(3)));
        Time.Advance(TimeSpan.FromSeconds(5));
        a.Sweep();
        a.Extend("slack:event:EvLate", TimeSpan.FromMinutes(15));
        Assert.False(b.TryClaim("slack:event:EvLate", TimeSpan.FromSeconds(3)));
        Time.Advance(TimeSpan.FromMinutes(14));
        Assert.False(b.TryClaim("slack:event:EvLate", TimeSpan.FromSeconds(3)));
    }

    [SkippableFact]
    public void RecentKeys_ShortClaimUntilConfirmed()
    {
        var claims = new[] { NewClaims(), NewClaims() };
        var replicaA = new Bot.Core.Chat.RecentKeys(Time, TimeSpan.FromMinutes(15), shared: claims[0], scope: "slack:");
        var replicaB = new Bot.Core.Chat.RecentKeys(Time, TimeSpan.FromMinutes(15), shared: claims[1], scope: "slack:");
        Assert.True(replicaA.TryFirstSee("envelope:E1", TimeSpan.FromSeconds(3)));
        Assert.True(replicaA.TryFirstSee("envelope:E2", TimeSpan.FromSeconds(3)));
        replicaA.Confirm("envelope:E1");
        Time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(replicaB.TryFirstSee("envelope:E1", TimeSpan.FromSeconds(3)));
        Assert.True(replicaB.TryFirstSee("envelope:E2", TimeSpan.FromSeconds(3)));
        Assert.False(replicaA.TryFirstSee("envelope:E2", TimeSpan.FromSeconds(3))); // A's memory still holds its own
    }

    [SkippableFact]
    public void Claims_StoreOnlyHashes_AndExpiredRowsArePurged()
    {
        var claims = NewClaims();
        claims.TryClaim("discord:message:1234567890123456789", TimeSpan.FromMinutes(1));
        claims.TryClaim("slack:trigger:U0SECRET.12345", TimeSpan.FromMinutes(10));
        var dump = string.Join("|", ReadAll("SELECT key FROM claims;"));
        Assert.DoesNotContain("1234567890123456789", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("U0SECRET", dump, StringComparison.Ordinal);
        Assert.Equal(2, claims.Count());

        Time.Advance(TimeSpan.FromMinutes(2));
        claims.TryClaim("slack:event:Ev03", TimeSpan.FromMinutes(1)); // a claim a minute later sweeps the expired one, in the background
        for (var wait = 0; wait < 100 && ReadAll("SELECT key FROM claims;").Count != 2; wait++)
        {
            Thread.Sleep(50);
        }

        Assert.Equal(2, ReadAll("SELECT key FROM claims;").Count);
        Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(2, claims.Sweep());
        Assert.Empty(ReadAll("SELECT key FROM claims;"));
    }

    [SkippableFact]
    public async Task TryClaim_TwoReplicasRaceForEachEvent_ExactlyOneWins()
    {
        var replicas = new[] { NewClaims(), NewClaims() };
        var wins = new ConcurrentDictionary<string, int>();
        for (var e = 0; e < 50; e++)
        {
            var key = $"slack:event:Ev{e:D4}";
            using var go = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            {
                go.Wait();
                if (replicas[i % 2].TryClaim(key, TimeSpan.FromMinutes(10)))
                {
                    wins.AddOrUpdate(key, 1, (_, n) => n + 1);
                }
            })).ToArray();
            go.Set();
            await Task.WhenAll(racers);
        }

        Assert.Equal(0, replicas[0].FailedOpen + replicas[1].FailedOpen); // no claim timed out and was let through
        Assert.Equal(50, wins.Count);
        Assert.All(wins.Values, n => Assert.Equal(1, n));
    }

    [SkippableFact]
    public void RecentKeys_WithSharedClaims_MemoryFirstThenTheStore()
    {
        var claims = new[] { NewClaims(), NewClaims() };
        var replicaA = new Bot.Core.Chat.RecentKeys(Time, TimeSpan.FromMinutes(15), shared: claims[0], scope: "slack:");
        var replicaB = new Bot.Core.Chat.RecentKeys(Time, TimeSpan.FromMinutes(15), shared: claims[1], scope: "slack:");

        Assert.True(replicaA.TryFirstSee("event:Ev1"));
        Assert.False(replicaA.TryFirstSee("event:Ev1"));  // this process's own redelivery: the memory answers
        Assert.False(replicaB.TryFirstSee("event:Ev1"));  // the other replica: the store answers
        Assert.True(replicaB.TryFirstSee("event:Ev2"));
        Assert.False(replicaA.TryFirstSee("event:Ev2"));
        Assert.Equal(2, claims[0].Count());              // one row per event, not per delivery
    }

    [SkippableFact]
    public void TryClaim_DatabaseUnusable_LetsTheEventThrough()
    {
        var options = Options(path: Path.Combine(TempPath, "broken.db"));
        if (IsPostgres)
        {
            options.ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=1";
        }
        else
        {
            File.WriteAllText(options.Path, new string('#', 5000));
        }

        using var db = new BotDatabase(Microsoft.Extensions.Options.Options.Create(options), NullLogger<BotDatabase>.Instance);
        var claims = NewClaims(db);
        Assert.True(claims.TryClaim("slack:event:Ev9", TimeSpan.FromMinutes(1)));
        Assert.Equal(1, claims.FailedOpen);
    }

    public sealed class OnSqlite : EventClaimStoreTests
    {
    }

    public sealed class OnPostgres(ITestOutputHelper output) : EventClaimStoreTests
    {
        protected override bool IsPostgres => true;

        /// <summary>Claims per second from two connections (two replicas), each claim a new key: the figure for the README.</summary>
        [SkippableFact]
        [Trait("Category", "Load")]
        public async Task Throughput_TwoReplicas()
        {
            var replicas = new[] { NewClaims(), NewClaims() };
            replicas[0].TryClaim("warm", TimeSpan.FromMinutes(1));
            const int perReplica = 1000;
            var sw = Stopwatch.StartNew();
            var won = await Task.WhenAll(replicas.Select((r, i) => Task.Run(() =>
            {
                var n = 0;
                for (var k = 0; k < perReplica; k++)
                {
                    // both replicas see every event, as two Socket Mode connections receiving redeliveries would
                    n += r.TryClaim($"slack:event:E{k}", TimeSpan.FromMinutes(10)) ? 1 : 0;
                }

                return n;
            })));
            var elapsed = sw.Elapsed;
            output.WriteLine($"event claims on PostgreSQL, 2 replicas x {perReplica} claims of the same keys: {2 * perReplica / elapsed.TotalSeconds:F0} claims/s, {won.Sum()} won");
            Assert.Equal(perReplica, won.Sum());
        }
    }
}
