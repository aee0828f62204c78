using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Core.Corpus;

/// <summary>
/// One article file as last indexed: its name, size and modification time (so an unchanged file is recognised without
/// reading it), the SHA-256 of its bytes, and what it gave: its passage count, or why it was skipped.
/// </summary>
/// <param name="Name">File name in the seeds folder.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Modified">Last write time, UTC ticks.</param>
/// <param name="Sha256">SHA-256 of the bytes (hex, lower case): the article's content hash.</param>
/// <param name="Passages">Passages of the article (0 when skipped).</param>
/// <param name="Skip">"file: reason" when the file is not indexed (see <see cref="CorpusSnapshot.Skipped"/>), else null.</param>
public sealed record SeedFile(
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("s")] long Size,
    [property: JsonPropertyName("m")] long Modified,
    [property: JsonPropertyName("h")] string Sha256,
    [property: JsonPropertyName("p")] int Passages,
    [property: JsonPropertyName("k")] string? Skip)
{
    /// <summary>The document id the file's name gives (its stem).</summary>
    [JsonIgnore]
    public string DocId => Path.GetFileNameWithoutExtension(Name);
}

/// <summary>
/// The table of seed files an index was built from, kept in the index commit (so it is exactly as new as the index):
/// the files in name order and when they were looked at (<see cref="ScannedAt"/>, UTC ticks). A file whose size and
/// modification time match its row, and which was last modified well before the row was recorded, is taken as
/// unchanged without being read; anything else is read and hashed (<see cref="SeedScan"/>).
/// </summary>
public sealed record SeedFiles(IReadOnlyList<SeedFile> Files, long ScannedAt)
{
    /// <summary>
    /// A file modified this close to (or after) the scan that recorded it may have been written again within the file
    /// system's timestamp resolution: it is re-hashed rather than trusted by size and time.
    /// </summary>
    public static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    /// <summary>SHA-256 over every file's hash key and content hash, in name order: the seeds hash of the manifest.</summary>
    public string Hash => CombinedHash(Files.Select(f => (f.Name, f.Sha256)));

    /// <summary>Indexed articles (files not skipped).</summary>
    public int Articles => Files.Count(f => f.Skip is null);

    public int Passages => Files.Sum(f => f.Passages);

    /// <summary>The skipped files' "file: reason" lines, in name order.</summary>
    public IReadOnlyList<string> Skipped => Files.Where(f => f.Skip is not null).Select(f => f.Skip!).ToList();

    /// <summary>
    /// The seeds hash over (file name, content hash) pairs given in file-name order: a <c>.txt</c> file counts by its stem
    /// (as before other formats existed), any other by its name.
    /// </summary>
    public static string CombinedHash(IEnumerable<(string Name, string Sha256)> files)
    {
        using var all = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, sha) in files)
        {
            var key = string.Equals(Path.GetExtension(name), ".txt", StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(name) : name;
            all.AppendData(Encoding.UTF8.GetBytes(key + "\0" + sha + "\n"));
        }

        return Convert.ToHexStringLower(all.GetHashAndReset());
    }

    public string Serialize() => JsonSerializer.Serialize(Files);

    /// <summary>The table from its serialized form, or null when it is missing or unreadable (the index is then treated as having none).</summary>
    public static SeedFiles? Parse(string? json, string? scannedAt)
    {
        if (string.IsNullOrEmpty(json) || !long.TryParse(scannedAt, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ticks))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<SeedFile>>(json) is { } files ? new SeedFiles(files, ticks) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
