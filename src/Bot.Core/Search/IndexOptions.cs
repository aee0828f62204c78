namespace Bot.Core.Search;

/// <summary>Section "Index".</summary>
public sealed class IndexOptions : IValidatedOptions
{
    public const string Section = "Index";

    /// <summary>Folder that holds the built Lucene index (in its "lucene" subfolder).</summary>
    public string Path { get; set; } = "index";

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return "Index:Path is required.";
        }
    }
}
