using System.Globalization;
using Bot.Core.Storage;
using System.Data.Common;

namespace Bot.Dashboard.Data;

/// <summary>One day of the overview's plots (UTC day).</summary>
public sealed record DayStats(DateOnly Day, int Answered, int Declined, double? P50Ms, double? P95Ms, int Up, int Down);

/// <summary>Filters of the /questions page.</summary>
/// <param name="Days">Only the last N days (null: everything kept).</param>
public sealed record QuestionFilter(bool Unanswered = false, bool RatedDown = false, string? Platform = null, int? Days = null, string? Text = null, int Page = 1);

/// <summary>One row of /questions: a group of questions with the same normalised text.</summary>
/// <param name="LastId">The newest row of the group (its detail page).</param>
public sealed record QuestionGroup(long LastId, string Question, int Count, int Answered, DateTimeOffset LastAsked, string Platforms, string Status, string? Reason, string? TopDocId, int? TopPassage, int Up, int Down);

public sealed record QuestionPage(IReadOnlyList<QuestionGroup> Rows, int TotalGroups, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (TotalGroups + PageSize - 1) / PageSize);
}

/// <summary>One logged question with its votes.</summary>
public sealed record QuestionDetail(long Id, QueryLogEntry Entry, int Up, int Down, int TimesAsked, IReadOnlyList<QueryLogEntry> Recent);

/// <summary>Counters for /metrics, read from the database at scrape time.</summary>
public sealed record MetricTotals(
    IReadOnlyList<(string Platform, string Outcome, long Count)> Questions,
    IReadOnlyList<(double UpperMs, long Count)> LatencyBuckets,
    long LatencyCount,
    double LatencySumSeconds,
    IReadOnlyList<(string Platform, string Vote, long Count)> Votes,
    IReadOnlyList<(string Result, long Count)> DigestRuns);

/// <summary>
/// The dashboard's read model: read-only SQL over the bot's database (query log, feedback, digest runs; SQLite or
/// PostgreSQL, one SQL for both), through <see cref="BotDatabase.Run{T}"/> (one connection per call, readers never block
/// the writers).
/// </summary>
public sealed class DashboardQueries
{
    /// <summary>Upper bounds (ms) of the answer-latency histogram.</summary>
    public static readonly double[] LatencyBucketsMs = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    private readonly BotDatabase _db;
    private readonly TimeProvider _time;

    public DashboardQueries(BotDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    /// <summary>The last <paramref name="days"/> UTC days, today included, oldest first (days without questions are zeros).</summary>
    public IReadOnlyList<DayStats> Days(int days) => _db.Run(c =>
    {
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - days);
        var from = Time(first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var outcome = new Dictionary<DateOnly, (int A, int D, List<double> L)>();
        using (var cmd = Command(c, "SELECT substr(at_utc, 1, 10), outcome = 'answered', latency_ms FROM query_log WHERE at_utc >= @from;", ("@from", from)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var day = DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (!outcome.TryGetValue(day, out var s))
                {
                    s = (0, 0, []);
                }

                s = r.GetBoolean(1) ? (s.A + 1, s.D, s.L) : (s.A, s.D + 1, s.L);
                if (!r.IsDBNull(2))
                {
                    s.L.Add(r.GetDouble(2));
                }

                outcome[day] = s;
            }
        }

        var votes = new Dictionary<DateOnly, (int Up, int Down)>();
        using (var cmd = Command(c, "SELECT substr(at_utc, 1, 10), SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END) FROM feedback WHERE at_utc >= @from GROUP BY 1;", ("@from", from)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                votes[DateOnly.ParseExact(r.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture)] = (I(r, 1), I(r, 2));
            }
        }

        var list = new List<DayStats>(days);
        for (var d = first; d <= today; d = d.AddDays(1))
        {
            outcome.TryGetValue(d, out var s);
            votes.TryGetValue(d, out var v);
            var lat = s.L ?? [];
            lat.Sort();
            list.Add(new DayStats(d, s.A, s.D, Percentile(lat, 0.50), Percentile(lat, 0.95), v.Up, v.Down));
        }

        return (IReadOnlyList<DayStats>)list;
    });

    /// <summary>Nearest-rank percentile of sorted values, or null when there are none.</summary>
    public static double? Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Distinct platforms in the query log (for the filter).</summary>
    public IReadOnlyList<string> Platforms() => _db.Run(c =>
    {
        using var cmd = Command(c, "SELECT DISTINCT platform FROM query_log ORDER BY 1;");
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            list.Add(r.GetString(0));
        }

        return (IReadOnlyList<string>)list;
    });

