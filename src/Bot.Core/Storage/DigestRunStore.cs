using System.Text.Json;
using Bot.Core.Chat;
using System.Data.Common;

namespace Bot.Core.Storage;

/// <summary>Where one digest post to one target stands.</summary>
public enum DigestRunState
{
    /// <summary>About to post (recorded before the platform call). Left behind only by a crash mid-post.</summary>
    Intent,

    /// <summary>The platform accepted it; <see cref="DigestRun.MessageIds"/> holds its message ids.</summary>
    Posted,

    /// <summary>The platform refused it (known not posted); the next tick posts again.</summary>
    Failed,

    /// <summary>The outcome is not known (crash, timeout, shutdown mid-post); never re-posted for this tick.</summary>
    Unknown,

    /// <summary>Nothing to say and Digest:PostWhenEmpty is off; nothing was posted.</summary>
    Empty,
}

/// <summary>One row of the digest-run log; (Schedule, Tick, Target) is unique.</summary>
public sealed record DigestRun(
    long Id,
    string Schedule,
    DateTimeOffset Tick,
    ChannelRef Target,
    string Trigger,
    DigestRunState State,
    DateTimeOffset? PeriodStart,
    IReadOnlyList<string> MessageIds,
    string? Error,
    DateTimeOffset Created,
    DateTimeOffset Updated);

/// <summary>
/// Exactly-once bookkeeping for digests: <see cref="TryBegin"/> records the intent (unique per schedule, tick and target)
/// before the post; <see cref="Complete"/> records the result after it.
/// </summary>
public sealed class DigestRunStore
{
    public const string TriggerSchedule = "schedule";
    public const string TriggerManual = "manual";

    /// <summary>The error recorded on runs <see cref="RecoverInterrupted"/> found as intents.</summary>
    private const string RecoveredError = "interrupted mid-post (process stopped); not re-posted";

    private readonly BotDatabase _db;
    private readonly TimeProvider _time;

