using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.Core.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.ChatKit;

public sealed class SnippetSegmentsTests
{
    [Fact]
    public void Of_RangesMergedTrimmedAndSplitAtLines_ConcatenationIsTheText()
    {
        const string text = "첫 줄 딥시크\n둘째 줄 끝";
        // " 줄 " (whitespace edges go back to plain), "크\n둘째 줄" (split at the line break, inner space kept), overlapping "째 줄"
        var segments = SnippetSegments.Of(new Snippet(text, [new(1, 3), new(6, 6), new(9, 3)], false, false));

        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(["줄", "크", "둘째 줄"], segments.Where(s => s.Highlighted).Select(s => s.Text));
        Assert.All(segments.Where(s => s.Highlighted), s => Assert.DoesNotContain('\n', s.Text));
    }

    [Fact]
    public void Of_TouchingRangesMerge_OutOfRangeClamped_SurrogatePairsWhole()
    {
        const string text = "ab c😀 d";
        var segments = SnippetSegments.Of(new Snippet(text, [new(0, 1), new(1, 1), new(4, 1), new(7, 99), new(-4, 2)], false, false));

        Assert.Equal(text, string.Concat(segments.Select(s => s.Text)));
        Assert.Equal(["ab", "😀", "d"], segments.Where(s => s.Highlighted).Select(s => s.Text)); // a range on the high surrogate takes the pair whole
        Assert.Empty(SnippetSegments.Of(new Snippet("", [new(0, 3)], false, false)));
    }
}

public sealed class FeedbackVotesTests : StorageTestBase
{
    private static Answer Make(AnswerStatus status, bool withCitation) => new("q", Language.Korean, status,
        withCitation ? [new Citation("d", "t", 1, 1, new Snippet("x", [], false, false), [])] : [], null);

    [Fact]
    public void Rates_AnswersWithCitationsAndNotFound_NeverInputProblemsOrWithoutStore()
    {
        Assert.True(FeedbackVotes.IsRateable(Make(AnswerStatus.Answered, true)));
        Assert.False(FeedbackVotes.IsRateable(Make(AnswerStatus.Answered, false)));
        Assert.True(FeedbackVotes.IsRateable(Make(AnswerStatus.NotFound, false)));
        Assert.False(FeedbackVotes.IsRateable(Make(AnswerStatus.Empty, false)));

        var off = new FeedbackVotes(null, NullLogger.Instance);
        Assert.False(off.Rates(Make(AnswerStatus.Answered, true)));
        Assert.Null(off.MintAnswerId());
    }

    [Fact]
    public void Record_ThanksThenChangedThenPoliteErrorWithoutStore()
    {
        var votes = new FeedbackVotes(new FeedbackStore(NewDatabase(), Time), NullLogger.Instance);
        var id = votes.MintAnswerId()!;

        Assert.Equal(UiText.Korean.FeedbackThanks, votes.Record("slack", id, "U1", up: true, Language.Korean));
        Assert.Equal(UiText.English.FeedbackChanged, votes.Record("slack", id, "U1", up: false, Language.English));
        Assert.Equal(UiText.English.ErrorGeneric, new FeedbackVotes(null, NullLogger.Instance).Record("slack", id, "U1", true, Language.English));
    }
}

public sealed class ChannelPacerTests
{
    [Fact]
    public async Task Turn_NextAsync_WaitsTheGapButKeepsTheChannel_OtherChannelsFree()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var pacer = new ChannelPacer(time, TimeSpan.FromSeconds(1));
        var a = new ChannelRef("slack", "C1");
        var turn = await pacer.WaitTurnAsync(a, CancellationToken.None);

        var next = turn.NextAsync(CancellationToken.None);
        var second = pacer.WaitTurnAsync(a, CancellationToken.None);
        Assert.False(next.IsCompleted);
        Assert.True((await pacer.WaitTurnAsync(new ChannelRef("slack", "C2"), CancellationToken.None)) is not null);

        time.Advance(TimeSpan.FromSeconds(1));
        await next;
        Assert.False(second.IsCompleted); // the turn is still held between parts
        turn.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        (await second).Dispose();
    }
}
