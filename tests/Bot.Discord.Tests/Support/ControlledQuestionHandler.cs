using System.Collections.Concurrent;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;

namespace Bot.Discord.Tests.Support;

/// <summary>
/// A decorator around the real question handler: counts calls, records questions, and can hold answers back (a slow
/// retriever) until the test releases them.
/// </summary>
internal sealed class ControlledQuestionHandler(IQuestionHandler inner) : IQuestionHandler
{
    private volatile TaskCompletionSource? _gate;

    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<int> Tops { get; } = new();

    public int Started => Calls.Count;

    /// <summary>The adapter's start-up warm-up questions (passed through; not counted as calls, never held).</summary>
    public ConcurrentQueue<string> WarmUps { get; } = new();

    /// <summary>Hold every call until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public async Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken)
    {
        if (context.IsWarmUp)
        {
            WarmUps.Enqueue(question);
            return await inner.AskAsync(question, context, top, cancellationToken).ConfigureAwait(false);
        }

        Tops.Enqueue(top);
        Calls.Enqueue("ask:" + question);
        await WaitGateAsync().ConfigureAwait(false);
        return await inner.AskAsync(question, context, top, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken)
    {
        Tops.Enqueue(top);
        Calls.Enqueue("search:" + query);
        await WaitGateAsync().ConfigureAwait(false);
        return await inner.SearchAsync(query, context, top, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken)
    {
        Calls.Enqueue("source:" + document);
        await WaitGateAsync().ConfigureAwait(false);
        return await inner.SourceAsync(document, context, cancellationToken).ConfigureAwait(false);
    }

    public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) => inner.SuggestArticles(prefix, max);

    // Deliberately ignores cancellation: a slow retriever that does not observe the token.
    private Task WaitGateAsync() => _gate?.Task ?? Task.CompletedTask;
}
