using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Conversations;
using Bot.Slack.Events;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.Events;

/// <summary>
/// Follow-up questions in Slack threads without a mention, end to end: the real adapter over Socket Mode against the fake
/// Slack, the real Core (engine, planner, executor) and the real SQLite context store.
/// </summary>
public sealed class SlackThreadFollowUpTests : IDisposable
{
    private const string First = "딥시크 V3 훈련 비용은 얼마야?";
    private const string FollowUp = "그럼 R1은?";
    private const string ThreadTs = "1754000000.000100";

    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-followups");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<(SlackTestHost Host, FakeSlackSocket Socket)> StartAsync(string ttl = "01:00:00") => SlackTestHost.StartWithStorageAsync(_tmp.Path, ttl);

    /// <summary>A person's reply in a channel thread (message.channels), as Slack sends it.</summary>
    private static JsonObject ThreadMessage(string text, string ts, string threadTs = ThreadTs, string channel = "C9", string user = "U8") => new()
    {
        ["type"] = "message",
        ["channel"] = channel,
        ["user"] = user,
        ["text"] = text,
        ["ts"] = ts,
        ["thread_ts"] = threadTs,
        ["parent_user_id"] = "U7",
        ["event_ts"] = ts,
        ["channel_type"] = "channel",
    };

    /// <summary>The first question, a mention, answered in its thread; returns once the answer is posted.</summary>
    private static async Task AskFirstAsync(SlackTestHost host, FakeSlackSocket socket)
    {
        await socket.SendAsync(FakeSlack.EventEnvelope("e-first", "Ev-first", FakeSlack.Mention("<@U_BOT> " + First, ts: ThreadTs)));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "the first answer");
    }

    /// <summary>The posted message as JSON with its Korean text unescaped (so substrings can be looked for).</summary>
    private static string Json(JsonObject post) =>
        post.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public async Task FollowUpInTheThread_AnsweredWithoutMention_WithTheEarlierQuestionsTopic()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await AskFirstAsync(host, socket);

        await socket.SendAsync(FakeSlack.EventEnvelope("e-fu", "Ev-fu", ThreadMessage(FollowUp, "1754000000.000300")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "the follow-up's answer");

        // what the real Core retrieves for the follow-up read with the earlier question's topic, and for the follow-up alone
        var resolved = new FollowUpResolver(TestCore.Engine.Planner).Resolve(First, FollowUp);
        Assert.True(resolved.Elliptical);
        Assert.Contains("딥시크", resolved.Query, StringComparison.Ordinal);
        var expected = await TestCore.Handler.AskAsync(resolved.Query, new QueryContext("test", ""), 3, CancellationToken.None);
        var alone = await TestCore.Handler.AskAsync(FollowUp, new QueryContext("test", ""), 3, CancellationToken.None);
        Assert.Equal(AnswerStatus.Answered, expected.Status);
        Assert.NotEqual(alone.Best?.Snippet.Text, expected.Best!.Snippet.Text); // the context changes what is found

        var post = host.Fake.Posts[1];
        SlackAssert.ValidMessage(post);
        Assert.Equal("C9", post["channel"]!.GetValue<string>());
        Assert.Equal(ThreadTs, post["thread_ts"]!.GetValue<string>());
        Assert.Contains(SlackText.Escape(expected.Best.Title), Json(post), StringComparison.Ordinal);
        Assert.Contains(First, post["blocks"]![0]!["elements"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal); // says which question it followed
        Assert.Equal(resolved.Query, host.Handler.Calls.Last().Text);
        Assert.Equal(new QueryContext("slack", "C9", InChannel: true), host.Handler.Calls.Last().Context with { AnswerId = null });
    }

    [Fact]
    public async Task MessagesInAnUnrelatedThreadOrOutsideThreads_Ignored_WithoutTouchingTheClaims()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await AskFirstAsync(host, socket);

        var unrelated = ThreadMessage(FollowUp, "1754000000.000400", threadTs: "1754000000.000009");
        var otherChannel = ThreadMessage(FollowUp, "1754000000.000401", channel: "C10");
        var topLevel = ThreadMessage("딥시크 V3 훈련 비용은?", "1754000000.000402");
        topLevel.Remove("thread_ts");
        var parent = ThreadMessage("딥시크 V3 훈련 비용은?", ThreadTs); // the thread's parent itself (thread_ts == ts)
        var sent = new[] { unrelated, otherChannel, topLevel, parent };
        for (var round = 0; round < 2; round++) // each sent twice with the same event id: never claimed, so never a "duplicate"
        {
            for (var i = 0; i < sent.Length; i++)
            {
                await socket.SendAsync(FakeSlack.EventEnvelope($"e-u{round}{i}", "Ev-u" + i, sent[i].DeepClone().AsObject()));
            }
        }

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 1 + 2 * sent.Length, "all acked");
        await host.Fake.WaitUntilAsync(() => host.Health.InFlight == 0, "nothing in flight");
        await Task.Delay(300);
        Assert.Single(host.Fake.Posts);
        Assert.Single(host.Handler.Calls);
        Assert.Equal(0, host.Services.GetRequiredService<SlackEventDispatcher>().Duplicates);
    }

    [Fact]
    public async Task ContextGoneAfterTheTtl_FollowUpIgnored()
    {
        var (host, socket) = await StartAsync(ttl: "00:01:00");
        await using var _h = host;
        await AskFirstAsync(host, socket);
        host.Clock.Advance(TimeSpan.FromSeconds(61));

        await socket.SendAsync(FakeSlack.EventEnvelope("e-late", "Ev-late", ThreadMessage(FollowUp, "1754000000.000500")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 2 && host.Health.InFlight == 0, "acked and done");
        await Task.Delay(300);
        Assert.Single(host.Fake.Posts);

        // a mention in that thread is still answered, but as a question of its own: no earlier topic, no note
        await socket.SendAsync(FakeSlack.EventEnvelope("e-late2", "Ev-late2", FakeSlack.Mention("<@U_BOT> " + FollowUp, ts: "1754000000.000501", threadTs: ThreadTs)));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "the mention's answer");
        Assert.Equal(FollowUp, host.Handler.Calls.Last().Text);
        Assert.DoesNotContain(First, Json(host.Fake.Posts[1]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MentionInTheThread_ArrivesAsAppMentionAndMessage_AnsweredOnce()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await AskFirstAsync(host, socket);

        const string ts = "1754000000.000600";
        await socket.SendAsync(FakeSlack.EventEnvelope("e-m", "Ev-m", FakeSlack.Mention("<@U_BOT> " + FollowUp, ts: ts, threadTs: ThreadTs, user: "U8")));
        await socket.SendAsync(FakeSlack.EventEnvelope("e-msg", "Ev-msg", ThreadMessage("<@U_BOT> " + FollowUp, ts)));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "one answer");
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 3 && host.Health.InFlight == 0, "acked and done");
        await Task.Delay(300);
        Assert.Equal(2, host.Fake.Posts.Count);
        Assert.Equal(2, host.Handler.Calls.Count);
        Assert.Contains("딥시크", host.Handler.Calls.Last().Text, StringComparison.Ordinal); // the mention too is read in the thread's context
    }

    [Fact]
    public async Task BotsOwnAndOtherBotsMessagesAndEditsInTheThread_Ignored()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await AskFirstAsync(host, socket);

        var own = ThreadMessage(FollowUp, "1754000001.000001", user: "U_BOT");
        own["bot_id"] = "B_BOT";
        var ownNoBotId = ThreadMessage(FollowUp, "1754000001.000002", user: "U_BOT");
        var otherBot = ThreadMessage(FollowUp, "1754000001.000003", user: "U_OTHER");
        otherBot["bot_profile"] = new JsonObject { ["id"] = "B_OTHER" };
        var edit = ThreadMessage(FollowUp, "1754000001.000004");
        edit["subtype"] = "message_changed";
        var toSomeoneElse = ThreadMessage("<@U9> " + FollowUp, "1754000001.000005");
        var sent = new[] { own, ownNoBotId, otherBot, edit, toSomeoneElse };
        for (var i = 0; i < sent.Length; i++)
        {
            await socket.SendAsync(FakeSlack.EventEnvelope("e-b" + i, "Ev-b" + i, sent[i]));
        }

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 1 + sent.Length && host.Health.InFlight == 0, "acked and done");
        await Task.Delay(300);
        Assert.Single(host.Fake.Posts);

        // and a person's plain reply right after is still answered (the thread is live)
        await socket.SendAsync(FakeSlack.EventEnvelope("e-ok", "Ev-ok", ThreadMessage(FollowUp, "1754000001.000006")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "the person's follow-up");
    }

    [Fact]
    public async Task DirectMessages_OnePrivateConversation_NeverContextForAPublicThread()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("e-d1", "Ev-d1", FakeSlack.DirectMessage(First, ts: "1754000002.000001")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "the DM's answer");
        await socket.SendAsync(FakeSlack.EventEnvelope("e-d2", "Ev-d2", FakeSlack.DirectMessage(FollowUp, ts: "1754000002.000002")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "the DM follow-up's answer");
        Assert.Contains("딥시크", host.Handler.Calls.Last().Text, StringComparison.Ordinal);
        Assert.False(host.Handler.Calls.Last().Context.InChannel);

        // the same user in a public channel: a new thread knows nothing of the DM, and the note never quotes it
        await socket.SendAsync(FakeSlack.EventEnvelope("e-p", "Ev-p", FakeSlack.Mention("<@U_BOT> " + FollowUp, ts: "1754000002.000003")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 3, "the public answer");
        Assert.Equal(FollowUp, host.Handler.Calls.Last().Text);
        Assert.DoesNotContain(First, Json(host.Fake.Posts[2]), StringComparison.Ordinal);
    }
}
