using System.ComponentModel.DataAnnotations;
using Bot.Core.Search;

namespace Bot.Core.Commands;

/// <summary>
/// The question executor's share of section "Retrieval" (<c>Retrieval:MaxConcurrentQuestions</c>,
/// <c>Retrieval:MaxQueuedQuestions</c>): one pool for every platform and the digests. Kept apart from
/// <see cref="RetrievalOptions"/>, which holds what changes results; these only change how many run at once.
/// </summary>
public sealed class QuestionExecutorOptions
{
    public const string Section = RetrievalOptions.Section;

    /// <summary>Dedicated retrieval threads shared by Discord, Slack and the digests (default: cores − 1, at least 1).</summary>
    [Range(1, 1024)]
    public int MaxConcurrentQuestions { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Questions waiting at most; beyond that a question fails at once with <see cref="QuestionsBusyException"/>.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedQuestions { get; set; } = 1000;
}
