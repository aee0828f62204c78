using System.Collections.Concurrent;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// Decorates the real Core handler: records every call (kind, text, context) and can delay (until released), or throw,
/// to prove ack-first behaviour. Never changes the answer.
/// </summary>
internal sealed class RecordingQuestionHandler : IQuestionHandler
{
    private readonly IQuestionHandler _inner;
    private volatile TaskCompletionSource? _gate;

    public RecordingQuestionHandler(IQuestionHandler inner) => _inner = inner;

    public ConcurrentQueue<(string Kind, string Text, QueryContext Context, int Top)> Calls { get; } = new();

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Milliseconds spent inside the real handler per ask/search call.</summary>
    public ConcurrentQueue<double> InnerMilliseconds { get; } = new();

    /// <summary>The adapter's start-up warm-up questions (passed through; not recorded as calls, never held or failed).</summary>
    public ConcurrentQueue<string> WarmUps { get; } = new();

    /// <summary>When set, every call throws this (after recording).</summary>
    public Exception? ThrowOnCall { get; set; }

    /// <summary>Blocks all calls until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public async Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken)
    {
        if (context.IsWarmUp)
        {
            WarmUps.Enqueue(question);
            return await _inner.AskAsync(question, context, top, cancellationToken);
        }

        await BeforeAsync("ask", question, context, top, cancellationToken);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = await _inner.AskAsync(question, context, top, cancellationToken);
        InnerMilliseconds.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Answers.Enqueue(answer);
        return answer;
    }

    public async Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken)
    {
        await BeforeAsync("search", query, context, top, cancellationToken);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answer = await _inner.SearchAsync(query, context, top, cancellationToken);
        InnerMilliseconds.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Answers.Enqueue(answer);
        return answer;
    }

    public async Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken)
    {
        await BeforeAsync("source", document, context, 0, cancellationToken);
        return await _inner.SourceAsync(document, context, cancellationToken);
    }

    public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) => _inner.SuggestArticles(prefix, max);

    private async Task BeforeAsync(string kind, string text, QueryContext context, int top, CancellationToken ct)
    {
        Calls.Enqueue((kind, text, context, top));
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(ct);
        }

        if (ThrowOnCall is { } ex)
        {
            throw ex;
        }
    }
}
