using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Events;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;

using Bot.TestSupport;

namespace Bot.Slack.Tests.Events;

/// <summary>Event and command handling end to end over Socket Mode (checklist 38-40, 43).</summary>
public sealed class SlackEventDispatcherTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static async Task<(SlackTestHost Host, FakeSlackSocket Socket)> StartAsync(IQuestionHandler? core = null, Action<Dictionary<string, string?>>? configure = null)
    {
        var host = await SlackTestHost.StartAsync(core ?? TestCore.Handler, configure);
        var socket = await host.Fake.WaitForSocketAsync(1);
        return (host, socket);
    }

    // checklist 38
    [Fact]
    public async Task Startup_CallsAuthTestFirst_WithBotToken()
    {
        var (host, _) = await StartAsync();
        await using var _h = host;
        Assert.Equal("auth.test", host.Fake.Calls[0].Method);
        Assert.Equal("Bearer xoxb-test", host.Fake.Calls[0].Authorization);
        Assert.Equal("apps.connections.open", host.Fake.Calls[1].Method);
    }

    // checklist 38
    [Fact]
    public async Task OwnAndBotAndNonUserMessages_Ignored_FileShareAndThreadBroadcastAnswered()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        var ignored = new List<JsonObject>
        {
            With(FakeSlack.DirectMessage("딥시크 질문", user: "U_BOT"), _ => { }),
            With(FakeSlack.DirectMessage("딥시크 질문"), e => e["bot_id"] = "B_BOT"),
            With(FakeSlack.DirectMessage("딥시크 질문", user: "U_OTHERBOT"), e => e["bot_id"] = "B_OTHER"),
            With(FakeSlack.DirectMessage("딥시크 질문"), e => e["subtype"] = "bot_message"),
            With(FakeSlack.DirectMessage("딥시크 질문"), e => e["subtype"] = "message_changed"),
            With(FakeSlack.DirectMessage("딥시크 질문"), e => e["subtype"] = "message_deleted"),
            With(FakeSlack.DirectMessage("딥시크 질문"), e => e["subtype"] = "channel_join"),
            With(FakeSlack.DirectMessage("딥시크 질문"), e => e["hidden"] = true),
            With(FakeSlack.Mention("<@U_BOT> 딥시크", user: "U_BOT"), _ => { }),
            With(FakeSlack.Mention("<@U_BOT> 딥시크"), e => e["bot_profile"] = new JsonObject { ["id"] = "B_OTHER" }),
            With(FakeSlack.DirectMessage("channel message, not a DM"), e => e["channel_type"] = "channel"),
        };
        for (var i = 0; i < ignored.Count; i++)
        {
            await socket.SendAsync(FakeSlack.EventEnvelope("ign" + i, "Ev-ign" + i, ignored[i]));
        }

        await socket.SendAsync(FakeSlack.EventEnvelope("fs", "Ev-fs", With(FakeSlack.DirectMessage("딥시크 파일 질문", ts: "1754000000.000301"), e => e["subtype"] = "file_share")));
        await socket.SendAsync(FakeSlack.EventEnvelope("tb", "Ev-tb", With(FakeSlack.Mention("<@U_BOT> 딥시크 스레드", ts: "1754000000.000302", threadTs: "1754000000.000001"), e => e["subtype"] = "thread_broadcast")));

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == ignored.Count + 2, "all acked");
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "two answers");
        await Task.Delay(200);
        Assert.Equal(2, host.Fake.Posts.Count);
        Assert.Equal(new HashSet<string> { "딥시크 파일 질문", "딥시크 스레드" }, host.Handler.Calls.Select(c => c.Text).ToHashSet());
    }

    [Fact]
    public async Task Start_WarmsTheAnswerPathOnce_WithoutPostingAnything()
    {
        var (host, _) = await StartAsync();
        await using var _h = host;
        await host.Fake.WaitUntilAsync(() => !host.Handler.WarmUps.IsEmpty, "warm-up question");
        await Task.Delay(200);
        Assert.Single(host.Handler.WarmUps);
        Assert.Empty(host.Handler.Calls); // not a user's question
        Assert.Empty(host.Fake.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task SlowPost_DoesNotHoldUpTheNextQuestion_BothAnsweredOnce()
    {
        var (host, socket) = await StartAsync(configure: c => c["Retrieval:MaxConcurrentQuestions"] = "1");
        await using var _h = host;
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Fake.HoldPostMessage = hold;

        await socket.SendAsync(FakeSlack.EventEnvelope("slow", "Ev-slow", FakeSlack.Mention("<@U_BOT> 딥시크 모델은 오픈소스야?", ts: "1754000000.000401")));
        await host.Fake.WaitUntilAsync(() => host.Fake.CallsTo("chat.postMessage").Count() == 1, "the first answer is being posted (and held)");

        // The only retrieval worker must be free again: a slash command is answered while that post is still held.
        await socket.SendAsync(FakeSlack.SlashEnvelope("next", FakeSlack.SlashPayload("/ask", "딥시크의 훈련 비용은?", host.Fake.ResponseUrl("next").ToString())));
        await host.Fake.WaitUntilAsync(() => host.Fake.ResponsePosts.Count == 1, "the second answer, posted while the first is held");
        Assert.Equal(2, host.Handler.Calls.Count);

        hold.SetResult();
        await host.Fake.WaitUntilAsync(() => host.Health.InFlight == 0, "both done");
        Assert.Single(host.Fake.CallsTo("chat.postMessage"));
        Assert.Single(host.Fake.ResponsePosts);
    }

    // checklist 39
    [Fact]
    public async Task Mention_AnsweredInThreadOfTheMessage_TsKeptAsString()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("m1", "Ev-m1", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?", ts: "1754000000.000100", channel: "C9")));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        Assert.Equal("C9", post["channel"]!.GetValue<string>());
        Assert.Equal("1754000000.000100", post["thread_ts"]!.GetValue<string>());
        Assert.Contains("\"thread_ts\":\"1754000000.000100\"", Encoding.UTF8.GetString(host.Fake.CallsTo("chat.postMessage")[0].Body), StringComparison.Ordinal);
        Assert.Equal(new QueryContext("slack", "C9", InChannel: true), host.Handler.Calls.Single().Context);
    }

    // checklist 39
    [Fact]
    public async Task MentionInsideThread_AnsweredInThatThread()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("m2", "Ev-m2", FakeSlack.Mention("<@U_BOT> 딥시크", ts: "1754000050.000900", threadTs: "1754000000.000010")));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        Assert.Equal("1754000000.000010", post["thread_ts"]!.GetValue<string>());
    }

    // checklist 39
    [Fact]
    public async Task DirectMessage_AnsweredInTheDmChannel_WithoutThread()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("d1", "Ev-d1", FakeSlack.DirectMessage("What is DeepSeek?", channel: "D42")));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        Assert.Equal("D42", post["channel"]!.GetValue<string>());
        Assert.Null(post["thread_ts"]);
        Assert.Equal("What is DeepSeek?", host.Handler.Calls.Single().Text);
        Assert.False(host.Handler.Calls.Single().Context.InChannel); // a DM never reaches a digest, its channel is not logged
    }

    // checklist 40
    [Fact]
    public async Task InboundMarkup_MentionsStrippedAndEntitiesUnescaped_BeforeRetrieval()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("e1", "Ev-e1",
            FakeSlack.Mention("<@U_BOT> <@U123|minji> 딥시크 R&amp;D &lt;모델&gt; &amp;lt; <!here>")));
        await host.Fake.WaitUntilAsync(() => host.Handler.Calls.Count == 1, "handler called");
        Assert.Equal("딥시크 R&D <모델> &lt;", host.Handler.Calls.Single().Text);
    }

    // checklist 40, 41
    [Fact]
    public async Task HostileCorpusText_CannotPingAnyone()
    {
        var hostile = new HostileHandler();
        var (host, socket) = await StartAsync(hostile);
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("h1", "Ev-h1", FakeSlack.Mention("<@U_BOT> 딥시크")));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        SlackAssert.ValidMessage(post);
        var json = Encoding.UTF8.GetString(host.Fake.CallsTo("chat.postMessage")[0].Body);
        SlackAssert.NoMentionTokens(json);
        Assert.Contains("&lt;!channel&gt;", json, StringComparison.Ordinal);
        Assert.Contains("&lt;@U123&gt;", json, StringComparison.Ordinal);
        Assert.Contains("R&amp;D", json, StringComparison.Ordinal);
    }

    // checklist 41, 43
    [Fact]
    public async Task KoreanMention_GetsKoreanBlockKitAnswer_ByteExactUtf8_WithinLimits()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("k1", "Ev-k1", FakeSlack.Mention("<@U_BOT> 딥시크 모델은 오픈소스로 공개되었나요?", ts: "1754000000.000500")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "answer");
        var call = host.Fake.CallsTo("chat.postMessage").Single();
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        Assert.Equal("Bearer xoxb-test", call.Authorization);
        var post = call.Json!;
        output.WriteLine(Encoding.UTF8.GetString(call.Body));
        SlackAssert.ValidMessage(post);
        Assert.False(post["unfurl_links"]!.GetValue<bool>());
        Assert.False(post["unfurl_media"]!.GetValue<bool>());
        Assert.Equal("1754000000.000500", post["thread_ts"]!.GetValue<string>());

        var answer = host.Handler.Answers.Single();
        Assert.Equal(Language.Korean, answer.Language);
        var texts = SlackAssert.MrkdwnTexts(post).ToList();
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        {
            var best = answer.Best!;
            var firstBold = best.Snippet.Text.Substring(best.Snippet.Highlights[0].Start, best.Snippet.Highlights[0].Length).Trim();
            Assert.Contains("*" + firstBold + "*", texts[0], StringComparison.Ordinal);
            Assert.Contains(texts, t => t.Contains(UiText.Korean.CitationLine(best), StringComparison.Ordinal));
            Assert.Contains("출처", string.Join("\n", texts), StringComparison.Ordinal);

            // Korean goes out as raw UTF-8 (not \uXXXX escapes) and round-trips byte-exact
            var title = Encoding.UTF8.GetBytes(best.Title);
            Assert.True(call.Body.AsSpan().IndexOf(title) >= 0, "title bytes present verbatim");
        }
    }

    // checklist 30
    [Theory]
    [InlineData("/search", "search", "ephemeral")]
    [InlineData("/help", null, "ephemeral")]
    [InlineData("/source", "source", "ephemeral")]
    public async Task SlashCommands_AnsweredOnResponseUrl_WithDocumentedVisibility(string command, string? kind, string responseType)
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.SlashEnvelope("s1", FakeSlack.SlashPayload(command, "딥시크", host.Fake.ResponseUrl("r1").ToString())));
        var post = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "response_url post");
        Assert.Equal(responseType, post.Json!["response_type"]!.GetValue<string>());
        Assert.Equal(kind, host.Handler.Calls.SingleOrDefault()?.Kind);
        SlackAssert.ValidMessage(post.Json);
        var ack = host.Fake.Acks.Single();
        if (command == "/help")
        {
            Assert.Null(ack.Payload);
            Assert.Contains("/ask", post.Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("ephemeral", ack.Payload!["response_type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task SlashCommandNames_AreConfigurable()
    {
        var (host, socket) = await StartAsync(configure: c => c["Slack:Commands:Ask"] = "/질문");
        await using var _h = host;
        await socket.SendAsync(FakeSlack.SlashEnvelope("s2", FakeSlack.SlashPayload("/질문", "딥시크 본사", host.Fake.ResponseUrl("r2").ToString())));
        var post = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "response_url post");
        Assert.Equal("ask", host.Handler.Calls.Single().Kind);
        Assert.Equal("in_channel", post.Json!["response_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task EmptyAsk_GetsPoliteEphemeralReply()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.SlashEnvelope("s3", FakeSlack.SlashPayload("/ask", "   ", host.Fake.ResponseUrl("r3").ToString())));
        var post = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "response_url post");
        Assert.Equal("ephemeral", post.Json!["response_type"]!.GetValue<string>());
        Assert.Contains(UiText.Korean.EmptyQuestion, post.Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyMention_GetsPoliteReplyInThread()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("e0", "Ev-e0", FakeSlack.Mention("<@U_BOT>", ts: "1754000000.000777")));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        Assert.Equal("1754000000.000777", post["thread_ts"]!.GetValue<string>());
        SlackAssert.ValidMessage(post);
        Assert.Contains(UiText.Korean.EmptyQuestion, post["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindSourcesShortcut_SearchesSelectedMessage_AndAnswersInItsThread()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("i1",
            FakeSlack.ShortcutPayload("딥시크 본사는 항저우에 있다 &amp; <@U5>", "1754000200.000100", null, host.Fake.ResponseUrl("sc1").ToString(), channel: "C77")));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        Assert.Equal("C77", post["channel"]!.GetValue<string>());
        Assert.Equal("1754000200.000100", post["thread_ts"]!.GetValue<string>());
        var call = host.Handler.Calls.Single();
        Assert.Equal("search", call.Kind);
        Assert.Equal("딥시크 본사는 항저우에 있다 &", call.Text);
        SlackAssert.ValidMessage(post);
        Assert.Equal("i1", host.Fake.Acks.Single().EnvelopeId);
    }

    [Fact]
    public async Task FindSourcesShortcut_OnThreadReply_AnswersInParentThread_AndFallsBackToEphemeralWhenNotInChannel()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        host.Fake.ScriptError("chat.postMessage", "not_in_channel");
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("i2",
            FakeSlack.ShortcutPayload("딥시크 모델", "1754000300.000200", "1754000300.000001", host.Fake.ResponseUrl("sc2").ToString())));
        var fallback = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "ephemeral fallback");
        Assert.Equal("1754000300.000001", host.Fake.Posts.Single()["thread_ts"]!.GetValue<string>());
        Assert.Equal("ephemeral", fallback.Json!["response_type"]!.GetValue<string>());
        Assert.Single(host.Fake.CallsTo("chat.postMessage")); // not_in_channel is not retried
    }

    [Fact]
    public async Task OtherInteractivePayloads_AckedAndIgnored()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("i3", new JsonObject { ["type"] = "block_actions", ["actions"] = new JsonArray() }));
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("i4",
            FakeSlack.ShortcutPayload("딥시크", "1754000300.000200", null, host.Fake.ResponseUrl("x").ToString(), callbackId: "something_else")));
        await socket.SendAsync(new JsonObject { ["envelope_id"] = "u1", ["type"] = "brand_new_type", ["payload"] = new JsonObject() });
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 3, "acked");
        await Task.Delay(150);
        Assert.Empty(host.Handler.Calls);
        Assert.Empty(host.Fake.Posts);
    }

    // issue 14: a full queue answers "busy, try again" in the question's language instead of growing; envelopes still acked
    [Fact]
    public async Task FullQueue_BusyReplyInQuestionLanguage_AckedAtOnce_QueuedAnswersStillDelivered()
    {
        var (host, socket) = await StartAsync(configure: c =>
        {
            c["Retrieval:MaxConcurrentQuestions"] = "1";
            c["Retrieval:MaxQueuedQuestions"] = "1";
        });
        await using var _h = host;
        await host.Fake.WaitUntilAsync(() => host.Handler.WarmUpsDone == 1, "the start-up warm-up has left the one retrieval thread and its queue");
        host.Handler.Hold();
        await socket.SendAsync(FakeSlack.EventEnvelope("q1", "Ev-q1", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?", ts: "1754000000.000501")));
        await host.Fake.WaitUntilAsync(() => host.Handler.Calls.Count == 1, "the only worker is busy with the first question");
        await socket.SendAsync(FakeSlack.EventEnvelope("q2", "Ev-q2", FakeSlack.Mention("<@U_BOT> 딥시크 모델은 오픈소스야?", ts: "1754000000.000502")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 2, "second acked (queued)");

        // queue full now: a Korean and an English mention, and a slash command
        await socket.SendAsync(FakeSlack.EventEnvelope("q3", "Ev-q3", FakeSlack.Mention("<@U_BOT> 딥시크의 훈련 비용은?", ts: "1754000000.000503")));
        await socket.SendAsync(FakeSlack.EventEnvelope("q4", "Ev-q4", FakeSlack.Mention("<@U_BOT> What is DeepSeek?", ts: "1754000000.000504")));
        await socket.SendAsync(FakeSlack.SlashEnvelope("q5", FakeSlack.SlashPayload("/ask", "What is DeepSeek-R1?", host.Fake.ResponseUrl("q5").ToString())));
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 5, "every envelope acked");
        var busyPosts = await host.Fake.WaitForAsync(() => host.Fake.Posts.Count == 2 ? host.Fake.Posts : null, "two busy replies");
        var korean = busyPosts.Single(p => p["thread_ts"]!.GetValue<string>() == "1754000000.000503");
        var english = busyPosts.Single(p => p["thread_ts"]!.GetValue<string>() == "1754000000.000504");
        Assert.Equal(UiText.Korean.Busy, korean["text"]!.GetValue<string>());
        Assert.Equal(UiText.English.Busy, english["text"]!.GetValue<string>());
        var slashAck = host.Fake.Acks.Single(a => a.EnvelopeId == "q5");
        Assert.Equal(UiText.English.Busy, slashAck.Payload!["text"]!.GetValue<string>());
        Assert.Single(host.Handler.Calls);
        Assert.Single(host.Logs.Lines, l => l.Contains("work queue full", StringComparison.Ordinal));

        host.Handler.Release();
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 4, "the two accepted questions answered");
        Assert.Equal(2, host.Handler.Calls.Count);
        Assert.Empty(host.Fake.ResponsePosts); // the busy slash command was never run
    }

    private static JsonObject With(JsonObject ev, Action<JsonObject> change)
    {
        change(ev);
        return ev;
    }

    private sealed class HostileHandler : IQuestionHandler
    {
        private const string Text = "<!channel> <!here> <!everyone> <@U123> R&D *굵게* _기울임_ ~취소~ `코드` > 인용";

        public Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken) =>
            Task.FromResult(new Answer(question, Language.Korean, AnswerStatus.Answered,
                [new Citation("x", "<!everyone> 제목 & <@U999>", 2, 1, new Snippet(Text, [new HighlightRange(0, 10), new HighlightRange(46, 4)], true, true), ["x"])], null));

        public Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken) => AskAsync(query, context, top, cancellationToken);

        public Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) => [];
    }
}
