using Bot.Core.Answers;
using Bot.Core.Search;

namespace Bot.Core.Tests.Answers;

public class AbstentionPolicyTests
{
    private static readonly RetrievalOptions Options = new();

    private static RetrievalResult With(AbstentionSignals signals)
    {
        var hit = new RetrievedPassage("d#1", "d", "t", 1, "1-2", "text", 1, 1, signals.Coverage, [], [], new Snippet("text", [], false, false));
        var plan = new QueryPlan([], [], QuestionCue.None);
        return new RetrievalResult(RetrievalStatus.Found, plan, [hit], new Evidence(signals.Coverage, [], [], []) { Signals = signals });
    }

    private static readonly AbstentionSignals Good = new(0.8, 0, false, false);

    [Fact]
    public void Decide_WellCoveredNothingMissing_Answers() =>
        Assert.Equal(new AnswerDecision(true, DeclineCause.None), AbstentionPolicy.Decide(With(Good), Options));

    [Fact]
    public void Decide_MissingNameOrTopic_Vetoes_UnlessTheLeverIsOff()
    {
        Assert.Equal(DeclineCause.MissingName, AbstentionPolicy.Decide(With(Good with { MissingName = true }), Options).Cause);
        Assert.Equal(DeclineCause.MissingTopic, AbstentionPolicy.Decide(With(Good with { MissingTopic = true }), Options).Cause);
        Assert.True(AbstentionPolicy.Decide(With(Good with { MissingTopic = true }), Options, new EvalLevers { Disable = "topic" }).Answer);
        Assert.True(AbstentionPolicy.Decide(With(Good with { MissingName = true }), Options, new EvalLevers { Disable = "names" }).Answer);
    }

    [Theory]
    [InlineData(0.8, 0.79, true)]
    [InlineData(0.8, 0.8, false)]
    [InlineData(0.36, 0.0, true)]
    [InlineData(0.34, 0.0, false)]
    public void Decide_Thresholds(double coverage, double missingShare, bool answers) =>
        Assert.Equal(answers, AbstentionPolicy.Decide(With(Good with { Coverage = coverage, MissingShare = missingShare }), Options).Answer);

    [Fact]
    public void Decide_NothingFound_Declines()
    {
        var empty = new RetrievalResult(RetrievalStatus.NotFound, new QueryPlan([], [], QuestionCue.None), [], new Evidence(0, [], [], []));
        Assert.Equal(new AnswerDecision(false, DeclineCause.NothingFound), AbstentionPolicy.Decide(empty, Options));
    }
}
