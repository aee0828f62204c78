using Bot.Core.Answers;

namespace Bot.Core.Conversations;

/// <summary>The last question asked in a thread, as the next follow-up needs it.</summary>
/// <param name="Question">The question as the user asked it (what an answer says it took context from).</param>
/// <param name="Resolved">The question as it was searched (with the topic it carried over, for a follow-up), which the next follow-up builds on.</param>
/// <param name="Language">The language of the question.</param>
/// <param name="Private">
/// Asked where only the asker saw it (a DM, an ephemeral command): such a turn is context only for another private
/// question, never for one answered in public, so it can never be quoted where others see it.
/// </param>
/// <param name="At">When it was asked (UTC).</param>
public sealed record ConversationTurn(string Question, string Resolved, Language Language, bool Private, DateTimeOffset At);

/// <summary>
/// Where thread context lives: the shared store, so it survives restarts and is seen by every replica. One SQLite
/// implementation today (<see cref="Storage.ConversationStore"/>); another database provider implements this same
/// interface. Implementations keep no user id and no raw channel id; every method is thread-safe and may throw
/// <see cref="Storage.StorageException"/>.
/// </summary>
public interface IConversationStore
{
    /// <summary>The thread's last turn if it was asked at or after <paramref name="notBefore"/>, else null.</summary>
    ConversationTurn? Last(ThreadKey thread, DateTimeOffset notBefore);

    /// <summary>Makes <paramref name="turn"/> the thread's last turn, and deletes every thread's turn older than <paramref name="expiredBefore"/>.</summary>
    void Save(ThreadKey thread, ConversationTurn turn, DateTimeOffset expiredBefore);

    /// <summary>Forgets the thread's context (e.g. the thread was deleted).</summary>
    void Forget(ThreadKey thread);
}
