using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Core.Tests.Storage;

namespace Bot.Core.Tests.ChatKit;

/// <summary>
/// The chat kit's follow-up context (<see cref="ChatConversations"/>) and "More sources" click (<see cref="MoreSources.ClickAsync"/>)
/// through the real question handler, a real index over the seeds and a real SQLite context store.
/// </summary>
public sealed class ChatKitThreadsAndClicksTests : StorageTestBase, IClassFixture<EngineFixture>
{
    private const string Question = "딥시크 V3 훈련 비용은 얼마야?";
    private static readonly ThreadKey Thread = new("slack", "C0123", "1700000000.000100");
    private static readonly QueryContext Public = new("slack", "C0123", InChannel: true);
    private readonly EngineFixture _fixture;

    public ChatKitThreadsAndClicksTests(EngineFixture fixture) => _fixture = fixture;

    private ConversationStore NewStore()
    {
        var db = NewDatabase();
        db.Initialize();
        return new ConversationStore(db, new FeedbackStore(db, Time));
    }

    private ChatConversations NewConversations(ConversationStore store) =>
        new(_fixture.Handler, new ConversationService(_fixture.Handler, new FollowUpResolver(_fixture.Engine.Planner), store,
            new ConversationOptions { ContextTtl = TimeSpan.FromHours(1) }, Time));

    [Fact]
    public async Task AskAsync_InAThread_FollowsOn_WithoutAThread_StandsAlone()
    {
        var conversations = NewConversations(NewStore());
        Assert.True(conversations.Enabled);
        Assert.False(conversations.HasPublicContext(Thread));

        await conversations.AskAsync(Question, Thread, Public, 3, default);
        Assert.True(conversations.HasPublicContext(Thread));
        var follow = await conversations.AskAsync("그럼 R1은?", Thread, Public, 3, default);
        Assert.NotNull(follow.FollowUp);

        var alone = await conversations.AskAsync("그럼 R1은?", thread: null, Public, 3, default);
        Assert.Null(alone.FollowUp);
        Assert.Equal("그럼 R1은?", alone.Question);
    }

    [Fact]
    public async Task RememberPublic_KeepsAnswersAsContext_NotEmptyQuestions_NothingWithoutAStore()
    {
        var conversations = NewConversations(NewStore());
        var reply = Thread with { ThreadId = "reply-1" };
        var empty = await _fixture.Handler.AskAsync("   ", Public, 3, default);
        conversations.RememberPublic(reply, empty);
        Assert.False(conversations.HasPublicContext(reply));

        var answer = await _fixture.Handler.AskAsync(Question, Public, 3, default);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        conversations.RememberPublic(reply, answer);
        Assert.True(conversations.HasPublicContext(reply));
        Time.Advance(TimeSpan.FromHours(2));
        Assert.False(conversations.HasPublicContext(reply)); // past the TTL

        var none = new ChatConversations(_fixture.Handler);
        Assert.False(none.Enabled);
        none.RememberPublic(reply, answer);
        Assert.False(none.HasPublicContext(reply));
        Assert.Null((await none.AskAsync("그럼 R1은?", Thread, Public, 3, default)).FollowUp);
    }

    [Fact]
    public async Task MoreSourcesClick_PagesOn_OrRefusesInTheButtonsLanguage()
    {
        var more = new MoreSources(_fixture.Handler, Time, Microsoft.Extensions.Options.Options.Create(new ConversationOptions { ContextTtl = TimeSpan.FromHours(1) }), NewStore());
        var answer = await _fixture.Handler.AskAsync(Question, Public, 5, default);
        var id = more.Offer("slack", answer, 3, isPrivate: false);
        Assert.NotNull(id);

        var click = await more.ClickAsync("slack", MoreSources.CustomId(id!, 1), 2, Language.Korean, default);
        Assert.Null(click.Refusal);
        Assert.Equal(id, click.AnswerId);
        Assert.Equal(1, click.Page!.Page);
        Assert.Equal(answer.Best!.DocId, click.Page.Answer.Citations[0].DocId); // the best passage stays on top

        var forged = await more.ClickAsync("slack", "more:not-an-id:1", 2, Language.English, default);
        Assert.Equal((null, null, UiText.English.ButtonExpired), (forged.AnswerId, forged.Page, forged.Refusal));
        var otherPlatform = await more.ClickAsync("discord", MoreSources.CustomId(id!, 1), 2, Language.Korean, default);
        Assert.Equal(UiText.Korean.ButtonExpired, otherPlatform.Refusal);

        Time.Advance(TimeSpan.FromHours(2));
        var expired = await more.ClickAsync("slack", MoreSources.CustomId(id!, 1), 2, Language.Korean, default);
        Assert.Null(expired.Page);
        Assert.Equal(UiText.Korean.ButtonExpired, expired.Refusal);
    }
}
