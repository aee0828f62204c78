using System.Security.Cryptography;

namespace Bot.Core.Corpus;

/// <summary>
/// What changed in seeds/ since an index's <see cref="SeedFiles"/> table: found by listing the folder and comparing each
/// file's size and modification time with its row, so that only new, touched or racy files are read and hashed, and only
/// the articles whose files changed (or whose document id moved to another file) are parsed. No corpus-wide pass.
/// </summary>
/// <param name="Files">The new table (every file, as it is now).</param>
/// <param name="Articles">Each affected document id and its article now (null: no longer indexed), in document-id order.</param>
/// <param name="Indexed">The affected document ids that the old table had as articles (so: changed or removed, not added).</param>
/// <param name="Read">Files read and hashed by this scan (the others were trusted by size and time).</param>
public sealed record SeedScan(SeedFiles Files, IReadOnlyList<KeyValuePair<string, Article?>> Articles, IReadOnlySet<string> Indexed, int Read)
{
    /// <summary>True when an article must be re-indexed or removed.</summary>
    public bool ContentChanged => Articles.Count > 0;

    public int Added => Articles.Count(a => a.Value is not null && !Indexed.Contains(a.Key));

    public int Changed => Articles.Count(a => a.Value is not null && Indexed.Contains(a.Key));

    public int Removed => Articles.Count(a => a.Value is null && Indexed.Contains(a.Key));

    /// <summary>Compares <paramref name="seedsPath"/> with <paramref name="previous"/>; reads only what may have changed.</summary>
    public static SeedScan Run(string seedsPath, SeedFiles previous)
    {
        var scannedAt = DateTime.UtcNow.Ticks; // file-system time, compared with the files' own times
        var trustedBefore = previous.ScannedAt - SeedFiles.RacyWindow.Ticks;
        var old = previous.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var paths = CorpusLoader.ListFiles(seedsPath);
        var rows = new List<SeedFile>(paths.Count);
        var bytesOf = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var affected = new SortedSet<string>(StringComparer.Ordinal);
        var read = 0;
        foreach (var path in paths)
        {
            var name = Path.GetFileName(path);
            var info = new FileInfo(path);
            var (size, modified) = (info.Length, info.LastWriteTimeUtc.Ticks);
            old.TryGetValue(name, out var row);
            if (row is not null && row.Size == size && row.Modified == modified && modified < trustedBefore)
            {
                rows.Add(row);
                continue;
            }

            var bytes = File.ReadAllBytes(path);
            read++;
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (row is not null && row.Sha256 == sha)
            {
                rows.Add(row with { Size = size, Modified = modified }); // touched, same content
                continue;
            }

            bytesOf[name] = bytes;
            affected.Add(Path.GetFileNameWithoutExtension(name));
            rows.Add(new SeedFile(name, size, modified, sha, 0, null)); // outcome filled in below
        }

        var current = rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in previous.Files.Where(f => !current.Contains(f.Name)))
        {
            affected.Add(gone.DocId);
        }

        // Each affected document id: who owns it now, and what that file gives. Other files of the same id are skipped.
        var owners = CorpusLoader.Owners(paths.Where(p => affected.Contains(Path.GetFileNameWithoutExtension(p))));
        var articles = new List<KeyValuePair<string, Article?>>();
        var byName = rows.Select((r, i) => (r.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        foreach (var docId in affected)
        {
            Article? article = null;
            foreach (var path in paths.Where(p => string.Equals(Path.GetFileNameWithoutExtension(p), docId, StringComparison.Ordinal)))
            {
                var name = Path.GetFileName(path);
                var i = byName[name];
                if (owners[docId] != name)
                {
                    rows[i] = rows[i] with { Passages = 0, Skip = $"{name}: {CorpusLoader.TakenReason(docId, owners[docId])}" };
                    continue;
                }

                if (!bytesOf.TryGetValue(name, out var bytes))
                {
                    bytes = File.ReadAllBytes(path); // unchanged, but its id's owner may have changed
                    read++;
                }

                var reason = CorpusLoader.RejectReason(docId, bytes);
                article = reason is null ? CorpusLoader.Parse(docId, bytes, Path.GetExtension(name)) : null;
                rows[i] = rows[i] with { Passages = article?.Passages.Count ?? 0, Skip = reason is null ? null : $"{name}: {reason}" };
            }

            // unchanged after all (an edit of a file that does not own the id, or no article before or after): nothing to re-index
            var before = previous.Files.FirstOrDefault(f => f.Skip is null && string.Equals(f.DocId, docId, StringComparison.Ordinal));
            var same = article is null
                ? before is null
                : before is not null && before.Name == owners[docId] && before.Sha256 == article.ContentHash;
            if (!same)
            {
                articles.Add(new(docId, article));
            }
        }

        var indexed = previous.Files.Where(f => f.Skip is null && affected.Contains(f.DocId)).Select(f => f.DocId).ToHashSet(StringComparer.Ordinal);
        return new SeedScan(new SeedFiles(rows, scannedAt), articles, indexed, read);
    }
}
