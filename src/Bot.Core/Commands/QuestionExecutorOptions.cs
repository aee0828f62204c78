using Bot.Core.Search;

namespace Bot.Core.Commands;

/// <summary>
/// The question executor's share of section "Retrieval" (<c>Retrieval:MaxConcurrentQuestions</c>,
/// <c>Retrieval:MaxQueuedQuestions</c>): one pool for every platform and the digests. Kept apart from
/// <see cref="RetrievalOptions"/>, which holds what changes results; these only change how many run at once.
/// </summary>
public sealed class QuestionExecutorOptions : IValidatedOptions
{
    public const string Section = RetrievalOptions.Section;

    /// <summary>Dedicated retrieval threads shared by Discord, Slack and the digests (default: cores − 1, at least 1).</summary>
    public int MaxConcurrentQuestions { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Questions waiting at most; beyond that a question fails at once with <see cref="QuestionsBusyException"/>.</summary>
    public int MaxQueuedQuestions { get; set; } = 1000;

    public IEnumerable<string> Problems()
    {
        if (MaxConcurrentQuestions is < 1 or > 1024)
        {
            yield return "Retrieval:MaxConcurrentQuestions must be between 1 and 1024.";
        }

        if (MaxQueuedQuestions is < 1 or > 1_000_000)
        {
            yield return "Retrieval:MaxQueuedQuestions must be between 1 and 1000000.";
        }
    }
}
