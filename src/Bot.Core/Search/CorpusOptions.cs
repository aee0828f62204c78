namespace Bot.Core.Search;

/// <summary>Section "Corpus".</summary>
public sealed class CorpusOptions : IValidatedOptions
{
    public const string Section = "Corpus";

    /// <summary>Folder of seed articles (*.txt, *.md, *.html, UTF-8; see <see cref="Corpus.CorpusLoader"/>); the file stem is the document id.</summary>
    public string SeedsPath { get; set; } = "seeds";

    /// <summary>How often a running bot checks seeds/ for added or edited files (0 = never).</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(SeedsPath))
        {
            yield return "Corpus:SeedsPath is required.";
        }

        if (WatchInterval < TimeSpan.Zero)
        {
            yield return "Corpus:WatchInterval must not be negative (0 = never).";
        }
    }
}
