namespace Bot.Core.Search;

/// <summary>Section "Index".</summary>
public sealed class IndexOptions : IValidatedOptions
{
    public const string Section = "Index";

    /// <summary>Folder that holds the built Lucene index (in its "lucene" subfolder).</summary>
    public string Path { get; set; } = "index";

    /// <summary>
    /// How long after the first fast update that left the index uncompacted the served index is compacted (in the
    /// background) back to exactly what a full build writes; zero compacts at once, within the update.
    /// </summary>
    public TimeSpan CompactDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return "Index:Path is required.";
        }

        if (CompactDelay < TimeSpan.Zero)
        {
            yield return "Index:CompactDelay must not be negative.";
        }
    }
}
