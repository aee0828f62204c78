using System.Globalization;
using System.Text;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Storage;

/// <summary>Records each question the bot was asked. Implementations never throw: a failed write is logged and dropped.</summary>
public interface IQueryLog
{
    /// <param name="kind">"ask" or "search".</param>
    void Record(string kind, QueryContext context, Answer answer);

    /// <summary>As <see cref="Record(string, QueryContext, Answer)"/>, with how long the answer took.</summary>
    void Record(string kind, QueryContext context, Answer answer, TimeSpan elapsed) => Record(kind, context, answer);
}

/// <summary>
/// One logged question. No user id is ever stored: mentions and ids are stripped from the text, and the channel is kept
/// only when <see cref="InChannel"/> (the question was posted where the whole channel saw it).
/// </summary>
public sealed record QueryLogEntry(
    DateTimeOffset At,
    string Platform,
    string Channel,
    string Kind,
    string Question,
    AnswerStatus Status,
    string? Reason,
    string? TopDocId,
    int? TopPassage)
{
    public bool Answered => Status == AnswerStatus.Answered;

    /// <summary>How long answering took, in milliseconds (null when not measured).</summary>
    public double? LatencyMs { get; init; }

    /// <summary>The id of the posted answer (see <see cref="AnswerRecord"/>), which feedback votes refer to; null when none.</summary>
    public string? AnswerId { get; init; }

    /// <summary>Asked where every member of <see cref="Channel"/> saw it; only such questions appear in that channel's digests.</summary>
    public bool InChannel { get; init; }
}

/// <summary>A group of questions with the same normalised text, as the digest lists them.</summary>
/// <param name="Question">The most recent wording.</param>
/// <param name="Count">How many times it was asked in the period.</param>
public sealed record QuestionStat(string Question, string Normalized, int Count, DateTimeOffset LastAsked, string? Reason, string? TopDocId, int? TopPassage);

/// <summary>A page of <see cref="QuestionStat"/>s and how many distinct questions there were in all.</summary>
public sealed record QuestionStats(IReadOnlyList<QuestionStat> Items, int TotalDistinct);

/// <summary>
/// The query log: time (UTC), platform, channel, question, outcome (answered / declined with the reason) and the top
/// citation. Rows older than <see cref="StorageOptions.QueryLogDays"/> are purged by <see cref="Purge"/>.
/// </summary>
public sealed partial class QueryLogStore : IQueryLog
{
    /// <summary>Questions asked with this platform (the digest re-running retrieval for a citation) are not logged.</summary>
    public const string InternalPlatform = "digest";

    /// <summary>Longest question text kept (a too-long question is logged cut, with its status saying so).</summary>
    public const int MaxQuestionChars = 1000;

    private readonly BotDatabase _db;
    private readonly TimeProvider _time;
    private readonly ILogger<QueryLogStore> _logger;

    public QueryLogStore(BotDatabase db, TimeProvider time, ILogger<QueryLogStore> logger)
    {
        _db = db;
        _time = time;
        _logger = logger;
    }

    public void Record(string kind, QueryContext context, Answer answer) => Record(kind, context, answer, null);

    public void Record(string kind, QueryContext context, Answer answer, TimeSpan elapsed) => Record(kind, context, answer, (TimeSpan?)elapsed);

    private void Record(string kind, QueryContext context, Answer answer, TimeSpan? elapsed)
    {
        if (string.Equals(context.Platform, InternalPlatform, StringComparison.Ordinal))
        {
            return;
        }

        var best = answer.Best;
        var question = Corpus.TextCutter.CutAtWord(StripIds(answer.Question), MaxQuestionChars);
        var inChannel = context.InChannel && context.ChannelId.Length > 0;
        var entry = new QueryLogEntry(_time.GetUtcNow(), context.Platform, inChannel ? context.ChannelId : "", kind, question, answer.Status,
            answer.Decline?.Message, best?.DocId, best?.Passage)
        {
            InChannel = inChannel,
            LatencyMs = elapsed?.TotalMilliseconds,
            AnswerId = context.AnswerId,
        };
        try
        {
            Insert(entry);
        }
        catch (StorageException ex)
        {
            LogRecordFailed(_logger, ex.Message);
        }
    }

