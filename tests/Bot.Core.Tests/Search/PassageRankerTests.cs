using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class PassageRankerTests
{
    private static readonly QueryGroup[] Groups =
    [
        new("엔비디아", [QueryForm.OfWord("엔비디아", false)], false),
        new("시가총액", [QueryForm.OfWord("시가총액", false)], false),
        new("증발", [QueryForm.OfWord("증발", false)], false),
    ];

    private static readonly double[] Weights = [1.0, 2.0, 3.0];

    [Fact]
    public void SentenceCoverage_CountsOnlyWhatOneSentenceHolds()
    {
        // All three words are in the passage, but never all in one sentence: one sentence holds 시가총액 and 증발 (5 of 6).
        const string text = "엔비디아 이야기다. 시가총액이 하루 만에 증발했다. 다른 이야기.";
        var match = new PassageMatcher(Groups).Match(text);
        var (one, two) = PassageRanker.SentenceCoverage(text, match, Weights, 6);
        Assert.Equal(5.0 / 6, one, 3);
        Assert.Equal(1.0, two, 3);
    }

    [Fact]
    public void SentenceCoverage_EndsSentencesAtLineBreaksAndNotInsideNumbers()
    {
        // "1.5" and "v3.0" do not end a sentence; the line break does.
        const string text = "엔비디아 시가총액 1.5배\n증발";
        var match = new PassageMatcher(Groups).Match(text);
        Assert.Equal(3.0 / 6, PassageRanker.SentenceCoverage(text, match, Weights, 6).One, 3);
    }

    [Fact]
    public void SentenceCoverage_FindsTheSentenceInAPassageOfManyLines()
    {
        // More lines than the first buffer of sentence starts holds; the words stand together in the last two.
        var text = string.Concat(Enumerable.Repeat("가나\n", 300)) + "엔비디아 시가총액\n증발";
        var match = new PassageMatcher(Groups).Match(text);
        var (one, two) = PassageRanker.SentenceCoverage(text, match, Weights, 6);
        Assert.Equal(3.0 / 6, one, 3);
        Assert.Equal(1.0, two, 3);
    }

    [Fact]
    public void Linear_PrefersThePassageWhoseWordsStandTogether()
    {
        // Same BM25 and coverage; the words of one stand in one sentence, the other's are spread over the passage.
        var together = new RankFeatures(0.8, 1, 0, 1, 1, Math.Log(300), 1, 0, 1, 0, Math.Log(4), false);
        var spread = together with { Sentence = 0.4, TwoSentences = 0.7 };
        Assert.True(PassageRanker.Linear(together) > PassageRanker.Linear(spread));
        Assert.Equal(PassageRanker.HandSet(together.Bm25, together.Coverage, together.Cue), PassageRanker.HandSet(spread.Bm25, spread.Coverage, spread.Cue));
    }

    [Fact]
    public void Linear_AnArticlesOpeningWinsOnlyWithMoreEvidence()
    {
        // The opening (title and introduction) names the article's whole topic; at equal evidence a later passage wins.
        var later = new RankFeatures(0.7, 0.8, 0, 0.6, 0.8, Math.Log(400), 0.8, 0, 0.8, 0.2, Math.Log(5), false);
        Assert.True(PassageRanker.Linear(later) > PassageRanker.Linear(later with { Opening = true }));
        Assert.True(PassageRanker.Linear(later with { Opening = true, Bm25 = 1.0 }) > PassageRanker.Linear(later));
    }

    [Fact]
    public void Trees_PreferTheCandidateThatCoversTheQuestion()
    {
        // Two candidates alike in BM25 and length: one holds every word of the question in one sentence, the other
        // half of them spread out. The shipped trees must rank the first above the second, whichever BM25 rank it has.
        var covering = new RankFeatures(0.9, 1, 0, 1, 1, Math.Log(300), 1, 0, 1, 0.2, Math.Log(4), false);
        var partial = covering with { Coverage = 0.4, Sentence = 0.2, TwoSentences = 0.3, NounCoverage = 0.4, MatchedShare = 0.5, LogSpans = Math.Log(2) };
        Span<double> scores = stackalloc double[2];
        PassageRanker.ScoreAll([partial, covering], scores, RankerTrees.Default);
        Assert.True(scores[1] > scores[0], $"{scores[1]} <= {scores[0]}");
        PassageRanker.ScoreAll([covering, partial], scores, RankerTrees.Default);
        Assert.True(scores[0] > scores[1], $"{scores[0]} <= {scores[1]}");
        Assert.All(scores.ToArray(), s => Assert.InRange(s, 0, 1));
    }
}
