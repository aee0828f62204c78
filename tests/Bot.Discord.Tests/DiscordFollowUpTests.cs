using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Conversations;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests;

/// <summary>
/// Follow-up questions on Discord without a mention, end to end: a reply to the bot's answer, through the fake gateway
/// and REST, the real Core (engine, planner, executor) and the real SQLite context store.
/// </summary>
public sealed class DiscordFollowUpTests : IDisposable
{
    private const string First = "딥시크 V3 훈련 비용은 얼마야?";
    private const string FollowUp = "그럼 R1은?";
    private static readonly string Self = FakeDiscordServer.BotUserId;

    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-discord-followups");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<DiscordTestHost> StartAsync(string ttl = "01:00:00") =>
        DiscordTestHost.StartReadyAsync(c => c["Conversation:ContextTtl"] = ttl, storagePath: Path.Combine(_tmp.Path, "bot.db"));

    private static Task Settle() => Task.Delay(300);

    /// <summary>A reply (type 19) to <paramref name="repliedTo"/>, written by <paramref name="repliedToAuthor"/>; by default without pinging anyone.</summary>
    private static Dictionary<string, object?> Reply(string content, string repliedTo, string? repliedToAuthor = null, bool mentionBot = false,
        string? id = null, string? authorId = null, bool authorBot = false)
    {
        var d = Events.Guild(content, id, mentionBot: mentionBot, type: 19, authorId: authorId, authorBot: authorBot);
        d["message_reference"] = new { type = 0, message_id = repliedTo, channel_id = Events.ChannelId, guild_id = Events.GuildId };
        d["referenced_message"] = new Dictionary<string, object?>
        {
            ["id"] = repliedTo,
            ["channel_id"] = Events.ChannelId,
            ["author"] = new { id = repliedToAuthor ?? Self, username = "kbot", bot = (repliedToAuthor ?? Self) == Self },
            ["content"] = "",
            ["type"] = 19,
        };
        return d;
    }

    private static string AllText(JsonNode body) =>
        (body["content"]?.GetValue<string>() ?? "") + "\n" + string.Join("\n", (body["embeds"]?.AsArray() ?? []).Select(e =>
            (e!["title"]?.GetValue<string>() ?? "") + "\n" + (e["description"]?.GetValue<string>() ?? "") + "\n" +
            string.Join("\n", (e["fields"]?.AsArray() ?? []).Select(f => f!["name"]!.GetValue<string>() + "\n" + f["value"]!.GetValue<string>()))));

    /// <summary>The first question, a mention; returns the id of the bot's answer message.</summary>
    private static async Task<string> AskFirstAsync(DiscordTestHost host)
    {
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> {First}"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "the first answer");
        var answerId = host.Fake.CreatedMessages.Single().MessageId;
        await RememberedAsync(host, answerId);
        return answerId;
    }

    /// <summary>Waits until the context is kept under the bot's answer message (recorded once Discord returned its id).</summary>
    private static Task RememberedAsync(DiscordTestHost host, string answerId)
    {
        var store = host.Services.GetRequiredService<IConversationStore>();
        return FakeDiscordServer.WaitUntilAsync(
            () => store.Last(new ThreadKey("discord", Events.ChannelId, answerId), DateTimeOffset.MinValue) is not null, "the context under the answer");
    }

    private static (string ChannelId, string MessageId, JsonNode Body) Created(DiscordTestHost host, int index) => host.Fake.CreatedMessages.ElementAt(index);

