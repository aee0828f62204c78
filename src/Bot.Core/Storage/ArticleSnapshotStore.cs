using Bot.Core.Corpus;

namespace Bot.Core.Storage;

/// <summary>
/// What the bot last saw of an article. <see cref="LastChanged"/> is when it was added or its file changed while the bot
/// was watching; null for articles already present when snapshots were first taken (the baseline is not "new").
/// </summary>
public sealed record ArticleSnapshot(string DocId, string Title, string ContentHash, DateTimeOffset FirstSeen, DateTimeOffset? LastChanged, DateTimeOffset? Removed)
{
    /// <summary>True when the latest change was the article's arrival.</summary>
    public bool IsNew => LastChanged is { } changed && changed == FirstSeen;
}

/// <summary>What a snapshot sync found.</summary>
public sealed record SnapshotChanges(int Added, int Changed, int Removed, bool Baseline);

/// <summary>Article snapshots (doc id, title, content hash, first seen, last changed): which articles are new or changed when.</summary>
public sealed class ArticleSnapshotStore
{
    private readonly BotDatabase _db;
    private readonly TimeProvider _time;

    public ArticleSnapshotStore(BotDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    /// <summary>
    /// Compares the corpus with the stored snapshots in one transaction: new doc ids are added, changed hashes update
    /// the title and <see cref="ArticleSnapshot.LastChanged"/>, missing ones are marked removed. The first sync of an empty
    /// table is a baseline: those articles are recorded without a change time.
    /// </summary>
    public SnapshotChanges Sync(IReadOnlyList<Article> articles)
    {
        var now = Db.Time(_time.GetUtcNow());
        return _db.Write(c =>
        {
            var known = new Dictionary<string, (string Hash, bool Removed)>(StringComparer.Ordinal);
            using (var cmd = c.Command("SELECT doc_id, content_hash, removed_utc FROM article_snapshots;"))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    known[r.GetString(0)] = (r.GetString(1), !r.IsDBNull(2));
                }
            }

            var baseline = known.Count == 0;
            int added = 0, changed = 0, removed = 0;
            foreach (var a in articles)
            {
                if (!known.TryGetValue(a.DocId, out var k))
                {
                    c.Exec("INSERT INTO article_snapshots (doc_id, title, content_hash, first_seen_utc, last_changed_utc) VALUES (@d, @t, @h, @now, @changed);",
                        ("@d", a.DocId), ("@t", a.Title), ("@h", a.ContentHash), ("@now", now), ("@changed", baseline ? null : now));
                    added++;
                }
                else if (k.Hash != a.ContentHash || k.Removed)
                {
                    c.Exec("UPDATE article_snapshots SET title = @t, content_hash = @h, last_changed_utc = @now, removed_utc = NULL WHERE doc_id = @d;",
                        ("@d", a.DocId), ("@t", a.Title), ("@h", a.ContentHash), ("@now", now));
                    changed++;
                }
            }

            var present = articles.Select(a => a.DocId).ToHashSet(StringComparer.Ordinal);
            foreach (var (docId, k) in known)
            {
                if (!k.Removed && !present.Contains(docId))
                {
                    c.Exec("UPDATE article_snapshots SET removed_utc = @now WHERE doc_id = @d;", ("@d", docId), ("@now", now));
                    removed++;
                }
            }

            return new SnapshotChanges(baseline ? 0 : added, changed, removed, baseline && added > 0);
        });
    }

    /// <summary>Articles (not removed) added or changed in (<paramref name="from"/>, <paramref name="to"/>], oldest change first.</summary>
    public IReadOnlyList<ArticleSnapshot> ChangedBetween(DateTimeOffset from, DateTimeOffset to) => Query(
        "WHERE removed_utc IS NULL AND last_changed_utc > @from AND last_changed_utc <= @to ORDER BY last_changed_utc, doc_id",
        ("@from", Db.Time(from)), ("@to", Db.Time(to)));

    public IReadOnlyList<ArticleSnapshot> All() => Query("ORDER BY doc_id");

    private IReadOnlyList<ArticleSnapshot> Query(string tail, params (string, object?)[] p) => _db.Run(c =>
    {
        using var cmd = c.Command($"SELECT doc_id, title, content_hash, first_seen_utc, last_changed_utc, removed_utc FROM article_snapshots {tail};", p);
        using var r = cmd.ExecuteReader();
        var list = new List<ArticleSnapshot>();
        while (r.Read())
        {
            list.Add(new ArticleSnapshot(r.GetString(0), r.GetString(1), r.GetString(2), Db.ParseTime(r.GetString(3)),
                Db.ParseTimeOrNull(r.StringOrNull(4)), Db.ParseTimeOrNull(r.StringOrNull(5))));
        }

        return (IReadOnlyList<ArticleSnapshot>)list;
    });
}
