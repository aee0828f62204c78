namespace Bot.Core.Storage;

/// <summary>
/// The schema, as forward-only steps, one list per provider with the same version numbers: <see cref="Sqlite"/>[i] upgrades
/// a file at <c>PRAGMA user_version</c> i to i+1, <see cref="Postgres"/>[i] a database whose <c>bot_schema.version</c> is i.
/// Never edit a released step; add a new one to both lists. Times are UTC text in <see cref="Db.TimeFormat"/> (sortable).
/// </summary>
internal static partial class Migrations
{
    /// <summary>v1: query log (no user ids), answer feedback (users as salted hashes), settings.</summary>
    public const string V1 = """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE query_log (
            id          INTEGER PRIMARY KEY,
            at_utc      TEXT NOT NULL,
            platform    TEXT NOT NULL,
            channel     TEXT NOT NULL,
            question    TEXT NOT NULL,
            normalized  TEXT NOT NULL,
            outcome     TEXT NOT NULL CHECK (outcome IN ('answered', 'declined')),
            status      TEXT NOT NULL,
            reason      TEXT,
            top_doc     TEXT,
            top_passage INTEGER
        );
        CREATE INDEX ix_query_log_at ON query_log (at_utc);
        CREATE TABLE feedback (
            answer_id TEXT NOT NULL,
            user_hash TEXT NOT NULL,
            platform  TEXT NOT NULL,
            vote      INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            at_utc    TEXT NOT NULL,
            PRIMARY KEY (answer_id, user_hash)
        );
        """;

    /// <summary>v2: the kind of query (ask/search), digest runs (exactly-once key), article snapshots (what is new).</summary>
    public const string V2 = """
        ALTER TABLE query_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'ask';
        CREATE INDEX ix_feedback_at ON feedback (at_utc);
        CREATE TABLE digest_runs (
            id               INTEGER PRIMARY KEY,
            schedule         TEXT NOT NULL,
            tick_utc         TEXT NOT NULL,
            platform         TEXT NOT NULL,
            channel          TEXT NOT NULL,
            trigger_kind     TEXT NOT NULL DEFAULT 'schedule',
            state            TEXT NOT NULL CHECK (state IN ('intent', 'posted', 'failed', 'unknown', 'empty')),
            period_start_utc TEXT,
            message_ids      TEXT,
            error            TEXT,
            created_utc      TEXT NOT NULL,
            updated_utc      TEXT NOT NULL,
            UNIQUE (schedule, tick_utc, platform, channel)
        );
        CREATE TABLE article_snapshots (
            doc_id           TEXT PRIMARY KEY,
            title            TEXT NOT NULL,
            content_hash     TEXT NOT NULL,
            first_seen_utc   TEXT NOT NULL,
            last_changed_utc TEXT,
            removed_utc      TEXT
        );
        CREATE INDEX ix_article_snapshots_changed ON article_snapshots (last_changed_utc);
        """;

    /// <summary>
    /// v3: privacy. <c>in_channel</c> = 1 only for questions asked where the whole channel saw them (digests show nothing
    /// else); rows logged before are private, and their channel ids (DM channels among them) are forgotten.
    /// </summary>
    public const string V3 = """
        ALTER TABLE query_log ADD COLUMN in_channel INTEGER NOT NULL DEFAULT 0;
        UPDATE query_log SET channel = '';
        CREATE INDEX ix_query_log_channel ON query_log (platform, channel, at_utc);
        """;

    /// <summary>
    /// v4: how long each answer took (ms, null for rows logged before), the id of the answer the adapter posted (joins
    /// feedback votes to their question; null when none was minted), and indexes for the dashboard's filters.
    /// </summary>
    public const string V4 = """
        ALTER TABLE query_log ADD COLUMN latency_ms REAL;
        ALTER TABLE query_log ADD COLUMN answer_id TEXT;
        CREATE INDEX ix_query_log_answer ON query_log (answer_id) WHERE answer_id IS NOT NULL;
        CREATE INDEX ix_query_log_group ON query_log (normalized, outcome, status, platform, at_utc, answer_id);
        CREATE INDEX ix_query_log_day ON query_log (at_utc, outcome, latency_ms);
        CREATE INDEX ix_feedback_answer_vote ON feedback (answer_id, vote);
        """;

    /// <summary>
    /// v5: what several replicas share. <c>claims</c>: a key claimed once until it expires (chat events answered once, the
    /// daily retention purge); <c>leases</c>: named leases held by one owner until they expire (Discord shards).
    /// </summary>
    public const string V5 = """
        CREATE TABLE claims (
            key         TEXT PRIMARY KEY,
            expires_utc TEXT NOT NULL
        );
        CREATE INDEX ix_claims_expires ON claims (expires_utc);
        CREATE TABLE leases (
            name         TEXT PRIMARY KEY,
            owner        TEXT NOT NULL,
            expires_utc  TEXT NOT NULL,
            acquired_utc TEXT NOT NULL
        );
        """;

    public static readonly IReadOnlyList<string> Sqlite = [V1, V2, V3, V4, V5];

    public static int Latest => Sqlite.Count;
}