    /// <summary>A page of question groups, most asked first (ties: most recent first).</summary>
    public QuestionPage Questions(QuestionFilter f, int pageSize)
    {
        var where = new List<string> { "normalized <> ''" };
        var p = new List<(string, object?)>();
        if (f.Unanswered)
        {
            where.Add("status = 'NotFound'");
        }

        if (f.RatedDown)
        {
            where.Add("answer_id IN (SELECT answer_id FROM feedback WHERE vote = -1)");
        }

        if (!string.IsNullOrEmpty(f.Platform))
        {
            where.Add("platform = @platform");
            p.Add(("@platform", f.Platform));
        }

        if (f.Days is { } days)
        {
            where.Add("at_utc >= @from");
            p.Add(("@from", Time(_time.GetUtcNow().UtcDateTime.AddDays(-days))));
        }

        var text = string.IsNullOrWhiteSpace(f.Text) ? "" : QueryLogStore.Normalize(f.Text);
        if (text.Length > 0)
        {
            where.Add(@"normalized LIKE @text ESCAPE '\'");
            p.Add(("@text", "%" + text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%"));
        }

        var filter = string.Join(" AND ", where);
        var page = Math.Max(1, f.Page);
        p.Add(("@limit", pageSize));
        p.Add(("@offset", (page - 1) * pageSize));
        // SQLite's DISTINCT aggregates take one argument; PostgreSQL has no GROUP_CONCAT.
        var platforms = _db.IsPostgres ? "string_agg(DISTINCT platform, ',')" : "GROUP_CONCAT(DISTINCT platform)";
        return _db.Run(c =>
        {
            var total = 0;
            using var cmd = Command(c,
                $"""
                WITH g AS (
                    SELECT normalized, COUNT(*) AS n, SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END) AS answered, MAX(id) AS last_id,
                           {platforms} AS platforms, COUNT(*) OVER () AS groups
                    FROM query_log WHERE {filter}
                    GROUP BY normalized
                    ORDER BY n DESC, last_id DESC
                    LIMIT @limit OFFSET @offset)
                SELECT g.last_id, q.question, g.n, g.answered, q.at_utc, g.platforms, q.status, q.reason, q.top_doc, q.top_passage,
                       (SELECT COUNT(*) FROM feedback fb WHERE fb.vote = 1 AND fb.answer_id IN (SELECT answer_id FROM query_log x WHERE x.normalized = g.normalized AND x.answer_id IS NOT NULL)),
                       (SELECT COUNT(*) FROM feedback fb WHERE fb.vote = -1 AND fb.answer_id IN (SELECT answer_id FROM query_log x WHERE x.normalized = g.normalized AND x.answer_id IS NOT NULL)),
                       g.groups
                FROM g JOIN query_log q ON q.id = g.last_id
                ORDER BY g.n DESC, g.last_id DESC;
                """, [.. p]);
            using var r = cmd.ExecuteReader();
            var rows = new List<QuestionGroup>();
            while (r.Read())
            {
                rows.Add(new QuestionGroup(r.GetInt64(0), r.GetString(1), I(r, 2), I(r, 3), ParseTime(r.GetString(4)), r.GetString(5),
                    r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt32(9),
                    I(r, 10), I(r, 11)));
                total = I(r, 12);
            }

            if (rows.Count == 0 && page > 1)
            {
                // Past the last page: the window count is not there, count the groups directly.
                total = Convert.ToInt32(Scalar(c, $"SELECT COUNT(DISTINCT normalized) FROM query_log WHERE {filter};", [.. p]), CultureInfo.InvariantCulture);
            }

            return new QuestionPage(rows, total, page, pageSize);
        });
    }

    /// <summary>One logged question, its votes, and the latest times the same question was asked.</summary>
    public QuestionDetail? Question(long id) => _db.Run(c =>
    {
        const string Columns = "id, at_utc, platform, channel, kind, question, status, reason, top_doc, top_passage, latency_ms, answer_id, normalized";
        using var cmd = Command(c, $"SELECT {Columns} FROM query_log WHERE id = @id;", ("@id", id));
        using var r = cmd.ExecuteReader();
        if (!r.Read())
        {
            return null;
        }

        var entry = Entry(r);
        var normalized = r.GetString(12);
        var answerId = r.IsDBNull(11) ? null : r.GetString(11);
        var (up, down) = (0, 0);
        if (answerId is not null)
        {
            using var v = Command(c, "SELECT COALESCE(SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END), 0) FROM feedback WHERE answer_id = @a;", ("@a", answerId));
            using var vr = v.ExecuteReader();
            vr.Read();
            (up, down) = (I(vr, 0), I(vr, 1));
        }

        var times = Convert.ToInt32(Scalar(c, "SELECT COUNT(*) FROM query_log WHERE normalized = @n;", ("@n", normalized)), CultureInfo.InvariantCulture);
        using var rc = Command(c, $"SELECT {Columns} FROM query_log WHERE normalized = @n ORDER BY id DESC LIMIT 10;", ("@n", normalized));
        using var rr = rc.ExecuteReader();
        var recent = new List<QueryLogEntry>();
        while (rr.Read())
        {
            recent.Add(Entry(rr));
        }

        return new QuestionDetail(id, entry, up, down, times, recent);
    });

    private readonly Lock _totalsGate = new();
    private long _countedUpTo;
    private readonly SortedDictionary<(string Platform, string Outcome), long> _questionCounts = [];
    private readonly long[] _latencyBuckets = new long[LatencyBucketsMs.Length];
    private long _latencyCount;
    private double _latencySumMs;

    /// <summary>
    /// Totals for /metrics. The query-log counters are kept in memory and each scrape adds only the rows logged since the
    /// last one (the log is append-only), so a scrape costs little however long the log is, and the counters never go
    /// down when the retention purge deletes old rows (Prometheus counters must only grow; a restart reads the retained
    /// rows afresh, which Prometheus takes as a counter reset). Votes and digest runs are small tables, read whole.
    /// </summary>
    public MetricTotals Totals() => _db.Run(c =>
    {
        List<(string, string, long)> questions;
        List<(double, long)> buckets;
        long count;
        double sum;
        lock (_totalsGate)
        {
            var bucketSql = string.Join(", ", LatencyBucketsMs.Select(b => string.Create(CultureInfo.InvariantCulture, $"SUM(CASE WHEN latency_ms <= {b} THEN 1 ELSE 0 END)")));
            var upTo = Convert.ToInt64(Scalar(c, "SELECT COALESCE(MAX(id), 0) FROM query_log;"), CultureInfo.InvariantCulture);
            using (var cmd = Command(c, "SELECT platform, outcome, COUNT(*) FROM query_log WHERE id > @from AND id <= @to GROUP BY 1, 2;", ("@from", _countedUpTo), ("@to", upTo)))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var key = (r.GetString(0), r.GetString(1));
                    _questionCounts[key] = _questionCounts.GetValueOrDefault(key) + r.GetInt64(2);
                }
            }

            using (var cmd = Command(c, $"SELECT COUNT(*), COALESCE(SUM(latency_ms), 0), {bucketSql} FROM query_log WHERE latency_ms IS NOT NULL AND id > @from AND id <= @to;", ("@from", _countedUpTo), ("@to", upTo)))
            using (var r = cmd.ExecuteReader())
            {
                r.Read();
                _latencyCount += r.GetInt64(0);
                _latencySumMs += Convert.ToDouble(r.GetValue(1), CultureInfo.InvariantCulture);
                for (var i = 0; i < LatencyBucketsMs.Length; i++)
                {
                    _latencyBuckets[i] += r.IsDBNull(2 + i) ? 0 : Convert.ToInt64(r.GetValue(2 + i), CultureInfo.InvariantCulture);
                }
            }

            _countedUpTo = upTo;
            questions = _questionCounts.Select(kv => (kv.Key.Platform, kv.Key.Outcome, kv.Value)).ToList();
            buckets = LatencyBucketsMs.Select((b, i) => (b, _latencyBuckets[i])).ToList();
            count = _latencyCount;
            sum = _latencySumMs / 1000.0;
        }

        var votes = new List<(string, string, long)>();
        using (var cmd = Command(c, "SELECT platform, CASE vote WHEN 1 THEN 'up' ELSE 'down' END, COUNT(*) FROM feedback GROUP BY 1, 2 ORDER BY 1, 2;"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                votes.Add((r.GetString(0), r.GetString(1), r.GetInt64(2)));
            }
        }

        var runs = new List<(string, long)>();
        using (var cmd = Command(c, "SELECT state, COUNT(*) FROM digest_runs GROUP BY 1 ORDER BY 1;"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                runs.Add((r.GetString(0), r.GetInt64(1)));
            }
        }

        return new MetricTotals(questions, buckets, count, sum, votes, runs);
    });

    /// <summary>Whether the database answers a trivial query (for /readyz).</summary>
    public bool StorageOpen()
    {
        try
        {
            return _db.Run(c => Convert.ToInt32(Scalar(c, "SELECT 1;"), CultureInfo.InvariantCulture) == 1);
        }
        catch (StorageException)
        {
            return false;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private static QueryLogEntry Entry(DbDataReader r) => new(ParseTime(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        Enum.TryParse<Bot.Core.Answers.AnswerStatus>(r.GetString(6), out var s) ? s : Bot.Core.Answers.AnswerStatus.NotFound,
        r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt32(9))
    {
        LatencyMs = r.IsDBNull(10) ? null : r.GetDouble(10),
        AnswerId = r.IsDBNull(11) ? null : r.GetString(11),
    };

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    private static string Time(DateTime utc) => utc.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) =>
        DateTimeOffset.ParseExact(s, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static int I(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static DbCommand Command(DbConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    private static object? Scalar(DbConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(c, sql, parameters);
        return cmd.ExecuteScalar();
    }
}
