using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Chat;

/// <summary>One page of an answer's sources: the best passage again, then the page's further sources.</summary>
/// <param name="Answer">The answer to render: its <see cref="Answer.Citations"/> are the best one followed by this page's.</param>
/// <param name="Page">The page number (0 is the answer as first posted).</param>
/// <param name="HasNext">Whether a further page exists (the "More sources" button stays only then).</param>
public sealed record SourcesPage(Answer Answer, int Page, bool HasNext);

/// <summary>What a "More sources" click comes to: the next page of the answer <paramref name="AnswerId"/>, or the refusal
/// to tell the clicker alone (in the button's language).</summary>
public sealed record SourcesClick(string? AnswerId, SourcesPage? Page, string? Refusal)
{
    public static SourcesClick Refused(string text) => new(null, null, text);
}

/// <summary>
/// The "More sources" button every chat platform shares. An answer with a full list of sources offers it
/// (<see cref="Offer"/>): the question as it was searched is kept in the shared context store under the answer's id
/// (a random <see cref="AnswerRecord.NewId"/>, stored only hashed, no user or channel) until
/// <see cref="ConversationOptions.ContextTtl"/>; the button's id is <c>more:{answerId}:{page}</c>. A click
/// (<see cref="TryParse"/>, then <see cref="PageAsync"/>) searches again and returns the next page: the best passage
/// stays, the list below it is replaced by the next <c>perPage</c> sources, and the button goes once the results end
/// (at most <see cref="MaxResults"/>). A forged or expired id gets null: adapters answer <see cref="UiText.ButtonExpired"/>
/// to the clicker alone. Nothing without a context store.
/// </summary>
public sealed partial class MoreSources
{
    public const string Prefix = "more";

    /// <summary>The most results paged through (Core's retrieval cap).</summary>
    public const int MaxResults = 20;

    private const string Channel = "more-sources";

    private readonly IQuestionHandler _questions;
    private readonly IConversationStore? _store;
    private readonly ConversationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public MoreSources(IQuestionHandler questions, TimeProvider time, IOptions<ConversationOptions>? options = null, IConversationStore? store = null, ILogger<MoreSources>? logger = null)
    {
        _questions = questions;
        _store = store;
        _options = options?.Value ?? new ConversationOptions();
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public bool Enabled => _store is not null;

    /// <summary><c>more:{answerId}:{page}</c>: the button that shows page <paramref name="page"/>.</summary>
    public static string CustomId(string answerId, int page) =>
        AnswerRecord.IsValidId(answerId) && page is > 0 and < MaxResults
            ? $"{Prefix}:{answerId}:{page.ToString(CultureInfo.InvariantCulture)}"
            : throw new ArgumentException("not an answer id minted by AnswerRecord.NewId, or no such page");

    /// <summary>Whether a button id is (or pretends to be) a "More sources" button.</summary>
    public static bool IsMoreSources(string? customId) => customId?.StartsWith(Prefix + ":", StringComparison.Ordinal) == true;

    /// <summary>Parses a "More sources" button id (ids come from the client: never trust them unparsed).</summary>
    public static bool TryParse(string? customId, [NotNullWhen(true)] out string? answerId, out int page)
    {
        answerId = null;
        page = 0;
        var parts = customId?.Split(':');
        if (parts is not { Length: 3 } || parts[0] != Prefix || !AnswerRecord.IsValidId(parts[1]) || parts[2].Length is < 1 or > 2
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or >= MaxResults)
        {
            return false;
        }

        answerId = parts[1];
        return true;
    }

    /// <summary>
    /// The id for the answer's "More sources" button, or null when it gets none (no store, not an answer, or fewer
    /// sources than <paramref name="shown"/>: nothing further to page to). Keeps the searched question for the clicks.
    /// </summary>
    public string? Offer(string platform, Answer answer, int shown, bool isPrivate, string? answerId = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (_store is null || answer.Status != AnswerStatus.Answered || answer.Citations.Count < Math.Max(2, shown))
        {
            return null;
        }

        var id = AnswerRecord.IsValidId(answerId) ? answerId : AnswerRecord.NewId();
        var now = _time.GetUtcNow();
        try
        {
            _store.Save(Key(platform, id), new ConversationTurn(answer.Question, answer.Question, answer.Language, isPrivate, now), now - _options.ContextTtl);
            return id;
        }
        catch (StorageException ex)
        {
            LogStoreFailed(_logger, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Page <paramref name="page"/> of the answer <paramref name="answerId"/> (each page lists <paramref name="perPage"/>
    /// sources after the best one), or null when the id is unknown or expired. Throws <see cref="QuestionsBusyException"/>.
    /// </summary>
    public async Task<SourcesPage?> PageAsync(string platform, string answerId, int page, int perPage, CancellationToken cancellationToken)
    {
        ConversationTurn? turn = null;
        try
        {
            turn = _store?.Last(Key(platform, answerId), _time.GetUtcNow() - _options.ContextTtl);
        }
        catch (StorageException ex)
        {
            LogStoreFailed(_logger, ex.Message);
        }

        if (turn is null || page < 1 || perPage < 1)
        {
            return null;
        }

        // never in a digest or the channel's statistics: a click is not a question
        var answer = await _questions.SearchAsync(turn.Resolved, new QueryContext(platform, ""), MaxResults, cancellationToken).ConfigureAwait(false);
        var from = 1 + (page * perPage);
        if (answer.Best is null || answer.Citations.Count <= from)
        {
            return new SourcesPage(answer with { Citations = answer.Best is null ? [] : [answer.Best] }, page, HasNext: false);
        }

        var list = answer.Citations.Skip(from).Take(perPage).ToList();
        return new SourcesPage(answer with { Citations = [answer.Best, .. list] }, page, HasNext: answer.Citations.Count > from + perPage && page + 1 < MaxResults);
    }

    /// <summary>
    /// A click on a "More sources" button, whatever the platform: parses the id (it comes from the client), pages on, or
    /// refuses in <paramref name="language"/> (the button's): <see cref="UiText.ButtonExpired"/> for a forged, malformed,
    /// unknown or expired id, <see cref="UiText.Busy"/> when Core's question queue is full.
    /// </summary>
    public async Task<SourcesClick> ClickAsync(string platform, string? customId, int perPage, Language language, CancellationToken cancellationToken)
    {
        var ui = UiText.For(language);
        if (!TryParse(customId, out var answerId, out var number))
        {
            return SourcesClick.Refused(ui.ButtonExpired);
        }

        try
        {
            var page = await PageAsync(platform, answerId, number, perPage, cancellationToken).ConfigureAwait(false);
            return page is null ? SourcesClick.Refused(ui.ButtonExpired) : new SourcesClick(answerId, page, null);
        }
        catch (QuestionsBusyException)
        {
            return SourcesClick.Refused(ui.Busy);
        }
    }

    private static ThreadKey Key(string platform, string answerId) => new(platform, Channel, answerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "More sources: the context store failed: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string reason);
}
