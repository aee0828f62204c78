using Bot.Core.Answers;
using Bot.Core.Conversations;

namespace Bot.Core.Storage;

/// <summary>
/// <see cref="IConversationStore"/> in the SQLite file (table <c>conversation_context</c>, migration v5). A thread is
/// stored only as SHA-256(per-install salt ‖ platform ‖ channel ‖ thread) with the same salt as feedback users
/// (<see cref="FeedbackStore"/>), so the table holds no channel id (a DM channel's included) and a copy of it cannot be
/// matched to threads without the salt. One row per thread (the last question); rows past the TTL are deleted at most once
/// a minute, on a write.
/// Every statement is one atomic upsert, read or delete, so none takes the database-wide write lock that
/// <see cref="BotDatabase.Write{T}"/> holds: on PostgreSQL that lock is shared by every replica, and a context write per
/// question under it serialised all answering (the replica load test answered 406 of 3,000 events). They run on the quick
/// connections (<see cref="BotDatabase.RunQuick{T}"/>: short waits; PostgreSQL commits them without waiting for the disk),
/// since a context lost in a crash only makes a follow-up stand alone, and a slow database must not hold up an answer.
/// </summary>
public sealed class ConversationStore : IConversationStore
{
    private static readonly long PurgeEveryTicks = TimeSpan.FromMinutes(1).Ticks;

    private readonly BotDatabase _db;
    private readonly FeedbackStore _salted;
    private long _nextPurge;

    public ConversationStore(BotDatabase db, FeedbackStore salted)
    {
        _db = db;
        _salted = salted;
    }

    public ConversationTurn? Last(ThreadKey thread, DateTimeOffset notBefore)
    {
        var key = Key(thread);
        return _db.RunQuick(c =>
        {
            using var cmd = c.Command(
                "SELECT question, resolved, language, private, at_utc FROM conversation_context WHERE thread_hash = @k AND at_utc >= @t;",
                ("@k", key), ("@t", Db.Time(notBefore)));
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new ConversationTurn(r.GetString(0), r.GetString(1), r.GetString(2) == "ko" ? Language.Korean : Language.English, r.GetInt32(3) == 1, Db.ParseTime(r.GetString(4)))
                : null;
        });
    }

    public void Save(ThreadKey thread, ConversationTurn turn, DateTimeOffset expiredBefore)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var key = Key(thread);
        _db.RunQuick(c => c.Exec(
            """
            INSERT INTO conversation_context (thread_hash, question, resolved, language, private, at_utc) VALUES (@k, @q, @r, @l, @p, @t)
            ON CONFLICT (thread_hash) DO UPDATE SET question = excluded.question, resolved = excluded.resolved,
                language = excluded.language, private = excluded.private, at_utc = excluded.at_utc;
            """,
            ("@k", key), ("@q", turn.Question), ("@r", turn.Resolved), ("@l", turn.Language == Language.Korean ? "ko" : "en"),
            ("@p", turn.Private ? 1 : 0), ("@t", Db.Time(turn.At))));

        // Reads ignore expired rows anyway; deleting them is housekeeping, once a minute per process at most.
        var now = turn.At.UtcTicks; // the caller's clock (a test's fake one too)
        var next = Interlocked.Read(ref _nextPurge);
        if (now >= next && Interlocked.CompareExchange(ref _nextPurge, now + PurgeEveryTicks, next) == next)
        {
            Purge(expiredBefore);
        }
    }

    /// <summary>Deletes the contexts older than <paramref name="expiredBefore"/>; returns how many.</summary>
    public int Purge(DateTimeOffset expiredBefore) =>
        _db.RunQuick(c => c.Exec("DELETE FROM conversation_context WHERE at_utc < @t;", ("@t", Db.Time(expiredBefore))));

    public void Forget(ThreadKey thread)
    {
        var key = Key(thread);
        _db.RunQuick(c => c.Exec("DELETE FROM conversation_context WHERE thread_hash = @k;", ("@k", key)));
    }

    /// <summary>How many threads have a stored context (tests and the dashboard's curiosity).</summary>
    public int Count() => _db.Run(c => Convert.ToInt32(c.Scalar("SELECT COUNT(*) FROM conversation_context;"), System.Globalization.CultureInfo.InvariantCulture));

    private string Key(ThreadKey thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return _salted.HashUser(thread.Platform, $"thread\0{thread.ChannelId}\0{thread.ThreadId}");
    }
}
