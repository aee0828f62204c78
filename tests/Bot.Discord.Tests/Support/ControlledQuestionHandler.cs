using System.Collections.Concurrent;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;

namespace Bot.Discord.Tests.Support;

/// <summary>
/// A decorator around the real question handler: counts calls, records questions, and can hold answers back (a slow
/// retriever) until the test releases them. Like Core's QuestionHandler, every call runs on a real
/// <see cref="QuestionExecutor"/> (the host's, from its Retrieval:* settings), so a held call occupies a retrieval thread.
/// </summary>
internal sealed class ControlledQuestionHandler(IQuestionHandler inner) : IQuestionHandler
{
    private volatile TaskCompletionSource? _gate;
    private QuestionExecutor? _executor;

    /// <summary>The executor the calls run on (set by the test host once its services are built).</summary>
    public void UseExecutor(QuestionExecutor executor) => _executor = executor;

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<int> Tops { get; } = new();

    public int Started => Calls.Count;

    /// <summary>The adapter's start-up warm-up questions (passed through; not counted as calls, never held).</summary>
    public ConcurrentQueue<string> WarmUps { get; } = new();

    /// <summary>Warm-up questions answered (they share the retrieval threads and the queue with real questions).</summary>
    public int WarmUpsDone => Volatile.Read(ref _warmUpsDone);

    private int _warmUpsDone;

    /// <summary>Hold every call until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken) =>
        Run(ct =>
        {
            if (context.IsWarmUp)
            {
                WarmUps.Enqueue(question);
                try
                {
                    return inner.AskAsync(question, context, top, ct).GetAwaiter().GetResult();
                }
                finally
                {
                    Interlocked.Increment(ref _warmUpsDone);
                }
            }

            Tops.Enqueue(top);
            Calls.Enqueue("ask:" + question);
            WaitGate();
            return inner.AskAsync(question, context, top, ct).GetAwaiter().GetResult();
        }, cancellationToken);

    public Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken) =>
        Run(ct =>
        {
            Tops.Enqueue(top);
            Calls.Enqueue("search:" + query);
            WaitGate();
            return inner.SearchAsync(query, context, top, ct).GetAwaiter().GetResult();
        }, cancellationToken);

    public Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken) =>
        Run(ct =>
        {
            Calls.Enqueue("source:" + document);
            WaitGate();
            return inner.SourceAsync(document, context, ct).GetAwaiter().GetResult();
        }, cancellationToken);

    public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) => inner.SuggestArticles(prefix, max);

    private Task<T> Run<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken) =>
        (_executor ?? throw new InvalidOperationException("UseExecutor first")).RunAsync(work, cancellationToken);

    // Deliberately ignores cancellation: a slow retriever that does not observe the token (it holds its retrieval thread).
    private void WaitGate() => _gate?.Task.GetAwaiter().GetResult();
}