    public DigestRunStore(BotDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    /// <summary>Records the intent to post; returns the run id, or null when this (schedule, tick, target) already has a row.</summary>
    public long? TryBegin(string schedule, DateTimeOffset tick, ChannelRef target, string trigger, DateTimeOffset? periodStart)
    {
        var now = Db.Time(_time.GetUtcNow());
        // The unique key (schedule, tick, platform, channel) decides: of several replicas claiming the same tick for the same
        // target at once, exactly one insert returns an id; the others wait for it and insert nothing.
        return _db.Run(c => c.Scalar(
            """
            INSERT INTO digest_runs (schedule, tick_utc, platform, channel, trigger_kind, state, period_start_utc, created_utc, updated_utc)
            VALUES (@s, @t, @p, @c, @trigger, 'intent', @period, @now, @now)
            ON CONFLICT (schedule, tick_utc, platform, channel) DO NOTHING
            RETURNING id;
            """,
            ("@s", schedule), ("@t", Db.Time(tick)), ("@p", target.Platform), ("@c", target.ChannelId), ("@trigger", trigger),
            ("@period", periodStart is { } ps ? Db.Time(ps) : null), ("@now", now)) is { } id ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : (long?)null);
    }

    /// <summary>True when this (schedule, tick, target) already has a row, in any state.</summary>
    public bool Exists(string schedule, DateTimeOffset tick, ChannelRef target) => _db.Run(c =>
        c.Scalar("SELECT 1 FROM digest_runs WHERE schedule = @s AND tick_utc = @t AND platform = @p AND channel = @c;",
            ("@s", schedule), ("@t", Db.Time(tick)), ("@p", target.Platform), ("@c", target.ChannelId)) is not null);

    /// <summary>
    /// Records the outcome of run <paramref name="id"/>. Only an <see cref="DigestRunState.Intent"/> row changes, or one that
    /// another replica's start-up recovery marked unknown while this process was still posting it (the poster knows better).
    /// </summary>
    public void Complete(long id, DigestRunState state, IReadOnlyList<string>? messageIds = null, string? error = null)
    {
        if (state == DigestRunState.Intent)
        {
            throw new ArgumentException("a run is completed with a result, not an intent", nameof(state));
        }

        _db.Run(c => c.Exec(
            "UPDATE digest_runs SET state = @state, message_ids = @ids, error = @error, updated_utc = @now WHERE id = @id AND (state = 'intent' OR (state = 'unknown' AND error = @recovered));",
            ("@recovered", RecoveredError), ("@state", Name(state)), ("@ids", messageIds is null ? null : JsonSerializer.Serialize(messageIds)), ("@error", error),
            ("@now", Db.Time(_time.GetUtcNow())), ("@id", id)));
    }

    /// <summary>
    /// Start-up recovery: every run still in <see cref="DigestRunState.Intent"/> was interrupted mid-post (crash or kill) and
    /// the platform may or may not have shown it. They become <see cref="DigestRunState.Unknown"/> and are not re-posted;
    /// their content is not lost, because the next digest for that target covers everything since its last posted one.
    /// With replicas on one PostgreSQL database, a replica starting while another is mid-post marks that run too; the
    /// poster's <see cref="Complete"/> still records its result over the mark. Either way the run is not posted twice.
    /// </summary>
    public IReadOnlyList<DigestRun> RecoverInterrupted() => _db.Write(c =>
    {
        var interrupted = Query(c, "WHERE state = 'intent'");
        c.Exec("UPDATE digest_runs SET state = 'unknown', error = @recovered, updated_utc = @now WHERE state = 'intent';",
            ("@recovered", RecoveredError), ("@now", Db.Time(_time.GetUtcNow())));
        return interrupted;
    });

    /// <summary>The latest tick handled for <paramref name="schedule"/> (any target, any state), or null before its first run.</summary>
    public DateTimeOffset? LastTick(string schedule) => _db.Run(c =>
        Db.ParseTimeOrNull(c.Scalar("SELECT MAX(tick_utc) FROM digest_runs WHERE schedule = @s;", ("@s", schedule))));

    /// <summary>The latest tick recorded for <paramref name="target"/> in <paramref name="schedule"/> (any state), or null.</summary>
    public DateTimeOffset? LastTick(string schedule, ChannelRef target) => _db.Run(c =>
        Db.ParseTimeOrNull(c.Scalar("SELECT MAX(tick_utc) FROM digest_runs WHERE schedule = @s AND platform = @p AND channel = @c;",
            ("@s", schedule), ("@p", target.Platform), ("@c", target.ChannelId))));

    /// <summary>
    /// The tick of the last digest that reached <paramref name="target"/> for <paramref name="schedule"/> (posted, or empty:
    /// nothing to say), before <paramref name="before"/>: where the next digest's period starts.
    /// </summary>
    public DateTimeOffset? LastDelivered(string schedule, ChannelRef target, DateTimeOffset before) => _db.Run(c =>
        Db.ParseTimeOrNull(c.Scalar(
            "SELECT MAX(tick_utc) FROM digest_runs WHERE schedule = @s AND platform = @p AND channel = @c AND state IN ('posted', 'empty') AND tick_utc < @before;",
            ("@s", schedule), ("@p", target.Platform), ("@c", target.ChannelId), ("@before", Db.Time(before)))));

    /// <summary>The earliest period start recorded for <paramref name="target"/> (used when nothing was ever delivered there).</summary>
    public DateTimeOffset? FirstPeriodStart(string schedule, ChannelRef target) => _db.Run(c =>
        Db.ParseTimeOrNull(c.Scalar(
            "SELECT MIN(period_start_utc) FROM digest_runs WHERE schedule = @s AND platform = @p AND channel = @c;",
            ("@s", schedule), ("@p", target.Platform), ("@c", target.ChannelId))));

    /// <summary>Runs, oldest tick first (optionally of one schedule).</summary>
    public IReadOnlyList<DigestRun> Runs(string? schedule = null) => _db.Run(c =>
        schedule is null ? Query(c, "") : Query(c, "WHERE schedule = @s", ("@s", schedule)));

    private static List<DigestRun> Query(DbConnection c, string where, params (string, object?)[] p)
    {
        using var cmd = c.Command(
            $"SELECT id, schedule, tick_utc, platform, channel, trigger_kind, state, period_start_utc, message_ids, error, created_utc, updated_utc FROM digest_runs {where} ORDER BY tick_utc, id;",
            p);
        using var r = cmd.ExecuteReader();
        var list = new List<DigestRun>();
        while (r.Read())
        {
            var ids = r.StringOrNull(8);
            list.Add(new DigestRun(r.Long(0), r.GetString(1), Db.ParseTime(r.GetString(2)), new ChannelRef(r.GetString(3), r.GetString(4)),
                r.GetString(5), Parse(r.GetString(6)), Db.ParseTimeOrNull(r.StringOrNull(7)),
                ids is null ? [] : JsonSerializer.Deserialize<List<string>>(ids) ?? [], r.StringOrNull(9),
                Db.ParseTime(r.GetString(10)), Db.ParseTime(r.GetString(11))));
        }

        return list;
    }

    private static string Name(DigestRunState s) => s.ToString().ToLowerInvariant();

    private static DigestRunState Parse(string s) => Enum.Parse<DigestRunState>(s, ignoreCase: true);
}
