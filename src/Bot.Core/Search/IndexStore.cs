using Bot.Core.Corpus;
using Lucene.Net.Analysis;
using Lucene.Net.Codecs;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Bot.Core.Search;

/// <summary>Field names of the index. Passage documents have <see cref="Text"/>; article documents do not.</summary>
public static class Fields
{
    public const string Kind = "kind";
    public const string Id = "id";
    public const string Doc = "doc";
    public const string Ordinal = "ord";
    public const string Title = "title";
    public const string Text = "text";
    public const string Lines = "lines";
    public const string Heading = "heading";
    public const string Opening = "opening";
    public const string PassageCount = "passages";
    public const string Hash = "hash";
    public const string Url = "url";
    public const string Author = "author";
    public const string Published = "published";
    public const string KindPassage = "passage";
    public const string KindArticle = "article";

    /// <summary>Doc-values twin of a passage's fields, read at query time without decompressing stored fields.</summary>
    public const string PassageValues = "pv";
}

/// <summary>What the last commit of an index says about itself (stored in the commit's user data).</summary>
/// <param name="Skipped">Seed files left out of the build, each "file: reason" (not UTF-8 text, binary, empty id).</param>
/// <param name="Files">The seed files the commit was built from (null in indexes of synthetic passages and older indexes).</param>
/// <param name="Compacted">
/// True when the commit is exactly what a full build of the same seeds writes (a full build, an exact update or a
/// compaction); false after a fast update (<see cref="IndexStore.Apply"/>), until the next compaction.
/// </param>
public sealed record IndexManifest(string SeedsHash, string AnalysisVersion, int Passages, int Articles, string BuiltAt, IReadOnlyList<string>? Skipped = null,
    SeedFiles? Files = null, bool Compacted = true)
{
    internal IDictionary<string, string> ToUserData() => new Dictionary<string, string>
    {
        ["seedFiles"] = Files?.Serialize() ?? "",
        ["seedsScannedAt"] = Files?.ScannedAt.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        ["compacted"] = Compacted ? "true" : "false",
        ["skipped"] = string.Join('\n', Skipped ?? []),
        ["seedsHash"] = SeedsHash,
        ["analysis"] = AnalysisVersion,
        ["passages"] = Passages.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["articles"] = Articles.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["builtAt"] = BuiltAt,
    };

    internal static IndexManifest? FromUserData(IDictionary<string, string>? data)
    {
        if (data is null || !data.TryGetValue("seedsHash", out var hash) || !data.TryGetValue("analysis", out var analysis))
        {
            return null;
        }

        _ = int.TryParse(data.TryGetValue("passages", out var p) ? p : "0", out var passages);
        _ = int.TryParse(data.TryGetValue("articles", out var a) ? a : "0", out var articles);
        var skipped = data.TryGetValue("skipped", out var s) && s.Length > 0 ? s.Split('\n') : [];
        var files = SeedFiles.Parse(data.TryGetValue("seedFiles", out var f) ? f : null, data.TryGetValue("seedsScannedAt", out var t) ? t : null);
        var compacted = !data.TryGetValue("compacted", out var c) || c != "false";
        return new IndexManifest(hash, analysis, passages, articles, data.TryGetValue("builtAt", out var b) ? b : "", skipped, files, compacted);
    }
}

/// <summary>
/// The Lucene index on disk, in <c>{Index:Path}/lucene</c>. A (re)build writes new segments and makes them visible with a
/// single Lucene commit, so a crash mid-build leaves the previous commit (or no index, which is rebuilt) and a reader
/// never sees a half-built index; readers switch to the new commit when they refresh.
/// </summary>
public static partial class IndexStore
{
    public static string LuceneFolder(string indexPath) => System.IO.Path.Combine(indexPath, "lucene");

    /// <summary>Name of the file whose exclusive OS lock is held for the whole of a build (in the Lucene folder).</summary>
    public const string BuildLockName = "build.lock";

    /// <summary>
    /// The manifest of the last commit, or null when there is no usable index: missing, or unreadable in any way (a
    /// truncated or damaged file of any kind, whatever exception Lucene throws for it), so that the caller rebuilds it.
    /// Every file of the commit must end with Lucene's checksum footer (cheap: one seek per file), and the commit must open.
    /// </summary>
    public static IndexManifest? ReadManifest(LuceneDirectory dir)
    {
        try
        {
            if (!DirectoryReader.IndexExists(dir))
            {
                return null;
            }

            var commits = DirectoryReader.ListCommits(dir);
            if (commits.Count == 0)
            {
                return null;
            }

            var last = commits[^1];
            if (!FilesIntact(dir, last))
            {
                return null;
            }

            using (DirectoryReader.Open(last))
            {
            }

            return IndexManifest.FromUserData(last.UserData);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not LockObtainFailedException)
        {
            return null; // unreadable or corrupt: treat as missing and rebuild
        }
    }

