using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Search;

/// <summary>Section "Index".</summary>
public sealed class IndexOptions
{
    public const string Section = "Index";

    /// <summary>Folder that holds the built Lucene index (in its "lucene" subfolder).</summary>
    [Required]
    public string Path { get; set; } = "index";
}
