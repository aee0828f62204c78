using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Search;

/// <summary>Section "Retrieval".</summary>
public sealed class RetrievalOptions
{
    public const string Section = "Retrieval";

    /// <summary>Longest accepted question, in characters.</summary>
    [Range(10, 100_000)]
    public int MaxQuestionChars { get; set; } = 2000;

    /// <summary>BM25 candidates re-ranked by coverage and cues.</summary>
    [Range(1, 1000)]
    public int Candidates { get; set; } = 20;

    /// <summary>Least weighted share of the question's words that the best passage must contain to answer.</summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.35;

    /// <summary>Decline when words that no article contains carry at least this share of the question's weight.</summary>
    [Range(0.0, 1.0)]
    public double MaxMissingShare { get; set; } = 0.8;

    /// <summary>Optional extra Solr-format synonyms file, applied after the built-in glossary.</summary>
    public string? SynonymsPath { get; set; }

    /// <summary>
    /// For measuring one lever at a time (comma-separated): <c>synonyms</c>, <c>prefix</c> (prefix synonyms of conjugated
    /// words), <c>predicates</c> (verbs weigh like nouns), <c>cues</c> (question-type cues), <c>rerank</c> (BM25 order only),
    /// <c>names</c> (a missing name does not veto).
    /// Empty in production.
    /// </summary>
    public string Disable { get; set; } = "";

    public bool IsDisabled(string lever) =>
        Disable.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(lever, StringComparer.OrdinalIgnoreCase);
}
