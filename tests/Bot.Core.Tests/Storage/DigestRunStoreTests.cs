using Bot.Core.Chat;
using Bot.Core.Corpus;
using Bot.Core.Storage;

namespace Bot.Core.Tests.Storage;

public abstract class DigestRunStoreTests : StorageTestBase
{
    [SkippableFact]
    public void TryBegin_SameScheduleTickTarget_OnlyOnce()
    {
        var runs = new DigestRunStore(NewDatabase(), Time);
        var tick = Time.GetUtcNow();
        var a = new ChannelRef("discord", "1");
        var first = runs.TryBegin("daily", tick, a, DigestRunStore.TriggerSchedule, tick.AddDays(-1));
        Assert.NotNull(first);
        Assert.Null(runs.TryBegin("daily", tick, a, DigestRunStore.TriggerSchedule, null));
        Assert.Null(new DigestRunStore(NewDatabase(), Time).TryBegin("daily", tick, a, DigestRunStore.TriggerSchedule, null));
        Assert.NotNull(runs.TryBegin("daily", tick, new ChannelRef("slack", "1"), DigestRunStore.TriggerSchedule, null));
        Assert.NotNull(runs.TryBegin("weekly", tick, a, DigestRunStore.TriggerSchedule, null));
        Assert.NotNull(runs.TryBegin("daily", tick.AddDays(1), a, DigestRunStore.TriggerSchedule, null));

        runs.Complete(first.Value, DigestRunState.Posted, ["m1", "m2"]);
        runs.Complete(first.Value, DigestRunState.Failed, null, "late");   // a result is final
        var run = runs.Runs("daily").First();
        Assert.Equal(DigestRunState.Posted, run.State);
        Assert.Equal(["m1", "m2"], run.MessageIds);
        Assert.Null(run.Error);
        Assert.Equal(tick.AddDays(1), runs.LastTick("daily"));
        Assert.Equal(tick, runs.LastDelivered("daily", a, tick.AddDays(1)));
        Assert.Null(runs.LastDelivered("daily", a, tick));
    }

    [SkippableFact]
    public void RecoverInterrupted_TurnsIntentsIntoUnknownOnly()
    {
        var runs = new DigestRunStore(NewDatabase(), Time);
        var tick = Time.GetUtcNow();
        var posted = runs.TryBegin("d", tick, new ChannelRef("discord", "1"), "schedule", null)!.Value;
        runs.Complete(posted, DigestRunState.Posted, ["m"]);
        runs.TryBegin("d", tick, new ChannelRef("slack", "C1"), "schedule", null);

        var recovered = new DigestRunStore(NewDatabase(), Time).RecoverInterrupted();

        Assert.Equal("C1", Assert.Single(recovered).Target.ChannelId);
        var states = runs.Runs().ToDictionary(r => r.Target.Platform, r => r.State);
        Assert.Equal(DigestRunState.Posted, states["discord"]);
        Assert.Equal(DigestRunState.Unknown, states["slack"]);
        Assert.Empty(runs.RecoverInterrupted());
    }

    [SkippableFact]
    public void SnapshotSync_BaselineThenAddedChangedRemoved()
    {
        var store = new ArticleSnapshotStore(NewDatabase(), Time);
        static Article A(string id, string text) => CorpusLoader.Parse(id, System.Text.Encoding.UTF8.GetBytes(text));
        var baseline = store.Sync([A("a", "가나다 기사\n첫 문장입니다."), A("b", "라마바 기사\n둘째 기사입니다.")]);
        Assert.True(baseline.Baseline);
        var t0 = Time.GetUtcNow();
        Assert.Empty(store.ChangedBetween(t0.AddDays(-1), t0.AddDays(1)));

        Time.Advance(TimeSpan.FromMinutes(10));
        var changes = store.Sync([A("a", "가나다 기사\n첫 문장을 고쳤습니다."), A("c", "새 기사 제목\n새로운 내용입니다.")]);
        Assert.Equal(new SnapshotChanges(1, 1, 1, false), changes);
        var changed = store.ChangedBetween(t0, Time.GetUtcNow());
        Assert.Equal(["a", "c"], changed.Select(s => s.DocId));
        Assert.False(changed[0].IsNew);
        Assert.True(changed[1].IsNew);
        Assert.NotNull(store.All().Single(s => s.DocId == "b").Removed);
        Assert.Null(store.Sync([A("a", "가나다 기사\n첫 문장을 고쳤습니다."), A("c", "새 기사 제목\n새로운 내용입니다.")]) is { Added: > 0 } ? "x" : null);
    }

    [SkippableFact]
    public async Task TryBegin_TwoReplicasRaceForEveryTick_ExactlyOneWinsEach()
    {
        var replicas = new[] { new DigestRunStore(NewDatabase(), Time), new DigestRunStore(NewDatabase(), Time) };
        var target = new ChannelRef("slack", "C1");
        var t0 = Time.GetUtcNow();
        for (var tick = 0; tick < 20; tick++)
        {
            var at = t0.AddMinutes(tick);
            using var go = new ManualResetEventSlim();
            var claims = Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            {
                go.Wait();
                return replicas[i % 2].TryBegin("minutely", at, target, DigestRunStore.TriggerSchedule, null);
            })).ToArray();
            go.Set();
            var ids = await Task.WhenAll(claims);
            Assert.Single(ids, id => id is not null);
        }

        Assert.Equal(20, replicas[1].Runs("minutely").Count);
    }

    /// <summary>The suite on a SQLite file.</summary>
    public sealed class OnSqlite : DigestRunStoreTests
    {
    }

    /// <summary>The suite on PostgreSQL (skipped where it is not installed).</summary>
    public sealed class OnPostgres : DigestRunStoreTests
    {
        protected override bool IsPostgres => true;
    }
}
