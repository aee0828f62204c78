using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Core.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Conversations;

/// <summary>Thread context through the real question handler and a real SQLite file, with a fake clock for the TTL.</summary>
public sealed class ConversationServiceTests : StorageTestBase, IClassFixture<EngineFixture>
{
    private static readonly ThreadKey Thread = new("slack", "C0123", "1700000000.000100");
    private static readonly QueryContext Public = new("slack", "C0123", InChannel: true);
    private readonly EngineFixture _fixture;

    public ConversationServiceTests(EngineFixture fixture)
    {
        _fixture = fixture;
    }

    private ConversationService NewService(TimeSpan? ttl = null)
    {
        var db = NewDatabase();
        db.Initialize();
        var store = new ConversationStore(db, new FeedbackStore(db, Time));
        return new ConversationService(_fixture.Handler, new FollowUpResolver(_fixture.Engine.Planner), store,
            new ConversationOptions { ContextTtl = ttl ?? TimeSpan.FromHours(24) }, Time);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("400.00:00:00")]
    public void Options_ContextTtlOutOfRange_OneLineNamingTheSetting(string ttl)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Conversation:ContextTtl"] = ttl }).Build();
        using var sp = new ServiceCollection().AddLogging().AddBotCore(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<ConversationOptions>>().Value);
        Assert.Equal("Conversation:ContextTtl must be between 1 second and 365 days.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void Options_ContextTtlBound()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Conversation:ContextTtl"] = "00:10:00" }).Build();
        using var sp = new ServiceCollection().AddLogging().AddBotCore(config).BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(10), sp.GetRequiredService<IOptions<ConversationOptions>>().Value.ContextTtl);
    }

    [Fact]
    public async Task AskAsync_EllipticalFollowUp_TakesTheEarlierQuestionsTopic_AndSaysWhichQuestion()
    {
        var service = NewService();
        var first = await service.AskAsync("딥시크 V3 훈련 비용은 얼마야?", Thread, Public, 3, default);
        Assert.Null(first.FollowUp);

        Time.Advance(TimeSpan.FromMinutes(5));
        var follow = await service.AskAsync("그럼 R1은?", Thread, Public, 3, default);

        var context = Assert.IsType<FollowUpContext>(follow.FollowUp);
        Assert.Equal("딥시크 V3 훈련 비용은 얼마야?", context.EarlierQuestion);
        Assert.Equal("그럼 R1은?", context.Asked);
        Assert.Contains("훈련", context.CarriedWords);
        Assert.Equal(context.SearchedAs, follow.Question);
        Assert.Equal("앞선 질문 “딥시크 V3 훈련 비용은 얼마야?”에 이어서 답합니다.", context.Note(follow.Language));
        Assert.Equal(AnswerStatus.Answered, follow.Status);
    }

    [Fact]
    public async Task AskAsync_CompleteFollowUp_StandsAlone_OtherThreadHasNoContext()
    {
        var service = NewService();
        await service.AskAsync("딥시크 V3 훈련 비용은 얼마야?", Thread, Public, 3, default);

        var complete = await service.AskAsync("엔비디아 주가는 하루에 얼마나 떨어졌어?", Thread, Public, 3, default);
        var elsewhere = await service.AskAsync("그럼 R1은?", Thread with { ThreadId = "1700000000.000999" }, Public, 3, default);

        Assert.Null(complete.FollowUp);
        Assert.Null(elsewhere.FollowUp);
        Assert.Equal("그럼 R1은?", elsewhere.Question);
    }

    [Fact]
    public async Task AskAsync_AfterTheTtl_ContextGone_AndTheRowDeleted()
    {
        var service = NewService(TimeSpan.FromHours(24));
        await service.AskAsync("딥시크 V3 훈련 비용은 얼마야?", Thread, Public, 3, default);
        Time.Advance(TimeSpan.FromHours(23));
        Assert.True(service.HasContext(Thread, isPrivate: false));

        Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.False(service.HasContext(Thread, isPrivate: false));
        var late = await service.AskAsync("그럼 R1은?", Thread with { ThreadId = "other" }, Public, 3, default);

        Assert.Null(late.FollowUp);
        Assert.Equal(1L, Rows()); // the expired row went when the other thread's turn was written
    }

    [Fact]
    public async Task AskAsync_ContextSurvivesARestart()
    {
        await NewService().AskAsync("딥시크 V3 훈련 비용은 얼마야?", Thread, Public, 3, default);
        SqliteConnection.ClearAllPools();

        var follow = await NewService().AskAsync("그럼 R1은?", Thread, Public, 3, default);
        Assert.NotNull(follow.FollowUp);
    }

    [Fact]
    public async Task AskAsync_PrivateTurn_NeverContextForAPublicFollowUp_ButForAPrivateOne()
    {
        var service = NewService();
        var dm = new QueryContext("slack", "D0999", InChannel: false);
        var dmThread = new ThreadKey("slack", "D0999", "1700000000.000100");
        await service.AskAsync("딥시크 V3 훈련 비용은 얼마야?", dmThread, dm, 3, default);

        Assert.Null((await service.AskAsync("그럼 R1은?", dmThread, Public, 3, default)).FollowUp);
        await service.AskAsync("딥시크 V3 훈련 비용은 얼마야?", dmThread, dm, 3, default);
        Assert.NotNull((await service.AskAsync("그럼 R1은?", dmThread, dm, 3, default)).FollowUp);
    }

    [Fact]
    public async Task Remember_UnderAnotherKey_ReplyThereContinuesTheChain()
    {
        var service = NewService();
        var first = await service.AskAsync("딥시크 V3 훈련 비용은 얼마야?", Thread, Public, 3, default);
        var follow = await service.AskAsync("그럼 R1은?", Thread, Public, 3, default);
        var botReply = Thread with { ThreadId = "bot-message-42" };
        service.Remember(botReply, follow, isPrivate: false);

        var next = await service.AskAsync("몇 배?", botReply, Public, 3, default);

        Assert.Equal("그럼 R1은?", next.FollowUp!.EarlierQuestion);
        Assert.Contains("훈련", next.FollowUp.CarriedWords); // carried on from the first question through the second
        Assert.Null(first.FollowUp);
    }

    [Fact]
    public async Task Store_KeepsNoChannelOrThreadId()
    {
        var service = NewService();
        await service.AskAsync("딥시크 V3 훈련 비용은 얼마야?", new ThreadKey("slack", "D0999SECRET", "1700000000.000100"), new QueryContext("slack", "D0999SECRET"), 3, default);

        using var c = new SqliteConnection($"Data Source={DbPath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM conversation_context;";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        for (var i = 0; i < r.FieldCount; i++)
        {
            var value = Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            Assert.DoesNotContain("D0999SECRET", value, StringComparison.Ordinal);
            Assert.DoesNotContain("1700000000", value, StringComparison.Ordinal);
        }
    }

    private long Rows()
    {
        using var c = new SqliteConnection($"Data Source={DbPath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM conversation_context;";
        return (long)cmd.ExecuteScalar()!;
    }
}
