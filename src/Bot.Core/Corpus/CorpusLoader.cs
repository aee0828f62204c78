using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Corpus;

/// <summary>The loaded corpus: the articles, in document-id order, and a hash over every seed file.</summary>
/// <param name="Skipped">Seed files left out, each "file name: reason" (not UTF-8 text, binary, a name that gives no id).</param>
/// <param name="Files">Every article file with its size, time, content hash and outcome (kept in the index commit).</param>
public sealed record CorpusSnapshot(IReadOnlyList<Article> Articles, string SeedsHash, IReadOnlyList<string>? Skipped = null, SeedFiles? Files = null)
{
    public int PassageCount => Articles.Sum(a => a.Passages.Count);
}

/// <summary>
/// seeds/ → cleaned articles → passages. An article is a <c>.txt</c> (plain text, see <see cref="BoilerplateRules"/>), a
/// <c>.md</c> (<see cref="MarkdownArticle"/>) or an <c>.html</c>/<c>.htm</c> page (<see cref="HtmlArticle"/>); any of them
/// may start with a YAML front matter block (<see cref="FrontMatter"/>). The file stem is the document id; when two files
/// share a stem (<c>a.txt</c> and <c>a.md</c>) the first in <see cref="Extensions"/> order is loaded and the other skipped
/// with a warning naming both. Passages come from <see cref="PassageSplitter"/>.
/// </summary>
public static class CorpusLoader
{
    /// <summary>The article formats, in the order that decides which file keeps a document id two files share.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".txt", ".md", ".html", ".htm"];

    /// <summary>
    /// Loads every article file in <paramref name="seedsPath"/> (UTF-8, BOM tolerated), ordered by document id. A file that
    /// is not UTF-8 text, looks binary, whose name gives an empty document id (<c>.txt</c>) or whose id another file already
    /// has is skipped and listed in <see cref="CorpusSnapshot.Skipped"/>; the others are still loaded.
    /// </summary>
    public static CorpusSnapshot Load(string seedsPath)
    {
        var scannedAt = DateTime.UtcNow.Ticks; // file-system time, compared with the files' own times
        var files = new List<(string File, string DocId, byte[] Bytes, string? Taken, long Size, long Modified)>();
        VisitFiles(seedsPath, (file, docId, bytes, taken, size, modified) => files.Add((file, docId, bytes, taken, size, modified)));
        // Cleaning and splitting are pure functions of the file: parsed on every core, kept in file order.
        var parsed = files.AsParallel().AsOrdered()
            .Select(f =>
            {
                var name = Path.GetFileName(f.File);
                var reason = f.Taken is not null ? TakenReason(f.DocId, f.Taken) : RejectReason(f.DocId, f.Bytes);
                var article = reason is null ? Parse(f.DocId, f.Bytes, Path.GetExtension(f.File)) : null;
                var skipped = reason is null ? null : $"{name}: {reason}";
                var sha = article?.ContentHash ?? Convert.ToHexStringLower(SHA256.HashData(f.Bytes));
                return (Article: article, Skipped: skipped, Row: new SeedFile(name, f.Size, f.Modified, sha, article?.Passages.Count ?? 0, skipped));
            })
            .ToList();
        var articles = parsed.Where(p => p.Article is not null).Select(p => p.Article!).ToList();
        var skipped = parsed.Where(p => p.Skipped is not null).Select(p => p.Skipped!).ToList();
        articles.Sort((a, b) => string.CompareOrdinal(a.DocId, b.DocId));
        var table = new SeedFiles(parsed.Select(p => p.Row).ToList(), scannedAt);
        return new CorpusSnapshot(articles, table.Hash, skipped, table);
    }

    /// <summary>Why a file is skipped when another file (<paramref name="owner"/>) has its document id.</summary>
    internal static string TakenReason(string docId, string owner) => $"document id '{docId}' is already {owner}'s; rename one of them";

    /// <summary>The article with document id <paramref name="docId"/> as the seeds folder has it now, or null.</summary>
    public static Article? LoadOne(string seedsPath, string docId)
    {
        foreach (var ext in Extensions)
        {
            var path = Path.Combine(seedsPath, docId + ext);
            if (File.Exists(path))
            {
                var bytes = File.ReadAllBytes(path);
                return RejectReason(docId, bytes) is null ? Parse(docId, bytes, ext) : null;
            }
        }

        return null;
    }

    /// <summary>Why a seed file cannot be an article, or null when it can.</summary>
    public static string? RejectReason(string docId, byte[] bytes)
    {
        if (string.IsNullOrWhiteSpace(docId))
        {
            return "the file name gives an empty document id (name it like 001_title.txt)";
        }

        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            return "binary content (NUL bytes), not an article";
        }

        try
        {
            var text = StrictUtf8.GetString(bytes);
            var control = text.Count(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t');
            if (control > 0 && control * 20 > text.Length)
            {
                return "binary content (control characters), not an article";
            }
        }
        catch (DecoderFallbackException)
        {
            return "not UTF-8 text (save it as UTF-8)";
        }

        return null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Hashes the seed files (names and bytes) without parsing them (<see cref="SeedFiles.CombinedHash"/>).</summary>
    public static string HashSeeds(string seedsPath)
    {
        var hashes = new List<(string, string)>();
        VisitFiles(seedsPath, (file, _, bytes, _, _, _) => hashes.Add((Path.GetFileName(file), Convert.ToHexStringLower(SHA256.HashData(bytes)))));
        return SeedFiles.CombinedHash(hashes);
    }

    /// <summary>The article files of <paramref name="seedsPath"/> (full paths), in file-name order.</summary>
    internal static List<string> ListFiles(string seedsPath)
    {
        if (!Directory.Exists(seedsPath))
        {
            throw new CorpusException($"seeds folder not found: {seedsPath} (set Corpus:SeedsPath)");
        }

        return Directory.EnumerateFiles(seedsPath)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>For each document id, the name of the file that keeps it (the first in <see cref="Extensions"/> order).</summary>
    internal static Dictionary<string, string> Owners(IEnumerable<string> files)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in files.OrderBy(f => Rank(f)))
        {
            owners.TryAdd(Path.GetFileNameWithoutExtension(f), Path.GetFileName(f));
        }

        return owners;
    }

