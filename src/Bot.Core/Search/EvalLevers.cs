namespace Bot.Core.Search;

/// <summary>
/// Section "Eval": switches parts of retrieval off, one lever at a time, to measure what each is worth. Read only by
/// <c>bot bench</c> and <c>bot ask --batch</c> (e.g. <c>--set Eval:Disable=maxscore</c>); the running bot never binds it,
/// so production always runs with every lever on. Comma-separated: <c>synonyms</c>, <c>lexicon</c>, <c>prefix</c> (prefix
/// synonyms of conjugated words), <c>stems</c>, <c>predicates</c> (verbs weigh like nouns), <c>cues</c> (question-type
/// cues), <c>rerank</c> (BM25 order only), <c>maxscore</c> (plain Lucene disjunction), <c>repair</c> (typo repair), <c>split</c> (a run
/// of words typed without spaces read as its words),
/// <c>roles</c> (absent nouns that end like verbs stay predicates), <c>names</c> and <c>topic</c> (the two abstention vetoes),
/// <c>count</c> (counting questions), <c>dates</c> ("when" questions), <c>others</c> ("who else" questions), <c>dict</c> (the Korean
/// dictionary: conjugated words it knows weigh as predicates, words it does not know veto), <c>unknown</c> (that veto only) and
/// <c>focus</c> (a bare noun right before a question word counts as the topic), <c>phrases</c> (a phrase of several words
/// matched in part earns the idf-weighted share of its terms, not their count's share), <c>ranker</c> (the hand-set score
/// 0.4 BM25 + 0.6 coverage + 0.1 cue instead of <see cref="PassageRanker"/>), <c>trees</c> (<see cref="PassageRanker"/>'s
/// earlier linear score instead of its boosted trees). <c>Eval:Features=FILE</c> appends every
/// candidate's ranking features to FILE as JSON lines, for <c>tests/eval/fit_trees.py</c>.
/// </summary>
public sealed class EvalLevers
{
    public const string Section = "Eval";

    /// <summary>Every lever on.</summary>
    public static EvalLevers None { get; } = new();

    public string Disable { get; set; } = "";

    /// <summary>A file to append each candidate's ranking features to (measurement only); empty: none.</summary>
    public string Features { get; set; } = "";

    public bool IsDisabled(string lever) =>
        Disable.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(lever, StringComparer.OrdinalIgnoreCase);
}
