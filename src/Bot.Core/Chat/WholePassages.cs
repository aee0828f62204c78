using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Bot.Core.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Chat;

/// <summary>What a "Whole passage" click comes to: the passage with its neighbours, or the refusal to tell the clicker
/// alone (in the button's language).</summary>
public sealed record PassageClick(PassageWithNeighbours? Found, string? Refusal);

/// <summary>
/// The "Whole passage" buttons every chat platform shares. An answer offers one for its cited (best) passage; a decline
/// offers its closest passages (up to <see cref="MaxChoices"/>) as choices (<see cref="Offer"/>). The button id carries the
/// passage id, <c>passage:{docId}#{ordinal}</c> (<see cref="CustomId"/>): nothing is stored, the corpus is the same for
/// everyone. A click (<see cref="Find"/>) parses the id strictly and reads the passage with the previous and next passage
/// of its article from the served index (<see cref="ServedIndex.FindPassage"/>). A malformed or forged id, or a passage
/// the index no longer holds, gets null: adapters answer <see cref="UiText.ButtonExpired"/>. Adapters show the passage to
/// the clicker alone (Discord ephemeral message, Slack ephemeral response). Nothing without a search engine.
/// </summary>
public sealed partial class WholePassages
{
    public const string Prefix = "passage";

    /// <summary>The most choices a decline offers.</summary>
    public const int MaxChoices = 3;

    private const int MaxOrdinal = 99_999;

    private readonly SearchEngine? _engine;
    private readonly ILogger _logger;

    public WholePassages(SearchEngine? engine, ILogger<WholePassages>? logger = null)
    {
        _engine = engine;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public bool Enabled => _engine is not null;

    /// <summary><c>passage:{docId}#{ordinal}</c>, or null when the doc id cannot travel in a button id (then no button).</summary>
    public static string? CustomId(string docId, int ordinal) =>
        docId is not null && DocIdPattern().IsMatch(docId) && ordinal is > 0 and <= MaxOrdinal
            ? $"{Prefix}:{docId}#{ordinal.ToString(CultureInfo.InvariantCulture)}"
            : null;

    /// <summary>Parses a "Whole passage" button id (ids come from the client: never trust them unparsed).</summary>
    public static bool TryParse(string? customId, [NotNullWhen(true)] out string? docId, out int ordinal)
    {
        docId = null;
        ordinal = 0;
        var match = customId is { Length: <= 100 } ? IdPattern().Match(customId) : Match.Empty;
        if (!match.Success || !int.TryParse(match.Groups["ord"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out ordinal) || ordinal is < 1 or > MaxOrdinal)
        {
            ordinal = 0;
            return false;
        }

        docId = match.Groups["doc"].Value;
        return true;
    }

    /// <summary>Whether a button id is (or pretends to be) a "Whole passage" button.</summary>
    public static bool IsWholePassage(string? customId) => customId?.StartsWith(Prefix + ":", StringComparison.Ordinal) == true;

    /// <summary>
    /// The passages that get a button, each with its id: the best one of an answer; up to <see cref="MaxChoices"/> closest
    /// passages of a decline; none for empty or too long questions, or without a search engine.
    /// </summary>
    public IReadOnlyList<(Citation Citation, string CustomId)> Offer(Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (_engine is null)
        {
            return [];
        }

        var cited = answer.Status switch
        {
            AnswerStatus.Answered => answer.Citations.Take(1),
            AnswerStatus.NotFound => answer.Citations.Take(MaxChoices),
            _ => [],
        };
        return cited.Select(c => (c, CustomId(c.DocId, c.Passage)))
            .Where(p => p.Item2 is not null)
            .DistinctBy(p => p.Item2)
            .Select(p => (p.c, p.Item2!))
            .ToList();
    }

    /// <summary>
    /// The buttons an answer gets (<see cref="Offer"/>), each with its label in the answer's language: "Whole passage"
    /// under an answer, the passage named as a choice under a decline. Platforms cut the label to their limit.
    /// </summary>
    public IReadOnlyList<(string CustomId, string Label)> Buttons(Answer answer)
    {
        var ui = UiText.For(answer.Language);
        return Offer(answer)
            .Select(o => (o.CustomId, answer.Status == AnswerStatus.Answered ? ui.WholePassageButton : ui.PassageChoice(o.Citation)))
            .ToList();
    }

    /// <summary>Whether <paramref name="label"/> is one of these buttons' labels in <paramref name="ui"/>'s language.</summary>
    public static bool IsButtonLabel(UiText ui, string label) =>
        label == ui.WholePassageButton || label.StartsWith(ui.PassageChoiceButton[..^3], StringComparison.Ordinal);

    /// <summary>
    /// A click on a "Whole passage" button, whatever the platform: the passage it names, or <see cref="UiText.ButtonExpired"/>
    /// in <paramref name="language"/> (the button's) for a malformed, forged or no longer indexed one.
    /// </summary>
    public PassageClick Click(string? customId, Language language) =>
        Find(customId) is { } found ? new PassageClick(found, null) : new PassageClick(null, UiText.For(language).ButtonExpired);

    /// <summary>The passage a button id names, with its neighbours; null for a malformed id or a passage the index does not hold.</summary>
    public PassageWithNeighbours? Find(string? customId)
    {
        if (_engine is null || !TryParse(customId, out var docId, out var ordinal))
        {
            return null;
        }

        try
        {
            return _engine.Index.FindPassage(docId, ordinal);
        }
        catch (IOException ex)
        {
            LogIndexFailed(_logger, ex.Message);
            return null;
        }
    }

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N}_.\-]{0,79}$", RegexOptions.CultureInvariant)]
    private static partial Regex DocIdPattern();

    [GeneratedRegex(@"^passage:(?<doc>[\p{L}\p{N}][\p{L}\p{N}_.\-]{0,79})#(?<ord>[1-9][0-9]{0,4})$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Whole passage: the index could not be read: {Reason}")]
    private static partial void LogIndexFailed(ILogger logger, string reason);
}