    /// <summary>
    /// Hands every article file, in file-name order, to <paramref name="visit"/>: path, document id, bytes, the file that
    /// already has its document id (if any), and its size and modification time (UTC ticks) taken before it was read.
    /// </summary>
    private static void VisitFiles(string seedsPath, Action<string, string, byte[], string?, long, long> visit)
    {
        var files = ListFiles(seedsPath);
        var owners = Owners(files);
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            var (size, modified) = (info.Length, info.LastWriteTimeUtc.Ticks);
            var bytes = File.ReadAllBytes(file);
            var docId = Path.GetFileNameWithoutExtension(file);
            var owner = owners[docId];
            visit(file, docId, bytes, owner == Path.GetFileName(file) ? null : owner, size, modified);
        }
    }

    private static int Rank(string file)
    {
        var ext = Path.GetExtension(file);
        for (var i = 0; i < Extensions.Count; i++)
        {
            if (string.Equals(Extensions[i], ext, StringComparison.OrdinalIgnoreCase))
            {
                return (i * 2) + (string.Equals(Extensions[i], ext, StringComparison.Ordinal) ? 0 : 1);
            }
        }

        return int.MaxValue;
    }

    /// <summary>Cleans one plain-text article's raw bytes and splits it into passages.</summary>
    public static Article Parse(string docId, byte[] bytes) => Parse(docId, bytes, ".txt");

    /// <summary>Cleans one article's raw bytes (<paramref name="extension"/> says the format) and splits it into passages.</summary>
    public static Article Parse(string docId, byte[] bytes, string extension)
    {
        var text = new UTF8Encoding(false, false).GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var (metadata, body) = FrontMatter.Split(text);
        List<SourceLine> lines;
        var structured = true;
        switch (extension.ToLowerInvariant())
        {
            case ".md":
                lines = CleanLines(MarkdownArticle.Lines(body));
                break;
            case ".html" or ".htm":
                var (page, raw) = HtmlArticle.Parse(body);
                metadata = metadata.Or(page);
                lines = CleanLines(raw);
                break;
            default:
                lines = CleanLines(body);
                structured = false;
                break;
        }

        // A structured file says what its headings are: its title is the first of them near the top, else the first sentence.
        var title = metadata.Title ?? (structured
            ? lines.Take(5).FirstOrDefault(l => l.IsHeading).Text is { } h ? TitleRule.StripDecoration(h) : TitleRule.TitleFor(lines.Take(1).Select(l => l.Text).ToList(), docId)
            : TitleRule.TitleFor(lines.Select(l => l.Text).ToList(), docId));
        var passages = PassageSplitter.Split(docId, lines, carryAcrossHeadings: !structured);
        return new Article(docId, title, lines, passages, Convert.ToHexStringLower(SHA256.HashData(bytes))) { Metadata = metadata };
    }

    /// <summary>Applies <see cref="BoilerplateRules"/> to the raw text and returns the kept lines with their numbers.</summary>
    public static List<SourceLine> CleanLines(string text)
    {
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        return CleanLines(raw.Select((line, i) => new RawLine(i + 1, line, false)), structured: false);
    }

    /// <summary>
    /// Applies <see cref="BoilerplateRules"/> to lines taken from a structured file (Markdown, HTML): the file says which
    /// lines are headings, instead of <see cref="TitleRule.IsHeadingLike"/> guessing.
    /// </summary>
    public static List<SourceLine> CleanLines(IEnumerable<RawLine> lines) => CleanLines(lines, structured: true);

    private static List<SourceLine> CleanLines(IEnumerable<RawLine> lines, bool structured)
    {
        var kept = new List<SourceLine>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rawLine in lines)
        {
            var line = StripControl(rawLine.Text);
            if (BoilerplateRules.IsTrailerStart(line))
            {
                // The trailer's first line names the article's blog category ("'잡담' 카테고리의 다른 글"): it is kept,
                // the list of other posts below it is not.
                var category = BoilerplateRules.Normalize(line);
                if (seen.Add(category))
                {
                    kept.Add(new SourceLine(rawLine.Number, category, false));
                }

                break;
            }

            if (BoilerplateRules.DropReason(line) is not null)
            {
                continue;
            }

            var normalized = BoilerplateRules.Normalize(line);
            if (!seen.Add(normalized))
            {
                continue;
            }

            kept.Add(new SourceLine(rawLine.Number, normalized, structured ? rawLine.Heading : TitleRule.IsHeadingLike(normalized)));
        }

        return kept;
    }

    private static string StripControl(string s) => ControlRegex.Replace(s, " ");

    private static readonly Regex ControlRegex = new(@"[\u0000-\u0008\u000B-\u001F\u007F\u200B\uFEFF]", RegexOptions.Compiled);
}

/// <summary>A seeds folder that cannot be read.</summary>
public sealed class CorpusException : Exception
{
    public CorpusException(string message)
        : base(message)
    {
    }

    public CorpusException()
    {
    }

    public CorpusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
