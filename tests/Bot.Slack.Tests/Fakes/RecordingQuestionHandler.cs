using System.Collections.Concurrent;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// Decorates the real Core handler: records every call (kind, text, context) and can delay (until released), or throw,
/// to prove ack-first behaviour. Never changes the answer. Like Core's QuestionHandler, every call runs on a real
/// <see cref="QuestionExecutor"/> (the host's, from its Retrieval:* settings), so a held call occupies a retrieval thread.
/// </summary>
internal sealed class RecordingQuestionHandler : IQuestionHandler
{
    private readonly IQuestionHandler _inner;
    private volatile TaskCompletionSource? _gate;

    private QuestionExecutor? _executor;

    public RecordingQuestionHandler(IQuestionHandler inner) => _inner = inner;

    /// <summary>The executor the calls run on (set by the test host once its services are built).</summary>
    public void UseExecutor(QuestionExecutor executor) => _executor = executor;

    public ConcurrentQueue<(string Kind, string Text, QueryContext Context, int Top)> Calls { get; } = new();

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Milliseconds spent inside the real handler per ask/search call.</summary>
    public ConcurrentQueue<double> InnerMilliseconds { get; } = new();

    /// <summary>The adapter's start-up warm-up questions (passed through; not recorded as calls, never held or failed).</summary>
    public ConcurrentQueue<string> WarmUps { get; } = new();

    /// <summary>Warm-up questions answered (they share the retrieval threads and the queue with real questions).</summary>
    public int WarmUpsDone => Volatile.Read(ref _warmUpsDone);

    private int _warmUpsDone;

    /// <summary>When set, every call throws this (after recording).</summary>
    public Exception? ThrowOnCall { get; set; }

    /// <summary>Blocks all calls until <see cref="Release"/>.</summary>
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
                    return _inner.AskAsync(question, context, top, ct).GetAwaiter().GetResult();
                }
                finally
                {
                    Interlocked.Increment(ref _warmUpsDone);
                }
            }

            Before("ask", question, context, top, ct);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var answer = _inner.AskAsync(question, context, top, ct).GetAwaiter().GetResult();
            InnerMilliseconds.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Answers.Enqueue(answer);
            return answer;
        }, cancellationToken);

    public Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken) =>
        Run(ct =>
        {
            Before("search", query, context, top, ct);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var answer = _inner.SearchAsync(query, context, top, ct).GetAwaiter().GetResult();
            InnerMilliseconds.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Answers.Enqueue(answer);
            return answer;
        }, cancellationToken);

    public Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken) =>
        Run(ct =>
        {
            Before("source", document, context, 0, ct);
            return _inner.SourceAsync(document, context, ct).GetAwaiter().GetResult();
        }, cancellationToken);

    public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) => _inner.SuggestArticles(prefix, max);

    private Task<T> Run<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken) =>
        (_executor ?? throw new InvalidOperationException("UseExecutor first")).RunAsync(work, cancellationToken);

    private void Before(string kind, string text, QueryContext context, int top, CancellationToken ct)
    {
        Calls.Enqueue((kind, text, context, top));
        if (_gate is { } gate)
        {
            gate.Task.Wait(ct);
        }

        if (ThrowOnCall is { } ex)
        {
            throw ex;
        }
    }
}
