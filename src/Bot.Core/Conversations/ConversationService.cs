using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Conversations;

/// <summary>
/// Questions asked in a thread, with the thread's context: what every platform calls for a question in a thread (and the
/// command line's <c>chat</c>). It reads the thread's last turn from the <see cref="IConversationStore"/> (if younger than
/// <see cref="ConversationOptions.ContextTtl"/>), lets the <see cref="FollowUpResolver"/> decide whether the new message
/// leans on it, asks <see cref="IQuestionHandler"/> (the one retrieval pool; same busy and logging rules as any ask), and
/// records the new turn. A private turn (DM, ephemeral) is context only for a private follow-up. A store that fails is
/// logged and the question is answered without context: the user still gets an answer.
/// </summary>
public sealed partial class ConversationService
{
    private readonly IQuestionHandler _questions;
    private readonly FollowUpResolver _resolver;
    private readonly IConversationStore _store;
    private readonly ConversationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ConversationService(IQuestionHandler questions, SearchEngine engine, IConversationStore store, IOptions<ConversationOptions> options, TimeProvider time, ILogger<ConversationService>? logger = null)
        : this(questions, new FollowUpResolver(engine.Planner), store, options.Value, time, logger)
    {
    }

    public ConversationService(IQuestionHandler questions, FollowUpResolver resolver, IConversationStore store, ConversationOptions options, TimeProvider time, ILogger<ConversationService>? logger = null)
    {
        _questions = questions;
        _resolver = resolver;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public FollowUpResolver Resolver => _resolver;

    /// <summary>
    /// Answers <paramref name="question"/> asked in <paramref name="thread"/>: an elliptical follow-up is searched with the
    /// earlier question's topic and the answer's <see cref="Answer.FollowUp"/> names that earlier question; a complete one
    /// stands alone. Either way the question becomes the thread's context for the next one. <paramref name="context"/>'s
    /// <see cref="QueryContext.InChannel"/> says whether the answer is public. Throws <see cref="QuestionsBusyException"/>
    /// like <see cref="IQuestionHandler.AskAsync"/>.
    /// </summary>
    public async Task<Answer> AskAsync(string question, ThreadKey thread, QueryContext context, int top, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        ArgumentNullException.ThrowIfNull(context);
        var text = AnswerComposer.Normalize(question);
        var isPrivate = !context.InChannel;
        var earlier = Earlier(thread, isPrivate);
        var resolution = earlier is null ? new FollowUpResolution(false, text, []) : _resolver.Resolve(earlier.Resolved, text);
        var answer = await _questions.AskAsync(resolution.Query, context, top, cancellationToken).ConfigureAwait(false);
        if (resolution.Elliptical && earlier is not null)
        {
            answer = answer with { FollowUp = new FollowUpContext(earlier.Question, text, resolution.Query, resolution.Carried) };
        }

        if (answer.Status is AnswerStatus.Answered or AnswerStatus.NotFound)
        {
            Remember(thread, new ConversationTurn(text, resolution.Query, answer.Language, isPrivate, _time.GetUtcNow()));
        }

        return answer;
    }

    /// <summary>
    /// True when the thread has a live context the asker may use: adapters call it to take a message in a thread without a
    /// mention as a question (only in threads where the bot answered within the TTL).
    /// </summary>
    public bool HasContext(ThreadKey thread, bool isPrivate) => Earlier(thread, isPrivate) is not null;

    /// <summary>
    /// Records an answered question as <paramref name="thread"/>'s context without asking again: for a platform whose
    /// thread is known only after the answer is posted (Discord: key the context under the bot's reply message id, so a
    /// reply to that message continues it). A follow-up's answer records what it was searched as, so context chains on.
    /// </summary>
    public void Remember(ThreadKey thread, Answer answer, bool isPrivate)
    {
        ArgumentNullException.ThrowIfNull(answer);
        Remember(thread, new ConversationTurn(answer.FollowUp?.Asked ?? answer.Question, answer.Question, answer.Language, isPrivate, _time.GetUtcNow()));
    }

    /// <summary>Forgets the thread's context.</summary>
    public void Forget(ThreadKey thread) => Safely(() => _store.Forget(thread), "forget");

    private ConversationTurn? Earlier(ThreadKey thread, bool isPrivate)
    {
        ConversationTurn? turn = null;
        Safely(() => turn = _store.Last(thread, _time.GetUtcNow() - _options.ContextTtl), "read");
        return turn is not null && (isPrivate || !turn.Private) ? turn : null;
    }

    private void Remember(ThreadKey thread, ConversationTurn turn) =>
        Safely(() => _store.Save(thread, turn, turn.At - _options.ContextTtl), "write");

    private void Safely(Action action, string what)
    {
        try
        {
            action();
        }
        catch (Storage.StorageException ex)
        {
            LogStoreFailed(_logger, what, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation context {What} failed; answering without it: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string what, string reason);
}
