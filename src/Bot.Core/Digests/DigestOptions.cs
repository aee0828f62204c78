using Bot.Core.Answers;
using Cronos;

namespace Bot.Core.Digests;

/// <summary>Section "Digest": scheduled digest posts.</summary>
public sealed class DigestOptions : IValidatedOptions
{
    public const string Section = "Digest";

    /// <summary>The schedules; none means no digests are posted.</summary>
    public List<DigestScheduleOptions> Schedules { get; set; } = [];

    /// <summary>Post a digest that has nothing to say ("nothing new") instead of skipping it.</summary>
    public bool PostWhenEmpty { get; set; }

    /// <summary>How many of the most asked questions to list.</summary>
    public int TopQuestionsCount { get; set; } = 5;

    /// <summary>How many unanswered questions (coverage gaps) to list.</summary>
    public int UnansweredCount { get; set; } = 10;

    /// <summary>How many new or changed articles to summarise; the rest are counted.</summary>
    public int NewArticlesCount { get; set; } = 10;

    /// <summary>Sentences in each article summary (extractive, original order).</summary>
    public int SummarySentences { get; set; } = 3;

    /// <summary>Least time between two posts to the same channel.</summary>
    public TimeSpan ChannelPacing { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A post that takes longer is abandoned and recorded as "unknown" (the platform may have posted it), so it is not
    /// re-posted for that tick.
    /// </summary>
    public TimeSpan PostTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Digest platforms a target may name.</summary>
    public static readonly IReadOnlySet<string> Platforms = new HashSet<string>(StringComparer.Ordinal) { "discord", "slack" };

    /// <summary>Each problem is one line naming the setting or the schedule.</summary>
    public IEnumerable<string> Problems()
    {
        var failures = new List<string>();
        foreach (var (key, value, max) in new[] { ("TopQuestionsCount", TopQuestionsCount, 50), ("UnansweredCount", UnansweredCount, 100), ("NewArticlesCount", NewArticlesCount, 100), ("SummarySentences", SummarySentences, 5) })
        {
            if (value < 1 || value > max)
            {
                failures.Add($"Digest:{key} must be between 1 and {max}.");
            }
        }

        if (ChannelPacing < TimeSpan.FromSeconds(1))
        {
            failures.Add("Digest:ChannelPacing must be at least 00:00:01");
        }

        if (PostTimeout <= TimeSpan.Zero)
        {
            failures.Add("Digest:PostTimeout must be positive");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Schedules.Count; i++)
        {
            var s = Schedules[i];
            var label = string.IsNullOrWhiteSpace(s.Name) ? $"Digest:Schedules:{i}" : $"digest schedule '{s.Name}'";
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                failures.Add($"{label}: Name is required");
            }
            else if (!names.Add(s.Name))
            {
                failures.Add($"{label}: the name is used twice");
            }

            if (DigestSchedule.TryParseCron(s.Cron, out _, out var cronError) is false)
            {
                failures.Add($"{label}: bad Cron '{s.Cron}' ({cronError}); use 5 fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * *\" (or 6 with seconds first, e.g. \"*/30 * * * * *\")");
            }

            if (!DigestSchedule.TryFindZone(s.TimeZone, out _))
            {
                failures.Add($"{label}: unknown TimeZone '{s.TimeZone}'; use an IANA name such as \"Asia/Seoul\" or \"America/New_York\"");
            }

            if (s.Targets.Count == 0)
            {
                failures.Add($"{label}: no Targets; add {{ \"Platform\": \"discord\" or \"slack\", \"ChannelId\": \"...\" }}");
            }

            for (var t = 0; t < s.Targets.Count; t++)
            {
                var target = s.Targets[t];
                if (!Platforms.Contains(target.Platform))
                {
                    failures.Add($"{label}: Targets:{t}: Platform must be \"discord\" or \"slack\" (got '{target.Platform}')");
                }

                if (string.IsNullOrWhiteSpace(target.ChannelId))
                {
                    failures.Add($"{label}: Targets:{t}: ChannelId is required");
                }
            }
        }

        return failures;
    }
}

/// <summary>One entry of Digest:Schedules.</summary>
public sealed class DigestScheduleOptions
{
    /// <summary>Unique name; part of the exactly-once key, so renaming a schedule starts it afresh.</summary>
    public string Name { get; set; } = "";

    /// <summary>What the digest is called in its title ("{Title} 다이제스트 · 날짜"); defaults to <see cref="Name"/>.</summary>
    public string? Title { get; set; }

    /// <summary>Five-field cron (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1" = Mondays 09:00.</summary>
    public string Cron { get; set; } = "";

    /// <summary>IANA time zone the cron is read in.</summary>
    public string TimeZone { get; set; } = "Asia/Seoul";

    /// <summary>Where to post.</summary>
    public List<DigestTargetOptions> Targets { get; set; } = [];

    /// <summary>Which sections to include; empty means all, in the order NewArticles, TopQuestions, Unanswered.</summary>
    public List<DigestSection> Sections { get; set; } = [];

    /// <summary>Language of the digest's headings.</summary>
    public Language Language { get; set; } = Language.Korean;
}

/// <summary>A channel to post a digest to.</summary>
public sealed class DigestTargetOptions
{
    /// <summary>"discord" or "slack".</summary>
    public string Platform { get; set; } = "";

    public string ChannelId { get; set; } = "";
}

/// <summary>The parts of a digest.</summary>
public enum DigestSection
{
    /// <summary>Articles added or changed since the previous digest, each with a short extractive summary.</summary>
    NewArticles,

    /// <summary>The most asked questions of the period, with their best citation.</summary>
    TopQuestions,

    /// <summary>Questions the articles could not answer: coverage gaps for the curators of seeds/.</summary>
    Unanswered,
}