    /// <summary>Inserts one row (throws <see cref="StorageException"/>).</summary>
    public void Insert(QueryLogEntry e) => _db.Run(c => c.Exec(
        """
        INSERT INTO query_log (at_utc, platform, channel, kind, question, normalized, outcome, status, reason, top_doc, top_passage, in_channel, latency_ms, answer_id)
        VALUES (@at, @platform, @channel, @kind, @question, @normalized, @outcome, @status, @reason, @doc, @passage, @in_channel, @latency, @answer);
        """,
        ("@at", Db.Time(e.At)), ("@platform", e.Platform), ("@channel", e.InChannel ? e.Channel : ""), ("@in_channel", e.InChannel ? 1 : 0), ("@kind", e.Kind), ("@question", e.Question),
        ("@normalized", Normalize(e.Question)), ("@outcome", e.Answered ? "answered" : "declined"), ("@status", e.Status.ToString()),
        ("@reason", e.Reason), ("@doc", e.TopDocId), ("@passage", e.TopPassage),
        ("@latency", e.LatencyMs), ("@answer", e.AnswerId)));

    /// <summary>Deletes query-log and feedback rows older than the retention period; returns how many rows went.</summary>
    public int Purge()
    {
        var cutoff = Db.Time(_time.GetUtcNow() - TimeSpan.FromDays(_db.Options.QueryLogDays));
        return _db.Write(c => Delete(c, cutoff));
    }

    /// <summary>
    /// The daily retention purge, once per UTC day across every process and replica sharing the database: the purge and
    /// the day's claim (<c>retention-purge:yyyy-MM-dd</c> in the claims table) commit in one write transaction, so of
    /// replicas purging at once one deletes and the others find the day claimed. Returns the rows deleted, or null when
    /// the day was already purged.
    /// </summary>
    public int? PurgeOncePerDay()
    {
        var now = _time.GetUtcNow();
        var cutoff = Db.Time(now - TimeSpan.FromDays(_db.Options.QueryLogDays));
        var key = "retention-purge:" + now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return _db.Write(c => EventClaimStore.TryClaim(c, key, now, now + TimeSpan.FromDays(2)) ? Delete(c, cutoff) : (int?)null);
    }

    private static int Delete(System.Data.Common.DbConnection c, string cutoff) =>
        c.Exec("DELETE FROM query_log WHERE at_utc < @cutoff;", ("@cutoff", cutoff))
        + c.Exec("DELETE FROM feedback WHERE at_utc < @cutoff;", ("@cutoff", cutoff));

