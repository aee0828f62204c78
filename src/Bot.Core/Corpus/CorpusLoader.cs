using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Corpus;

/// <summary>The loaded corpus: the articles, in document-id order, and a hash over every seed file.</summary>
/// <param name="Skipped">Seed files left out, each "file name: reason" (not UTF-8 text, binary, a name that gives no id).</param>
public sealed record CorpusSnapshot(IReadOnlyList<Article> Articles, string SeedsHash, IReadOnlyList<string>? Skipped = null)
{
    public int PassageCount => Articles.Sum(a => a.Passages.Count);
}

/// <summary>seeds/*.txt → cleaned articles → passages. See <see cref="BoilerplateRules"/> and <see cref="PassageSplitter"/>.</summary>
public static class CorpusLoader
{
    /// <summary>
    /// Loads every <c>*.txt</c> in <paramref name="seedsPath"/> (UTF-8, BOM tolerated), ordered by file name. A file that is
    /// not UTF-8 text, looks binary, or whose name gives an empty document id (<c>.txt</c>) is skipped and listed in
    /// <see cref="CorpusSnapshot.Skipped"/>; the others are still loaded.
    /// </summary>
    public static CorpusSnapshot Load(string seedsPath)
    {
        var files = new List<(string DocId, byte[] Bytes)>();
        var hash = HashFiles(seedsPath, (docId, bytes) => files.Add((docId, bytes)));
        // Cleaning and splitting are pure functions of the file: parsed on every core, kept in file-name order.
        var parsed = files.AsParallel().AsOrdered()
            .Select(f => RejectReason(f.DocId, f.Bytes) is { } reason ? (Article: null, Skipped: $"{f.DocId}.txt: {reason}") : (Article: Parse(f.DocId, f.Bytes), Skipped: (string?)null))
            .ToList();
        var articles = parsed.Where(p => p.Article is not null).Select(p => p.Article!).ToList();
        var skipped = parsed.Where(p => p.Skipped is not null).Select(p => p.Skipped!).ToList();
        return new CorpusSnapshot(articles, hash, skipped);
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

    /// <summary>Hashes the seed files (names and bytes) without parsing them: cheap start-up check for a stale index.</summary>
    public static string HashSeeds(string seedsPath) => HashFiles(seedsPath, null);

    /// <summary>SHA-256 over every seed file's stem and bytes, in file-name order; hands each file to <paramref name="visit"/>.</summary>
    private static string HashFiles(string seedsPath, Action<string, byte[]>? visit)
    {
        if (!Directory.Exists(seedsPath))
        {
            throw new CorpusException($"seeds folder not found: {seedsPath} (set Corpus:SeedsPath)");
        }

        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(seedsPath, "*.txt").OrderBy(f => f, StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var docId = Path.GetFileNameWithoutExtension(file);
            all.AppendData(Encoding.UTF8.GetBytes(docId + "\0"));
            all.AppendData(bytes);
            visit?.Invoke(docId, bytes);
        }

        return Convert.ToHexStringLower(all.GetHashAndReset());
    }

    /// <summary>Cleans one article's raw bytes and splits it into passages.</summary>
    public static Article Parse(string docId, byte[] bytes)
    {
        var text = new UTF8Encoding(false, false).GetString(bytes);
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var lines = CleanLines(text);
        var title = TitleRule.TitleFor(lines.Select(l => l.Text).ToList(), docId);
        var passages = PassageSplitter.Split(docId, lines);
        return new Article(docId, title, lines, passages, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Applies <see cref="BoilerplateRules"/> to the raw text and returns the kept lines with their numbers.</summary>
    public static List<SourceLine> CleanLines(string text)
    {
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var kept = new List<SourceLine>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < raw.Length; i++)
        {
            var line = StripControl(raw[i]);
            if (BoilerplateRules.IsTrailerStart(line))
            {
                // The trailer's first line names the article's blog category ("'잡담' 카테고리의 다른 글"): it is kept,
                // the list of other posts below it is not.
                var category = BoilerplateRules.Normalize(line);
                if (seen.Add(category))
                {
                    kept.Add(new SourceLine(i + 1, category, false));
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

            kept.Add(new SourceLine(i + 1, normalized, TitleRule.IsHeadingLike(normalized)));
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
