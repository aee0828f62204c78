using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Xunit.Abstractions;

namespace Bot.Discord.Tests;

/// <summary>Checklist items 11-16 end to end: fake gateway in, real Core handler, fake REST out.</summary>
public sealed class DiscordMessageHandlerTests(ITestOutputHelper output)
{
    private static readonly string Self = FakeDiscordServer.BotUserId;

    private static Task Settle() => Task.Delay(200);

    private static string AllText(JsonNode body) =>
        (body["content"]?.GetValue<string>() ?? "") + "\n" + string.Join("\n", (body["embeds"]?.AsArray() ?? []).Select(e =>
            (e!["title"]?.GetValue<string>() ?? "") + "\n" + (e["description"]?.GetValue<string>() ?? "") + "\n" +
            string.Join("\n", (e["fields"]?.AsArray() ?? []).Select(f => f!["name"]!.GetValue<string>() + "\n" + f["value"]!.GetValue<string>()))));

    [Fact]
    public async Task Start_WarmsTheAnswerPathOnce_WithoutPostingAnything()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await FakeDiscordServer.WaitUntilAsync(() => !host.Questions.WarmUps.IsEmpty, "warm-up question");
        await Settle();
        Assert.Single(host.Questions.WarmUps);
        Assert.Empty(host.Questions.CallTexts); // not a user's question
        Assert.Empty(host.Fake.CreatedMessages);
        Assert.Empty(host.Fake.RequestsTo("POST", $"/channels/{Events.ChannelId}/typing"));
    }

    [Fact] // 11
    public async Task GuildMention_OneReplyReferencingTheQuestion_NoPings_AfterTyping()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var question = Events.Guild($"<@{Self}> 딥시크는 어느 나라 기업이야?");
        await host.Fake.DispatchAsync("MESSAGE_CREATE", question);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        await Settle();

        var (channel, _, body) = Assert.Single(host.Fake.CreatedMessages);
        output.WriteLine(body.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal(Events.ChannelId, channel);
        Assert.Equal((string)question["id"]!, body["message_reference"]!["message_id"]!.GetValue<string>());
        Assert.Equal(Events.ChannelId, body["message_reference"]!["channel_id"]!.GetValue<string>());
        Assert.False(body["message_reference"]!["fail_if_not_exists"]!.GetValue<bool>());
        Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.False(body["allowed_mentions"]!["replied_user"]!.GetValue<bool>());

        var typing = Assert.Single(host.Fake.RequestsTo("POST", $"/channels/{Events.ChannelId}/typing"));
        var post = Assert.Single(host.Fake.RequestsTo("POST", $"/channels/{Events.ChannelId}/messages"));
        Assert.True(typing.RealTimestamp < post.RealTimestamp);

        // A Korean question gets Korean words around a quoted passage with bold highlights and a citation line.
        var text = AllText(body);
        Assert.Contains("> ", text, StringComparison.Ordinal);
        Assert.Matches(@"\*\*[^*]+\*\*", text);
        Assert.Contains("출처", text, StringComparison.Ordinal);
        Assert.Contains("번째 단락", text, StringComparison.Ordinal);
        Assert.Equal(["ask:딥시크는 어느 나라 기업이야?"], host.Questions.CallTexts);
    }

    [Fact] // 11, language follows the user
    public async Task EnglishQuestion_EnglishWords()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> What is DeepSeek?"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        var text = AllText(host.Fake.CreatedMessages.Single().Body);
        output.WriteLine(text);
        Assert.DoesNotContain("번째 단락", text, StringComparison.Ordinal);
        Assert.True(text.Contains("passage", StringComparison.Ordinal) || text.Contains("articles", StringComparison.Ordinal), text);
    }

    [Fact] // 12
    public async Task DirectMessage_RepliedInDmChannel_WithoutMention()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Dm("딥시크 모델은 오픈소스야?"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        var (channel, _, body) = host.Fake.CreatedMessages.Single();
        Assert.Equal(Events.DmChannelId, channel);
        Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
    }

    public static TheoryData<string> Ignored => new()
    {
        "bot-author", "webhook", "self", "type-7-join", "type-20-command", "guild-no-mention",
    };

    [Theory] // 13
    [MemberData(nameof(Ignored))]
    public async Task NotForUs_Ignored(string kind)
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var content = $"<@{Self}> 딥시크";
        var message = kind switch
        {
            "bot-author" => Events.Guild(content, authorBot: true),
            "webhook" => Events.Guild(content, webhookId: "1500000000000000001"),
            "self" => Events.Guild(content, authorId: Self),
            "type-7-join" => Events.Guild(content, type: 7),
            "type-20-command" => Events.Guild(content, type: 20),
            _ => Events.Guild("딥시크 얘기 좀 해 보자", mentionBot: false),
        };
        await host.Fake.DispatchAsync("MESSAGE_CREATE", message);

        // A following real question is answered, proving the ignored one was processed (and dropped) first.
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> 딥시크 본사"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply to the real one");
        await Settle();
        Assert.Single(host.Fake.CreatedMessages);
        Assert.Single(host.Questions.CallTexts);
        Assert.Single(host.Fake.RequestsTo("POST", $"/channels/{Events.ChannelId}/typing"));
    }

    [Fact] // 13 (type 19 replies are answered)
    public async Task ReplyTypeMessage_Answered()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> 딥시크", type: 19));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
    }

    [Theory] // 13
    [InlineData("<@{0}> 딥시크 본사는 어디야?")]
    [InlineData("<@!{0}> 딥시크 본사는 어디야?")]
    [InlineData("딥시크 <@{0}> 본사는 어디야? <@!{0}>")]
    public async Task SelfMentions_BothForms_StrippedBeforeQuery(string template)
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var content = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Self);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(content, mentionBot: false));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        var call = Assert.Single(host.Questions.CallTexts);
        Assert.DoesNotContain("<@", call, StringComparison.Ordinal);
        Assert.Contains("딥시크", call, StringComparison.Ordinal);
        Assert.Contains("본사는 어디야?", call, StringComparison.Ordinal);
    }

    [Fact] // 13, polite reply to an empty question
    public async Task MentionWithoutQuestion_PoliteHelpReply_NoRetrieval()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}>   "));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        var body = host.Fake.CreatedMessages.Single().Body;
        Assert.Contains("질문이 비어 있습니다", AllText(body), StringComparison.Ordinal);
        Assert.Empty(host.Questions.CallTexts);
        Assert.NotNull(body["message_reference"]);
    }

    [Fact] // 14
    public async Task EmptyGuildContent_WarnsOnce_NoCrash_ConnectionKeepsWorking()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(""));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild("", mentionBot: false));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild(""));
        var noContent = Events.Guild("");
        noContent.Remove("content");
        await host.Fake.DispatchAsync("MESSAGE_CREATE", noContent);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> 딥시크"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply to the readable one");
        await Settle();
        Assert.Single(host.Fake.CreatedMessages);
        var warning = Assert.Single(host.Logs.WithEvent(1200));
        Assert.Contains("Message Content intent", warning.Message, StringComparison.Ordinal);
        Assert.Single(host.Fake.Connections);
    }

    [Fact] // 14: an un-pinged guild message with empty content (no intent) also triggers the one warning
    public async Task EmptyUnaddressedGuildContent_WarnsOnce()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild("", mentionBot: false));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild("", mentionBot: false));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Dm("딥시크"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "DM reply");
        await Settle();
        Assert.Single(host.Logs.WithEvent(1200));
        Assert.Single(host.Fake.CreatedMessages);
    }

    [Fact] // 16 (end to end): a hostile question cannot ping and is rendered literally
    public async Task HostileQuestion_DeclineQuotesItLiterally_NoPing()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> @everyone <@&123> `코드` **굵게** 화성 이주 계획은?"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        var body = host.Fake.CreatedMessages.Single().Body;
        var text = AllText(body);
        output.WriteLine(text);
        Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.DoesNotContain("@everyone", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@&123>", text.Replace("\\<", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact] // a failing retriever gets a polite error reply, not silence or a stack trace
    public async Task HandlerThrows_PoliteErrorReply()
    {
        await using var host = await DiscordTestHost.CreateAsync(inner: new ThrowingHandler());
        await host.StartAsync();
        await host.WaitReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> 딥시크"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        var text = AllText(host.Fake.CreatedMessages.Single().Body);
        Assert.Contains("죄송합니다", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact] // 11: the same MESSAGE_CREATE delivered twice is answered once
    public async Task DuplicateMessageId_AnsweredOnce()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var m = Events.Guild($"<@{Self}> 딥시크");
        await host.Fake.DispatchAsync("MESSAGE_CREATE", m);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", m);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
        await Settle();
        Assert.Single(host.Fake.CreatedMessages);
    }

    [Fact] // 19: a reply without READ_MESSAGE_HISTORY falls back once to a plain message; no retry storm
    public async Task ReplyRefused50013_OnePlainMessageFallback_ThenStops()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        host.Fake.Script(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal) && r.Json!["message_reference"] is not null,
            FakeResponse.Error(403, 50013, "Missing Permissions"), once: false);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> 딥시크"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "plain reply");
        Assert.Null(host.Fake.CreatedMessages.Single().Body["message_reference"]);

        host.Fake.Script(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal), FakeResponse.Error(403, 50013, "Missing Permissions"), once: false);
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{Self}> 딥시크 비용"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.RequestsTo("POST", $"/channels/{Events.ChannelId}/messages").Count() == 4, "two attempts for the second");
        // Only once the bot has read the second refusal: moving the clock while a request is still open would time it
        // out (the REST timeout runs on this clock) and make a retry the test does not mean.
        await FakeDiscordServer.WaitUntilAsync(() => host.Service.InFlight == 0, "second question handled");
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await Settle();
        Assert.Equal(4, host.Fake.RequestsTo("POST", $"/channels/{Events.ChannelId}/messages").Count());
        Assert.Single(host.Fake.Connections);
    }

    private sealed class ThrowingHandler : Bot.Core.Commands.IQuestionHandler
    {
        public Task<Bot.Core.Answers.Answer> AskAsync(string question, Bot.Core.Chat.QueryContext context, int top, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("index is broken");

        public Task<Bot.Core.Answers.Answer> SearchAsync(string query, Bot.Core.Chat.QueryContext context, int top, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("index is broken");

        public Task<Bot.Core.Commands.SourceResult> SourceAsync(string document, Bot.Core.Chat.QueryContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("index is broken");

        public IReadOnlyList<Bot.Core.Commands.ArticleInfo> SuggestArticles(string prefix, int max) => [];
    }
}