    /// <summary>Every row in (<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    public IReadOnlyList<QueryLogEntry> Entries(DateTimeOffset from, DateTimeOffset to) => _db.Run(c =>
    {
        using var cmd = c.Command(
            "SELECT at_utc, platform, channel, kind, question, status, reason, top_doc, top_passage, in_channel FROM query_log WHERE at_utc > @from AND at_utc <= @to ORDER BY at_utc, id;",
            ("@from", Db.Time(from)), ("@to", Db.Time(to)));
        using var r = cmd.ExecuteReader();
        var list = new List<QueryLogEntry>();
        while (r.Read())
        {
            list.Add(new QueryLogEntry(Db.ParseTime(r.GetString(0)), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                Enum.TryParse<AnswerStatus>(r.GetString(5), out var s) ? s : AnswerStatus.NotFound, r.StringOrNull(6), r.StringOrNull(7),
                r.IntOrNull(8)) { InChannel = r.Int(9) == 1 });
        }

        return (IReadOnlyList<QueryLogEntry>)list;
    });

    /// <summary>
    /// The most asked answered questions in (<paramref name="from"/>, <paramref name="to"/>], most asked first, among those
    /// asked in <paramref name="channel"/> where the whole channel saw them (never DMs or ephemeral lookups).
    /// </summary>
    public QuestionStats TopAnswered(ChannelRef channel, DateTimeOffset from, DateTimeOffset to, int max) => Grouped("outcome = 'answered'", channel, from, to, max);

    /// <summary>Questions the articles could not answer (status NotFound) in the period, most asked first: coverage gaps (same scope as <see cref="TopAnswered"/>).</summary>
    public QuestionStats Unanswered(ChannelRef channel, DateTimeOffset from, DateTimeOffset to, int max) => Grouped("status = 'NotFound'", channel, from, to, max);

    private QuestionStats Grouped(string filter, ChannelRef channel, DateTimeOffset from, DateTimeOffset to, int max) => _db.Run(c =>
    {
        filter += " AND in_channel = 1 AND platform = @platform AND channel = @channel";
        var p = new[]
        {
            ("@from", (object?)Db.Time(from)), ("@to", (object?)Db.Time(to)), ("@max", (object?)max),
            ("@platform", (object?)channel.Platform.ToLowerInvariant()), ("@channel", (object?)channel.ChannelId),
        };
        var total = Convert.ToInt32(c.Scalar(
            $"SELECT COUNT(DISTINCT normalized) FROM query_log WHERE at_utc > @from AND at_utc <= @to AND {filter} AND normalized <> '';", p),
            CultureInfo.InvariantCulture);
        using var cmd = c.Command(
            $"""
            WITH g AS (
                SELECT normalized, COUNT(*) AS n, MAX(id) AS last_id
                FROM query_log
                WHERE at_utc > @from AND at_utc <= @to AND {filter} AND normalized <> ''
                GROUP BY normalized
                ORDER BY n DESC, last_id DESC
                LIMIT @max)
            SELECT q.question, g.normalized, g.n, q.at_utc, q.reason, q.top_doc, q.top_passage
            FROM g JOIN query_log q ON q.id = g.last_id
            ORDER BY g.n DESC, g.last_id DESC;
            """, p);
        using var r = cmd.ExecuteReader();
        var list = new List<QuestionStat>();
        while (r.Read())
        {
            list.Add(new QuestionStat(r.GetString(0), r.GetString(1), r.Int(2), Db.ParseTime(r.GetString(3)), r.StringOrNull(4),
                r.StringOrNull(5), r.IntOrNull(6)));
        }

        return new QuestionStats(list, total);
    });

    /// <summary>
    /// The grouping key of a question: NFKC, lower case, punctuation and symbols dropped, spaces collapsed. "딥시크 V3 비용은?"
    /// and "딥시크  v3 비용은" group together.
    /// </summary>
    public static string Normalize(string question)
    {
        var text = question.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(ch);
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The question as the query log keeps it: user, role and channel mentions (Discord <c>&lt;@123&gt;</c>, <c>&lt;#123&gt;</c>,
    /// <c>&lt;@&amp;123&gt;</c>; Slack <c>&lt;@U123|name&gt;</c>, <c>&lt;#C123|name&gt;</c>, <c>&lt;!here&gt;</c>), bare
    /// Discord snowflakes (17 to 20 digits) and bare Slack ids (U/W/B/C/G/D + upper-case letters and digits) removed.
    /// </summary>
    public static string StripIds(string question)
    {
        var text = MentionRegex().Replace(question, " ");
        text = SnowflakeRegex().Replace(text, " ");
        text = SlackIdRegex().Replace(text, " ");
        return SpacesRegex().Replace(text, " ").Trim();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<(?:@[!&]?|#|!)[^<>\s]*>|@(?:everyone|here)\b")]
    private static partial System.Text.RegularExpressions.Regex MentionRegex();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!\d)\d{17,20}(?!\d)")]
    private static partial System.Text.RegularExpressions.Regex SnowflakeRegex();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b[UWBCGD](?=[A-Z0-9]*\d)[A-Z0-9]{8,12}\b")]
    private static partial System.Text.RegularExpressions.Regex SlackIdRegex();

    [System.Text.RegularExpressions.GeneratedRegex(@"[ \t]{2,}")]
    private static partial System.Text.RegularExpressions.Regex SpacesRegex();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query log write failed, question not logged: {Reason}")]
    private static partial void LogRecordFailed(ILogger logger, string reason);
}
