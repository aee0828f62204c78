using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Conversations;

namespace Bot.Core.Chat;

/// <summary>
/// The follow-up half every chat platform shares, over Core's <see cref="ConversationService"/> (when storage is
/// configured; otherwise every question stands alone): whether a thread has a live public context (a message there
/// without a mention is then read as a follow-up), asking a question in its thread or on its own, and keeping an answer
/// as a thread's context. The platforms only say which thread (<see cref="ThreadKey"/>) a message belongs to.
/// </summary>
public sealed class ChatConversations
{
    private readonly IQuestionHandler _questions;
    private readonly ConversationService? _conversations;

    public ChatConversations(IQuestionHandler questions, ConversationService? conversations = null)
    {
        _questions = questions;
        _conversations = conversations;
    }

    /// <summary>False when no context store is configured (messages without a mention are then never answered).</summary>
    public bool Enabled => _conversations is not null;

    /// <summary>Whether <paramref name="thread"/> has a live context a public question may use.</summary>
    public bool HasPublicContext(ThreadKey thread) =>
        _conversations is not null && _conversations.HasContext(thread, isPrivate: false);

    /// <summary>
    /// Asks <paramref name="question"/> in <paramref name="thread"/> (the context read and the new turn recorded after a
    /// yield, never on the caller's ack path), or on its own when there is no store or no thread.
    /// </summary>
    public async Task<Answer> AskAsync(string question, ThreadKey? thread, QueryContext context, int top, CancellationToken ct)
    {
        if (_conversations is null || thread is null)
        {
            return await _questions.AskAsync(question, context, top, ct).ConfigureAwait(false);
        }

        await Task.Yield();
        return await _conversations.AskAsync(question, thread, context, top, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps a public answer's question as <paramref name="thread"/>'s context without asking again (for a thread known
    /// only once the answer is posted, e.g. Discord's reply message); only answers and "not found", like a thread's turns.
    /// </summary>
    public void RememberPublic(ThreadKey thread, Answer answer)
    {
        if (_conversations is null || answer.Status is not (AnswerStatus.Answered or AnswerStatus.NotFound))
        {
            return;
        }

        _conversations.Remember(thread, answer, isPrivate: false);
    }
}
