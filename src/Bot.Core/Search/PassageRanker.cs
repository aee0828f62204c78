namespace Bot.Core.Search;

/// <summary>
/// What ranks one candidate passage for a question, each in [0, 1] unless said otherwise.
/// </summary>
/// <param name="Bm25">BM25 over the best candidate's.</param>
/// <param name="Coverage">Idf-weighted share of the question's words the passage contains (synonyms included).</param>
/// <param name="Cue">Question-type cue: the passage gives what a "how much" or "when" question asks for.</param>
/// <param name="Sentence">The share covered within one sentence or line of the passage (the best one).</param>
/// <param name="TwoSentences">The share covered within two sentences or lines in a row (the best pair).</param>
/// <param name="LogLength">ln(1 + characters): long passages match more words by chance.</param>
/// <param name="NounCoverage">The share covered by the question's nouns.</param>
/// <param name="PredicateCoverage">The share covered by its verbs and adjectives.</param>
/// <param name="MatchedShare">The share of the question's words matched, unweighted.</param>
/// <param name="TitleCoverage">The share covered by the article's title.</param>
/// <param name="LogSpans">ln(1 + matched spans): words that recur.</param>
/// <param name="Opening">The article's first passage (its title and introduction), which names the article's whole topic.</param>
public readonly record struct RankFeatures(
    double Bm25,
    double Coverage,
    double Cue,
    double Sentence,
    double TwoSentences,
    double LogLength,
    double NounCoverage,
    double PredicateCoverage,
    double MatchedShare,
    double TitleCoverage,
    double LogSpans,
    bool Opening);

/// <summary>
/// Orders candidate passages by a linear score over <see cref="RankFeatures"/>. The weights are fitted offline by
/// <c>tests/eval/fit_ranker.py</c> (pairwise logistic regression: the passage that answers over each of the ten best-ranked
/// that do not) on the dev, train, paraphrase and tune question files, and checked on the blind probes and check; the bot
/// never reads a gold file. Lever <c>ranker</c> off: the earlier hand-set score, 0.4 BM25 + 0.6 coverage + 0.1 cue.
/// </summary>
public static class PassageRanker
{
    // fit_ranker.py on dev + train + paraphrase_probe + tune_probe3-8 (l2 0.01, 60 epochs, seed 1), rounded
    private const double WBm25 = 1.87;
    private const double WCoverage = 0.91;
    private const double WCue = 0.40;
    private const double WSentence = 0.82;
    private const double WTwoSentences = 0.86;
    private const double WLogLength = -0.30;
    private const double WNounCoverage = 0.73;
    private const double WPredicateCoverage = 0.18;
    private const double WMatchedShare = 0.82;
    private const double WTitleCoverage = 0.18;
    private const double WLogSpans = 0.78;
    private const double WOpening = -0.45;

    public static double Score(in RankFeatures f) =>
        (WBm25 * f.Bm25) + (WCoverage * f.Coverage) + (WCue * f.Cue) + (WSentence * f.Sentence) + (WTwoSentences * f.TwoSentences)
        + (WLogLength * f.LogLength) + (WNounCoverage * f.NounCoverage) + (WPredicateCoverage * f.PredicateCoverage)
        + (WMatchedShare * f.MatchedShare) + (WTitleCoverage * f.TitleCoverage) + (WLogSpans * f.LogSpans) + (f.Opening ? WOpening : 0);

    /// <summary>The earlier hand-set score (lever <c>ranker</c> off).</summary>
    public static double HandSet(in RankFeatures f) => (0.4 * f.Bm25) + (0.6 * f.Coverage) + (0.1 * f.Cue);

    /// <summary>
    /// The best share of <paramref name="totalWeight"/> that <paramref name="sentences"/> sentences or lines in a row of
    /// <paramref name="text"/> cover: each group counts once, by its weight times its credit, when one of its spans lies
    /// inside. A sentence ends at a line break or at '.', '?', '!' before a space or the end.
    /// </summary>
    public static double WindowCoverage(string text, PassageMatch match, IReadOnlyList<double> weights, double totalWeight, int sentences)
    {
        if (totalWeight <= 0 || match.Spans.Count == 0)
        {
            return 0;
        }

        var starts = new List<int>(16) { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '\n' || (c is '.' or '?' or '!' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))) && i + 1 < text.Length)
            {
                starts.Add(i + 1);
            }
        }

        var best = 0.0;
        Span<bool> seen = match.Credit.Length <= 64 ? stackalloc bool[match.Credit.Length] : new bool[match.Credit.Length];
        for (var si = 0; si < starts.Count; si++)
        {
            var s = starts[si];
            var e = si + sentences < starts.Count ? starts[si + sentences] : text.Length;
            seen.Clear();
            var covered = 0.0;
            foreach (var span in match.Spans)
            {
                if (span.Start >= s && span.End <= e && !seen[span.Group])
                {
                    seen[span.Group] = true;
                    covered += weights[span.Group] * match.Credit[span.Group];
                }
            }

            best = Math.Max(best, covered);
        }

        return best / totalWeight;
    }
}