    [Fact]
    public async Task ReplyToTheAnswer_WithoutMention_AnsweredWithTheEarlierQuestionsTopic_AndAReplyToThatContinues()
    {
        await using var host = await StartAsync();
        var answerId = await AskFirstAsync(host);

        var followUp = Reply(FollowUp, answerId);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", followUp);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 2, "the follow-up's answer");

        // what the real Core retrieves for the follow-up read with the earlier question's topic, and for it alone
        var resolved = new FollowUpResolver(TestCore.Engine.Planner).Resolve(First, FollowUp);
        var expected = await TestCore.Handler.AskAsync(resolved.Query, new QueryContext("test", ""), 3, CancellationToken.None);
        var alone = await TestCore.Handler.AskAsync(FollowUp, new QueryContext("test", ""), 3, CancellationToken.None);
        Assert.Equal(AnswerStatus.Answered, expected.Status);
        Assert.NotEqual(alone.Best?.Snippet.Text, expected.Best!.Snippet.Text);

        var (channel, secondId, body) = Created(host, 1);
        await RememberedAsync(host, secondId);
        Assert.Equal(Events.ChannelId, channel);
        Assert.Equal((string)followUp["id"]!, body["message_reference"]!["message_id"]!.GetValue<string>());
        Assert.Contains(First, body["content"]!.GetValue<string>(), StringComparison.Ordinal); // says which question it followed
        Assert.Contains(DiscordMarkdown.Escape(expected.Best.Title), AllText(body), StringComparison.Ordinal);
        Assert.Equal("ask:" + resolved.Query, host.Questions.CallTexts.Last());

        // a reply to the follow-up's answer continues the chain: read in the context of "그럼 R1은?"
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply("그럼 V3는?", secondId));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 3, "the second follow-up's answer");
        var third = AllText(Created(host, 2).Body);
        Assert.True(third.Contains(FollowUp, StringComparison.Ordinal), host.Questions.CallTexts.Last() + "\n" + third);
        Assert.Contains("비용", host.Questions.CallTexts.Last(), StringComparison.Ordinal); // the first question's topic, carried twice
    }

    [Fact]
    public async Task RepliesToPeopleOrToBotMessagesWithoutContext_AndPlainMessages_Ignored_AndNeverClaimed()
    {
        await using var host = await StartAsync();
        await AskFirstAsync(host);

        var toPerson = Reply(FollowUp, Events.NewId(), repliedToAuthor: Events.UserId);
        var toOldBotMessage = Reply(FollowUp, Events.NewId());
        var plain = Events.Guild(FollowUp, mentionBot: false);
        foreach (var message in new[] { toPerson, toOldBotMessage, plain })
        {
            await host.Fake.DispatchAsync("MESSAGE_CREATE", message);
        }

        await Settle();
        Assert.Single(host.Fake.CreatedMessages);
        Assert.Single(host.Questions.CallTexts);

        // none of them was claimed: the same message id, now a mention, is still answered
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> 딥시크 본사는 어디야?", id: (string)toOldBotMessage["id"]!));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 2, "the mention's answer");
    }

    [Fact]
    public async Task ContextGoneAfterTheTtl_ReplyIgnored()
    {
        await using var host = await StartAsync(ttl: "00:01:00");
        var answerId = await AskFirstAsync(host);
        host.Time.Advance(TimeSpan.FromSeconds(61));

        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply(FollowUp, answerId));
        await Settle();
        Assert.Single(host.Fake.CreatedMessages);

        // a reply that pings the bot is still a question, but one of its own now: no earlier topic, no note
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply(FollowUp, answerId, mentionBot: true));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 2, "the pinged reply's answer");
        Assert.Equal("ask:" + FollowUp, host.Questions.CallTexts.Last());
        Assert.DoesNotContain(First, AllText(Created(host, 1).Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplyThatAlsoMentionsTheBot_AnsweredOnce_InContext()
    {
        await using var host = await StartAsync();
        var answerId = await AskFirstAsync(host);

        var reply = Reply($"<@{Self}> {FollowUp}", answerId, mentionBot: true);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", reply);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", reply); // a replayed dispatch too
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 2, "one answer");
        await Settle();
        Assert.Equal(2, host.Fake.CreatedMessages.Count);
        Assert.Contains("딥시크", host.Questions.CallTexts.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BotsOwnAndOtherBotsReplies_Ignored()
    {
        await using var host = await StartAsync();
        var answerId = await AskFirstAsync(host);

        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply(FollowUp, answerId, authorId: Self, authorBot: true));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply(FollowUp, answerId, authorId: "539000000000000777", authorBot: true));
        await Settle();
        Assert.Single(host.Fake.CreatedMessages);

        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply(FollowUp, answerId));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 2, "a person's follow-up");
    }

    [Fact]
    public async Task WithoutMessageContent_AnUnpingedReplyArrivesEmpty_AndIsIgnored()
    {
        await using var host = await StartAsync();
        var answerId = await AskFirstAsync(host);

        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply("", answerId)); // what Discord sends without the intent
        await Settle();
        Assert.Single(host.Fake.CreatedMessages);
        Assert.Single(host.Questions.CallTexts);
    }

    [Fact]
    public async Task DirectMessages_OnePrivateConversation_NeverContextInAGuild()
    {
        await using var host = await StartAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Dm(First));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "the DM's answer");
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Dm(FollowUp));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 2, "the DM follow-up's answer");
        Assert.Contains("딥시크", host.Questions.CallTexts.Last(), StringComparison.Ordinal);
        Assert.Contains(First, Created(host, 1).Body["content"]!.GetValue<string>(), StringComparison.Ordinal);

        // a reply in a guild to a message id of the DM's answer finds no context (DM context lives under the DM only)
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Reply(FollowUp, Created(host, 1).MessageId));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> {FollowUp}"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 3, "the guild mention's answer");
        await Settle();
        Assert.Equal(3, host.Fake.CreatedMessages.Count);
        Assert.Equal("ask:" + FollowUp, host.Questions.CallTexts.Last());
        Assert.DoesNotContain(First, AllText(Created(host, 2).Body), StringComparison.Ordinal);
    }
}
