using Bot.Core.Answers;
using Bot.Core.Commands;

namespace Bot.Core.Chat;

/// <summary>
/// The start-up warm-up every chat adapter runs: one question (the first article's title) through Core's executor,
/// retrieval and the adapter's own rendering and serialisation, without network and without logging the question
/// (<see cref="QueryContext.WarmUp"/>), so that the first users after a start do not wait for JIT compilation and
/// serializer set-up (measured: up to 0.8 s on the first events otherwise). Best effort: a failure is reported and ignored.
/// </summary>
public static class ChatWarmUp
{
    /// <summary>The warm-up question: an article title, so retrieval, snippets and citations all run.</summary>
    public static string Question(IQuestionHandler questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        return questions.SuggestArticles("", 1).FirstOrDefault()?.Title ?? "DeepSeek";
    }

    /// <summary>Asks <see cref="Question"/>, hands the answer to <paramref name="renderAndSerialize"/>; any failure goes to <paramref name="failed"/>.</summary>
    public static async Task RunAsync(IQuestionHandler questions, int top, Action<Answer> renderAndSerialize, Action<Exception> failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renderAndSerialize);
        ArgumentNullException.ThrowIfNull(failed);
        try
        {
            var answer = await questions.AskAsync(Question(questions), QueryContext.WarmUp, top, cancellationToken).ConfigureAwait(false);
            renderAndSerialize(answer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failed(ex);
        }
    }
}
