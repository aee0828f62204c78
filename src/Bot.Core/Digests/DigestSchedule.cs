using System.Diagnostics.CodeAnalysis;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Cronos;

namespace Bot.Core.Digests;

/// <summary>A validated schedule: its cron read in its time zone (DST handled by Cronos), targets and sections.</summary>
public sealed class DigestSchedule
{
    private static readonly DigestSection[] AllSections = [DigestSection.NewArticles, DigestSection.TopQuestions, DigestSection.Unanswered];

    public DigestSchedule(string name, CronExpression cron, TimeZoneInfo zone, IReadOnlyList<ChannelRef> targets, IReadOnlyList<DigestSection> sections, Language language, string? title = null)
    {
        Name = name;
        Title = string.IsNullOrWhiteSpace(title) ? name : title;
        Cron = cron;
        Zone = zone;
        Targets = targets;
        Sections = sections.Count == 0 ? AllSections : AllSections.Where(sections.Contains).ToArray();
        Language = language;
    }

    public string Name { get; }

    /// <summary>The name shown in the digest's title.</summary>
    public string Title { get; }

    public CronExpression Cron { get; }

    public TimeZoneInfo Zone { get; }

    public IReadOnlyList<ChannelRef> Targets { get; }

    /// <summary>The sections to include, in their fixed order.</summary>
    public IReadOnlyList<DigestSection> Sections { get; }

    public Language Language { get; }

    /// <summary>The first tick strictly after <paramref name="after"/>, or null when the cron never fires again.</summary>
    public DateTimeOffset? NextTick(DateTimeOffset after) => Cron.GetNextOccurrence(after.ToUniversalTime(), Zone, inclusive: false)?.ToUniversalTime();

    /// <summary>The last tick at or before <paramref name="atOrBefore"/>.</summary>
    public DateTimeOffset? PreviousTick(DateTimeOffset atOrBefore) => Cron.GetPreviousOccurrence(atOrBefore.ToUniversalTime(), Zone, inclusive: true)?.ToUniversalTime();

    /// <summary>The latest tick in (<paramref name="after"/>, <paramref name="now"/>]: the one catch-up digest after downtime, or null.</summary>
    public DateTimeOffset? LatestDue(DateTimeOffset after, DateTimeOffset now)
    {
        if (now <= after)
        {
            return null;
        }

        var last = PreviousTick(now);
        return last is { } t && t > after ? t : null;
    }

    public static DigestSchedule From(DigestScheduleOptions o)
    {
        if (!TryParseCron(o.Cron, out var cron, out var error))
        {
            throw new ArgumentException($"digest schedule '{o.Name}': bad Cron '{o.Cron}' ({error})", nameof(o));
        }

        if (!TryFindZone(o.TimeZone, out var zone))
        {
            throw new ArgumentException($"digest schedule '{o.Name}': unknown TimeZone '{o.TimeZone}'", nameof(o));
        }

        return new DigestSchedule(o.Name, cron, zone, o.Targets.Select(t => new ChannelRef(t.Platform, t.ChannelId)).ToList(), o.Sections, o.Language, o.Title);
    }

    public static IReadOnlyList<DigestSchedule> From(DigestOptions options) => options.Schedules.Select(From).ToList();

    /// <summary>
    /// Parses a cron expression, its format chosen by the field count: five fields (minute hour day-of-month month
    /// day-of-week) as standard cron, six fields with a leading seconds field (Cronos' <see cref="CronFormat.IncludeSeconds"/>).
    /// </summary>
    public static bool TryParseCron(string? text, [NotNullWhen(true)] out CronExpression? cron, out string error)
    {
        cron = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty";
            return false;
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            error = $"{fields} fields, expected 5 (or 6 with seconds first)";
            return false;
        }

        try
        {
            cron = CronExpression.Parse(text, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            return true;
        }
        catch (CronFormatException ex)
        {
            error = ex.Message.ReplaceLineEndings(" ");
            return false;
        }
    }

    /// <summary>Finds an IANA (or Windows) time zone by id.</summary>
    public static bool TryFindZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }
}
