using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Storage;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.Events;

/// <summary>Which answers carry the 👍 / 👎 buttons (every chat answer and a not-found decline, in the answer's language; not search, help, source or an empty question; none without storage).</summary>
public sealed class SlackFeedbackButtonTests : SlackFeedbackTestBase
{
    [Fact]
    public async Task EveryChatAnswer_CarriesFeedbackButtons_InTheAnswersLanguage_SearchHelpAndSourceDoNot()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);

        // mention (Korean) and DM (English)
        var mentionId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-f01");
        await socket.SendAsync(FakeSlack.EventEnvelope("f2", "Ev-f02", FakeSlack.DirectMessage("What is DeepSeek?")));
        var dm = await host.Fake.WaitForAsync(() => host.Fake.Posts.Count > 1 ? host.Fake.Posts[1] : null, "DM answer");
        var dmId = AssertFeedbackButtons(dm, UiText.English);
        Assert.NotEqual(mentionId, dmId); // a fresh id per answer

        // /ask and /search (response_url), the find_sources shortcut (thread)
        await socket.SendAsync(FakeSlack.SlashEnvelope("f3", FakeSlack.SlashPayload("/ask", "딥시크 창업자는 누구야?", host.Fake.ResponseUrl("ask").ToString())));
        await socket.SendAsync(FakeSlack.SlashEnvelope("f4", FakeSlack.SlashPayload("/search", "DeepSeek model", host.Fake.ResponseUrl("search").ToString())));
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("f5",
            FakeSlack.ShortcutPayload("딥시크 본사는 항저우에 있다", "1754000200.000100", null, host.Fake.ResponseUrl("sc").ToString())));
        await socket.SendAsync(FakeSlack.SlashEnvelope("f6", FakeSlack.SlashPayload("/help", "", host.Fake.ResponseUrl("help").ToString())));
        await socket.SendAsync(FakeSlack.SlashEnvelope("f7", FakeSlack.SlashPayload("/source", "딥시크", host.Fake.ResponseUrl("source").ToString())));
        await socket.SendAsync(FakeSlack.SlashEnvelope("f8", FakeSlack.SlashPayload("/ask", "  ", host.Fake.ResponseUrl("empty").ToString())));
        await host.Fake.WaitUntilAsync(() => host.Fake.ResponsePosts.Count == 5 && host.Fake.Posts.Count == 3, "all replies");

        JsonObject Reply(string id) => host.Fake.ResponsePosts.Single(p => p.Id == id).Json!;
        var askId = AssertFeedbackButtons(Reply("ask"), UiText.Korean);
        Assert.Equal("in_channel", Reply("ask")["response_type"]!.GetValue<string>());
        var shortcutId = AssertFeedbackButtons(host.Fake.Posts[2], UiText.Korean);
        Assert.Equal(4, new[] { mentionId, dmId, askId, shortcutId }.Distinct().Count());

        foreach (var id in new[] { "search", "help", "source", "empty" })
        {
            SlackAssert.ValidMessage(Reply(id));
            Assert.Null(Actions(Reply(id)));
        }
    }

    [Fact]
    public async Task NotFoundDecline_GetsButtons_EmptyQuestionDoesNot()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        await socket.SendAsync(FakeSlack.EventEnvelope("n1", "Ev-n1", FakeSlack.Mention("<@U_BOT> 화성 식민지 인구는 몇 명인가요?", ts: "1754000000.000901")));
        await socket.SendAsync(FakeSlack.EventEnvelope("n2", "Ev-n2", FakeSlack.Mention("<@U_BOT>", ts: "1754000000.000902")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "two replies");
        var answers = host.Handler.Answers.ToList();
        var notFound = host.Fake.Posts.Single(p => p["thread_ts"]!.GetValue<string>() == "1754000000.000901");
        var empty = host.Fake.Posts.Single(p => p["thread_ts"]!.GetValue<string>() == "1754000000.000902");
        Assert.Contains(answers, a => a.Status == AnswerStatus.NotFound);
        AssertFeedbackButtons(notFound, UiText.Korean);
        Assert.Contains(answers.Single(a => a.Status == AnswerStatus.NotFound).Decline!.Message.Split(' ')[0], notFound["text"]!.GetValue<string>(), StringComparison.Ordinal);
        SlackAssert.ValidMessage(empty);
        Assert.Null(Actions(empty));
    }

    [Fact]
    public async Task NoStorage_NoButtons_ClicksAckedAndIgnored()
    {
        await using var host = await StartAsync(storage: false);
        Assert.Null(host.Services.GetService<FeedbackStore>());
        var socket = await host.Fake.WaitForSocketAsync(1);
        await socket.SendAsync(FakeSlack.EventEnvelope("s1", "Ev-s1", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?")));
        await socket.SendAsync(FakeSlack.SlashEnvelope("s2", FakeSlack.SlashPayload("/ask", "딥시크 창업자는 누구야?", host.Fake.ResponseUrl("ask").ToString())));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        var reply = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "ask reply");
        SlackAssert.ValidMessage(post);
        Assert.All(host.Handler.Answers, a => Assert.True(Bot.Core.Chat.FeedbackVotes.IsRateable(a))); // would have had buttons
        Assert.Null(Actions(post));
        Assert.Null(Actions(reply.Json!));

        await socket.SendAsync(FakeSlack.InteractiveEnvelope("c1", FakeSlack.BlockActionsPayload(
            AnswerRecord.FeedbackCustomId(AnswerRecord.NewId(), up: true), "U7", host.Fake.ResponseUrl("c1").ToString())));
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Any(a => a.EnvelopeId == "c1"), "acked");
        await Task.Delay(150);
        Assert.DoesNotContain(host.Fake.ResponsePosts, p => p.Id == "c1");
        Assert.False(File.Exists(DbPath));
    }
}
