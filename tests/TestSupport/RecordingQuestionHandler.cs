using System.Collections.Concurrent;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;

namespace Bot.TestSupport;

/// <summary>One question an adapter asked the handler.</summary>
public sealed record RecordedCall(string Kind, string Text, QueryContext Context, int Top)
{
    /// <summary>"ask:question", "search:query", "source:doc".</summary>
    public override string ToString() => $"{Kind}:{Text}";
}

/// <summary>
/// The one test double of the question port for both adapters' tests: decorates the real Core handler, records every
/// call (kind, text, context, top), and can hold calls back (a slow retriever, until <see cref="Release"/>) or throw,
/// to prove ack-first behaviour. It never changes an answer. Like Core's QuestionHandler, every call runs on a real
/// <see cref="QuestionExecutor"/> (the host's, from its Retrieval:* settings), so a held call occupies a retrieval thread.
/// The adapter's start-up warm-up questions pass through unrecorded and are never held or failed.
/// </summary>
public sealed class RecordingQuestionHandler(IQuestionHandler inner) : IQuestionHandler
{
    private volatile TaskCompletionSource? _gate;
    private QuestionExecutor? _executor;
    private int _warmUpsDone;

    /// <summary>The executor the calls run on (set by the test host once its services are built).</summary>
    public void UseExecutor(QuestionExecutor executor) => _executor = executor;

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>The calls as "kind:text", oldest first.</summary>
    public IReadOnlyList<string> CallTexts => Calls.Select(c => c.ToString()).ToList();

    /// <summary>The top asked for by each ask and search call.</summary>
    public IReadOnlyList<int> Tops => Calls.Where(c => c.Kind != "source").Select(c => c.Top).ToList();

    /// <summary>Calls started (recorded before they are held).</summary>
    public int Started => Calls.Count;

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Milliseconds spent inside the real handler per ask/search call.</summary>
    public ConcurrentQueue<double> InnerMilliseconds { get; } = new();

    public ConcurrentQueue<string> WarmUps { get; } = new();

    /// <summary>Warm-up questions answered (they share the retrieval threads and the queue with real questions).</summary>
    public int WarmUpsDone => Volatile.Read(ref _warmUpsDone);

    /// <summary>When set, every call throws this (after recording).</summary>
    public Exception? ThrowOnCall { get; set; }

    /// <summary>
    /// Whether a held call ignores its cancellation token, like a slow retriever that never looks at it and keeps its
    /// retrieval thread until released (default: it observes the token).
    /// </summary>
    public bool HoldIgnoresCancellation { get; set; }

    /// <summary>Holds every call until <see cref="Release"/>.</summary>
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

            Before("ask", question, context, top, ct);
            return Timed(() => inner.AskAsync(question, context, top, ct).GetAwaiter().GetResult());
        }, cancellationToken);

    public Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken) =>
        Run(ct =>
        {
            Before("search", query, context, top, ct);
            return Timed(() => inner.SearchAsync(query, context, top, ct).GetAwaiter().GetResult());
        }, cancellationToken);

    public Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken) =>
        Run(ct =>
        {
            Before("source", document, context, 0, ct);
            return inner.SourceAsync(document, context, ct).GetAwaiter().GetResult();
        }, cancellationToken);

    public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) => inner.SuggestArticles(prefix, max);

    private Task<T> Run<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken) =>
        (_executor ?? throw new InvalidOperationException("UseExecutor first")).RunAsync(work, cancellationToken);

    private Answer Timed(Func<Answer> ask)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = ask();
        InnerMilliseconds.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Answers.Enqueue(answer);
        return answer;
    }

    private void Before(string kind, string text, QueryContext context, int top, CancellationToken ct)
    {
        Calls.Enqueue(new RecordedCall(kind, text, context, top));
        if (_gate is { } gate)
        {
            if (HoldIgnoresCancellation)
            {
                gate.Task.GetAwaiter().GetResult();
            }
            else
            {
                gate.Task.Wait(ct);
            }
        }

        if (ThrowOnCall is { } ex)
        {
            throw ex;
        }
    }
}
