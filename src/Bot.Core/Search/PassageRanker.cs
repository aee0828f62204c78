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
    bool Opening)
{
    /// <summary>A who question: 1 when the passage names a person, -1 when it does not; 0 for other questions
    /// (<see cref="QuestionCues.Kinds"/>).</summary>
    public double Who { get; init; }

    /// <summary>A why question: 1 when the passage gives a reason, -1 when it does not; 0 for other questions.</summary>
    public double Why { get; init; }
}

/// <summary>
/// Orders candidate passages for a question. Each candidate is described by its <see cref="RankFeatures"/>, by how far
/// each of them falls short of the best among the question's candidates, and by its BM25 rank
/// (<see cref="FeatureNames"/>); boosted trees (<see cref="RankerTrees"/>, fitted offline by <c>tests/eval/fit_trees.py</c>
/// on the paraphrase and tune question files, and checked on dev, train, check and the blind probes, none of which it
/// fits on) give the probability that it answers. The bot never reads a gold file. Lever <c>trees</c> off: the earlier linear score
/// (<see cref="Linear"/>, fitted by <c>tests/eval/fit_ranker.py</c>); lever <c>ranker</c> off: the hand-set score,
/// 0.4 BM25 + 0.6 coverage + 0.1 cue.
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

    /// <summary>The names of a candidate's features, in the order of the vector the trees read: the fourteen
    /// <see cref="RankFeatures"/>, the same less their best value among the question's candidates, and the BM25 rank / 20.</summary>
    public static readonly string[] FeatureNames =
    [
        "bm25", "cov", "cue", "win1", "win2", "len", "nounCov", "predCov", "nMatched", "titleCov", "lspans", "ord0", "who", "why",
        "bm25-best", "cov-best", "cue-best", "win1-best", "win2-best", "len-best", "nounCov-best", "predCov-best", "nMatched-best",
        "titleCov-best", "lspans-best", "ord0-best", "who-best", "why-best", "rank",
    ];

    private const int RawCount = 14;

    /// <summary>
    /// Scores each candidate, given in BM25 order, by <paramref name="trees"/>: the probability (0–1) that it answers.
    /// </summary>
    public static void ScoreAll(ReadOnlySpan<RankFeatures> candidates, Span<double> scores, RankerTrees trees)
    {
        var width = FeatureNames.Length;
        Span<double> best = stackalloc double[RawCount];
        best.Fill(double.NegativeInfinity);
        var rows = candidates.Length * width <= 1200 ? stackalloc double[candidates.Length * width] : new double[candidates.Length * width];
        for (var c = 0; c < candidates.Length; c++)
        {
            var x = rows.Slice(c * width, width);
            Raw(candidates[c], x);
            for (var i = 0; i < RawCount; i++)
            {
                best[i] = Math.Max(best[i], x[i]);
            }
        }

        for (var c = 0; c < candidates.Length; c++)
        {
            var x = rows.Slice(c * width, width);
            for (var i = 0; i < RawCount; i++)
            {
                x[RawCount + i] = x[i] - best[i];
            }

            x[2 * RawCount] = c / 20.0;
        }

        trees.LogOdds(rows, width, scores);
        foreach (ref var s in scores)
        {
            s = 1 / (1 + Math.Exp(-s));
        }
    }

    private static void Raw(in RankFeatures f, Span<double> x)
    {
        x[0] = f.Bm25;
        x[1] = f.Coverage;
        x[2] = f.Cue;
        x[3] = f.Sentence;
        x[4] = f.TwoSentences;
        x[5] = f.LogLength;
        x[6] = f.NounCoverage;
        x[7] = f.PredicateCoverage;
        x[8] = f.MatchedShare;
        x[9] = f.TitleCoverage;
        x[10] = f.LogSpans;
        x[11] = f.Opening ? 1 : 0;
        x[12] = f.Who;
        x[13] = f.Why;
    }

    /// <summary>The earlier linear score (lever <c>trees</c> off).</summary>
    public static double Linear(in RankFeatures f) =>
        (WBm25 * f.Bm25) + (WCoverage * f.Coverage) + (WCue * f.Cue) + (WSentence * f.Sentence) + (WTwoSentences * f.TwoSentences)
        + (WLogLength * f.LogLength) + (WNounCoverage * f.NounCoverage) + (WPredicateCoverage * f.PredicateCoverage)
        + (WMatchedShare * f.MatchedShare) + (WTitleCoverage * f.TitleCoverage) + (WLogSpans * f.LogSpans) + (f.Opening ? WOpening : 0);

    /// <summary>The earlier hand-set score (lever <c>ranker</c> off).</summary>
    public static double HandSet(double bm25, double coverage, double cue) => (0.4 * bm25) + (0.6 * coverage) + (0.1 * cue);

    /// <summary>
    /// The best share of <paramref name="totalWeight"/> that one sentence or line of <paramref name="text"/> covers, and
    /// that two in a row cover: each group counts once, by its weight times its credit, when one of its spans lies inside.
    /// A sentence ends at a line break or at '.', '?', '!' before a space or the end. Groups past the 64th are ignored
    /// (the engine plans at most 48).
    /// </summary>
    public static (double One, double Two) SentenceCoverage(string text, PassageMatch match, IReadOnlyList<double> weights, double totalWeight)
    {
        if (totalWeight <= 0 || match.Spans.Count == 0)
        {
            return (0, 0);
        }

        // Sentence starts (the first is 0), found with a vectorised search for the characters that may end one; each
        // span's sentence, found by binary search, sets its group's bit in that sentence's mask.
        Span<int> starts = stackalloc int[256];
        var count = 1;
        starts[0] = 0;
        var chars = text.AsSpan();
        for (var at = chars.IndexOfAny(SentenceEnds); at >= 0 && at + 1 < chars.Length;)
        {
            if (EndsSentence(text, at))
            {
                if (count == starts.Length)
                {
                    var larger = new int[starts.Length * 2];
                    starts.CopyTo(larger);
                    starts = larger;
                }

                starts[count++] = at + 1;
            }

            var next = chars[(at + 1)..].IndexOfAny(SentenceEnds);
            at = next < 0 ? -1 : at + 1 + next;
        }

        starts = starts[..count];
        Span<ulong> masks = count <= 256 ? stackalloc ulong[count] : new ulong[count];
        masks.Clear();
        foreach (var span in match.Spans)
        {
            if (span.Group >= 64)
            {
                continue;
            }

            // A span is a word or a bigram inside one word, so it never crosses a sentence's end.
            var at = starts.BinarySearch(span.Start);
            masks[at >= 0 ? at : ~at - 1] |= 1UL << span.Group;
        }

        double one = 0, two = 0;
        for (var i = 0; i < count; i++)
        {
            one = Math.Max(one, Covered(masks[i], match, weights));
            two = Math.Max(two, Covered(i + 1 < count ? masks[i] | masks[i + 1] : masks[i], match, weights));
        }

        return (one / totalWeight, two / totalWeight);
    }

    private static readonly System.Buffers.SearchValues<char> SentenceEnds = System.Buffers.SearchValues.Create("\n.?!");

    private static bool EndsSentence(string text, int i) =>
        text[i] == '\n' || (text[i] is '.' or '?' or '!' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])));

    private static double Covered(ulong mask, PassageMatch match, IReadOnlyList<double> weights)
    {
        var covered = 0.0;
        while (mask != 0)
        {
            var g = System.Numerics.BitOperations.TrailingZeroCount(mask);
            covered += weights[g] * match.Credit[g];
            mask &= mask - 1;
        }

        return covered;
    }
}
