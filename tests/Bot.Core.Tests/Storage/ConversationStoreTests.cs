using Bot.Core.Answers;
using Bot.Core.Conversations;
using Bot.Core.Storage;

namespace Bot.Core.Tests.Storage;

/// <summary>The thread context store on both providers: last turn per thread, expiry, no channel id stored.</summary>
public abstract class ConversationStoreTests : StorageTestBase
{
    private ConversationStore NewStore(BotDatabase? db = null)
    {
        db ??= NewDatabase();
        return new ConversationStore(db, new FeedbackStore(db, Time));
    }

    [SkippableFact]
    public void Save_KeepsTheLastTurnPerThread_SeenByAnotherReplica_UntilItExpires()
    {
        var a = NewStore();
        var b = NewStore(); // another replica on the same database
        var thread = new ThreadKey("slack", "C0SECRETCHAN", "1754000000.000100");
        var now = Time.GetUtcNow();
        a.Save(thread, new ConversationTurn("딥시크 V3 훈련 비용은?", "딥시크 V3 훈련 비용", Language.Korean, false, now), now.AddHours(-24));
        a.Save(thread, new ConversationTurn("그럼 R1은?", "R1 훈련 비용", Language.Korean, false, now.AddMinutes(1)), now.AddHours(-24));

        var last = b.Last(thread, now.AddHours(-24));
        Assert.NotNull(last);
        Assert.Equal("그럼 R1은?", last!.Question);
        Assert.Equal(1, b.Count());
        Assert.Null(b.Last(thread with { ThreadId = "other" }, now.AddHours(-24)));
        Assert.Null(b.Last(thread, now.AddMinutes(2))); // older than the caller's horizon: expired
        Assert.DoesNotContain(ReadAll("SELECT thread_hash FROM conversation_context;"), h => h.Contains("C0SECRETCHAN", StringComparison.Ordinal));

        b.Forget(thread);
        Assert.Null(a.Last(thread, now.AddHours(-24)));
    }

    [SkippableFact]
    public void Save_AndRead_DoNotWaitForTheDatabaseWideWriteLock()
    {
        Skip.IfNot(IsPostgres, "SQLite has one writer at a time by design (one file, one process); the lock in question is PostgreSQL's, shared by replicas");
        // Another writer (any store's Write, in any replica) holds the database-wide write lock; the context of a question
        // is still written and read meanwhile (an atomic upsert needs no exclusion), so answering never queues behind it.
        var db = NewDatabase();
        var other = NewDatabase();
        var store = NewStore(db);
        var thread = new ThreadKey("discord", "123", "456");
        var now = Time.GetUtcNow();
        store.Last(thread, now); // initialised before the lock is taken
        using var saved = new ManualResetEventSlim();
        var savedUnderLock = false;
        var lockHeld = 0;
        Task? worker = null;
        other.Write(c =>
        {
            Volatile.Write(ref lockHeld, 1);
            worker = Task.Run(() =>
            {
                store.Save(thread, new ConversationTurn("딥시크 비용은?", "딥시크 비용", Language.Korean, false, now), now.AddHours(-24));
                savedUnderLock = store.Last(thread, now.AddHours(-24)) is not null && Volatile.Read(ref lockHeld) == 1;
                saved.Set();
            });
            var done = saved.Wait(TimeSpan.FromSeconds(10)); // released at once when the save does not wait for this lock
            Volatile.Write(ref lockHeld, 0);
            return done;
        });
        worker!.Wait(TimeSpan.FromSeconds(30));
        Assert.True(savedUnderLock, "the context write waited for another writer's database-wide lock");
    }

    [SkippableFact]
    public void Purge_DeletesOnlyExpiredContexts()
    {
        var store = NewStore();
        var now = Time.GetUtcNow();
        store.Save(new ThreadKey("slack", "C1", "1"), new ConversationTurn("옛 질문", "옛 질문", Language.Korean, false, now.AddDays(-2)), now.AddDays(-3));
        store.Save(new ThreadKey("slack", "C1", "2"), new ConversationTurn("새 질문", "새 질문", Language.Korean, false, now), now.AddDays(-3));
        Assert.Equal(2, store.Count());

        Assert.Equal(1, store.Purge(now.AddDays(-1)));
        Assert.Equal(1, store.Count());
        Assert.NotNull(store.Last(new ThreadKey("slack", "C1", "2"), now.AddDays(-1)));
    }

    public sealed class OnSqlite : ConversationStoreTests
    {
    }

    public sealed class OnPostgres : ConversationStoreTests
    {
        protected override bool IsPostgres => true;
    }
}