    /// <summary>True when every file of <paramref name="commit"/> ends with the codec footer (a truncated file does not).</summary>
    private static bool FilesIntact(LuceneDirectory dir, IndexCommit commit)
    {
        foreach (var name in commit.FileNames)
        {
            using var input = dir.OpenInput(name, IOContext.READ_ONCE);
            if (input.Length < CodecUtil.FooterLength())
            {
                return false;
            }

            input.Seek(input.Length - CodecUtil.FooterLength());
            if (input.ReadInt32() != CodecUtil.FOOTER_MAGIC || input.ReadInt32() != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Takes the build lock of the index folder: an exclusive OS lock (flock on Unix, a sharing lock on Windows) on
    /// <see cref="BuildLockName"/>, released when the returned handle is disposed or the process dies. Throws
    /// <see cref="IndexBusyException"/> when another process (or another build in this one) holds it, and
    /// <see cref="IndexNotWritableException"/> when the folder cannot be written.
    /// </summary>
    public static IDisposable AcquireBuildLock(string luceneFolder)
    {
        var path = System.IO.Path.Combine(luceneFolder, BuildLockName);
        try
        {
            System.IO.Directory.CreateDirectory(luceneFolder);
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (IsSharingViolation(ex))
        {
            throw new IndexBusyException(luceneFolder, ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IndexNotWritableException(luceneFolder, ex);
        }
    }

    /// <summary>Windows: ERROR_SHARING_VIOLATION / ERROR_LOCK_VIOLATION; Unix: the flock failed with EWOULDBLOCK (errno 11, 35 on macOS).</summary>
    private static bool IsSharingViolation(IOException ex) => OperatingSystem.IsWindows()
        ? (ex.HResult & 0xFFFF) is 32 or 33
        : ex.HResult == (OperatingSystem.IsMacOS() ? 35 : 11);

    /// <summary>True when the index is missing, was built by other analysis code, or from other seeds.</summary>
    public static bool IsStale(IndexManifest? manifest, string seedsHash) =>
        manifest is null || manifest.SeedsHash != seedsHash || manifest.AnalysisVersion != LuceneSettings.AnalysisVersion;

    /// <summary>Writer settings shared by builds: BM25, our analyzer (unless another is given), large RAM buffer.</summary>
    public static IndexWriterConfig WriterConfig(OpenMode mode, Analyzer? analyzer = null) => new(LuceneSettings.Version, analyzer ?? new KoreanIndexAnalyzer())
    {
        OpenMode = mode,
        Similarity = new BM25Similarity(),
        RAMBufferSizeMB = 64,
        UseCompoundFile = false,
    };

    /// <summary>Opens the index folder (created when missing).</summary>
    public static LuceneDirectory Open(string indexPath)
    {
        var folder = LuceneFolder(indexPath);
        System.IO.Directory.CreateDirectory(folder);
        return FSDirectory.Open(new DirectoryInfo(folder), new NativeFSLockFactory(new DirectoryInfo(folder)));
    }

    internal static Document ArticleDocument(Article article)
    {
        var opening = TextCutter.CutAtWord(string.Join(' ', article.Lines.Select(l => l.Text).Where(t => !string.Equals(TitleRule.StripDecoration(t), article.Title, StringComparison.Ordinal)).Take(4)), 300);
        Document document =
        [
            new StringField(Fields.Kind, Fields.KindArticle, Field.Store.NO),
            new StringField(Fields.Doc, article.DocId, Field.Store.YES),
            new StoredField(Fields.Title, article.Title),
            new StoredField(Fields.Opening, opening),
            new StoredField(Fields.PassageCount, article.Passages.Count),
            new StoredField(Fields.Hash, article.ContentHash),
        ];
        foreach (var (name, value) in new[] { (Fields.Url, article.Metadata.Url), (Fields.Author, article.Metadata.Author), (Fields.Published, article.Metadata.PublishedText) })
        {
            if (value is not null)
            {
                document.Add(new StoredField(name, value));
            }
        }

        return document;
    }

    /// <summary>Reuses one Document and its fields across passages (indexing speed).</summary>
    internal sealed class PassageDocumentWriter
    {
        private readonly StringField _kind = new(Fields.Kind, Fields.KindPassage, Field.Store.NO);
        private readonly StringField _id = new(Fields.Id, "", Field.Store.YES);
        private readonly StringField _doc = new(Fields.Doc, "", Field.Store.YES);
        private readonly StoredField _ord = new(Fields.Ordinal, 0);
        private readonly StoredField _title = new(Fields.Title, "");
        private readonly StoredField _lines = new(Fields.Lines, "");
        private readonly StoredField _heading = new(Fields.Heading, "");
        private readonly Field _text = new(Fields.Text, "", TextField.TYPE_STORED);
        private readonly BinaryDocValuesField _values = new(Fields.PassageValues, new BytesRef());
        private readonly Document _document;

        public PassageDocumentWriter()
        {
            _document = [_kind, _id, _doc, _ord, _title, _lines, _heading, _text, _values];
        }

        public Document Fill(string title, Passage passage)
        {

            _id.SetStringValue(passage.Id);
            _doc.SetStringValue(passage.DocId);
            _ord.SetInt32Value(passage.Ordinal);
            _title.SetStringValue(title);
            _lines.SetStringValue($"{passage.FirstLine}-{passage.LastLine}");
            _heading.SetStringValue(passage.Heading);
            _text.SetStringValue(passage.Text);
            _values.SetBytesValue(new BytesRef(PassageValuesCodec.Encode(passage.Id, passage.DocId, title, passage.Ordinal, $"{passage.FirstLine}-{passage.LastLine}", passage.Text)));
            return _document;
        }
    }
}

/// <summary>
/// A passage's fields packed into one doc value (UTF-8, fields separated by U+0000), so that re-ranking and result
/// building read one small value per passage instead of decompressing a stored-fields block.
/// </summary>
public static class PassageValuesCodec
{
    public static byte[] Encode(string id, string doc, string title, int ordinal, string lines, string text) =>
        System.Text.Encoding.UTF8.GetBytes(string.Join('\0', id, doc, title, ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture), lines, text));

    /// <summary>Decodes only the text (the last field).</summary>
    public static string Text(BytesRef value)
    {
        var span = value.Bytes.AsSpan(value.Offset, value.Length);
        var last = span.LastIndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(span[(last + 1)..]);
    }

    /// <summary>The title and ordinal alone (the fields before the text), without decoding the text.</summary>
    public static (string Title, int Ordinal) TitleAndOrdinal(BytesRef value)
    {
        var span = value.Bytes.AsSpan(value.Offset, value.Length);
        Span<int> at = stackalloc int[4];
        var found = 0;
        for (var i = 0; i < span.Length && found < 4; i++)
        {
            if (span[i] == 0)
            {
                at[found++] = i;
            }
        }

        if (found < 4)
        {
            return ("", 0);
        }

        var title = System.Text.Encoding.UTF8.GetString(span[(at[1] + 1)..at[2]]);
        var ordinal = int.Parse(System.Text.Encoding.UTF8.GetString(span[(at[2] + 1)..at[3]]), System.Globalization.CultureInfo.InvariantCulture);
        return (title, ordinal);
    }

    public static (string Id, string Doc, string Title, int Ordinal, string Lines, string Text) Decode(BytesRef value)
    {
        var parts = System.Text.Encoding.UTF8.GetString(value.Bytes, value.Offset, value.Length).Split('\0', 6);
        return (parts[0], parts[1], parts[2], int.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture), parts[4], parts[5]);
    }
}

/// <summary>Another process (or another build in this one) is building the index in <see cref="Folder"/>.</summary>
public sealed class IndexBusyException : IOException
{
    public IndexBusyException(string folder, Exception inner)
        : base($"another process is building the index in {folder}; try again when it has finished", inner)
    {
        Folder = folder;
    }

    public string Folder { get; } = "";
}

/// <summary>The index folder cannot be written (read-only, permissions, not a folder).</summary>
public sealed class IndexNotWritableException : IOException
{
    public IndexNotWritableException(string folder, Exception inner)
        : base($"cannot write the index in {folder} ({inner.Message}); make the folder writable or set Index:Path to a writable folder", inner)
    {
        Folder = folder;
    }

    public string Folder { get; } = "";
}
