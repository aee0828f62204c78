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

    public sealed class OnSqlite : ConversationStoreTests
    {
    }

    public sealed class OnPostgres : ConversationStoreTests
    {
        protected override bool IsPostgres => true;
    }
}
