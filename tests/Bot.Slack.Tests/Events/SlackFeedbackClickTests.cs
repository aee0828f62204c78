using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Storage;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Tests.Events;

/// <summary>A click on 👍 / 👎: acked on its socket (or with 200 over HTTP) before storage is touched, recorded once per user and answer, thanked ephemerally, forged ids ignored, no user id stored in clear, storage failures answered politely.</summary>
public sealed class SlackFeedbackClickTests : SlackFeedbackTestBase
{
    [Fact]
    public async Task ClickOverSocketMode_AckedOnItsSocketWithin3s_Recorded_EphemeralThanks()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-c01");

        var sent = DateTimeOffset.UtcNow;
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("click1",
            FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), "U7", host.Fake.ResponseUrl("a1").ToString())));
        var ack = await host.Fake.WaitForAsync(() => host.Fake.Acks.FirstOrDefault(a => a.EnvelopeId == "click1"), "ack");
        Assert.Equal(socket.Id, ack.SocketId);
        Assert.True(ack.At - sent < TimeSpan.FromSeconds(3), $"ack took {(ack.At - sent).TotalMilliseconds} ms");
        Assert.Null(ack.Payload);

        var note = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == "a1"), "ephemeral thanks");
        Assert.Equal("ephemeral", note.Json!["response_type"]!.GetValue<string>());
        Assert.False(note.Json["replace_original"]!.GetValue<bool>());
        Assert.Equal(UiText.Korean.FeedbackThanks, note.Json["text"]!.GetValue<string>());
        Assert.StartsWith("application/json", note.ContentType, StringComparison.Ordinal);
        Assert.Equal(new FeedbackTally(1, 0), host.Services.GetRequiredService<FeedbackStore>().Tally(answerId));
        Assert.Equal(1, FeedbackRows());
        Assert.Single(host.Fake.Posts); // nothing posted in the channel
    }

    [Fact]
    public async Task Click_AckedWhileTheDatabaseIsLocked_VoteLandsWhenItIsFree()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-l01");
        host.Services.GetRequiredService<FeedbackStore>().Tally(answerId); // file open

        // another writer holds the write lock: the vote must wait, the ack must not
        using var blocker = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
        }

        await socket.SendAsync(FakeSlack.InteractiveEnvelope("l1", FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), "U7",
            host.Fake.ResponseUrl("l1").ToString())));
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Any(a => a.EnvelopeId == "l1"), "ack while locked", TimeSpan.FromSeconds(3));
        await Task.Delay(100);
        Assert.Empty(host.Fake.ResponsePosts); // the vote is still waiting for the lock

        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        var note = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == "l1"), "thanks after the lock");
        Assert.Equal(UiText.Korean.FeedbackThanks, note.Json!["text"]!.GetValue<string>());
        Assert.Equal(1, FeedbackRows());
    }

    [Fact]
    public async Task Click_NotStuckBehindSlowQuestions()
    {
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Storage:Path"] = DbPath;
            c["Retrieval:MaxConcurrentQuestions"] = "1";
        }, addServices: (s, config) => s.AddBotStorage(config));
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-q01");

        host.Handler.Hold(); // the only question worker is now busy with a slow question
        await socket.SendAsync(FakeSlack.EventEnvelope("q2", "Ev-q02", FakeSlack.Mention("<@U_BOT> 딥시크 창업자는 누구야?", ts: "1754000000.000802")));
        await host.Fake.WaitUntilAsync(() => host.Handler.Calls.Count == 2, "slow question started");
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("q3", FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: false), "U7",
            host.Fake.ResponseUrl("q3").ToString())));
        var note = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == "q3"), "thanks while a question is stuck");
        Assert.Equal(UiText.Korean.FeedbackThanks, note.Json!["text"]!.GetValue<string>());
        Assert.Single(host.Fake.Posts); // the slow answer is still pending
        host.Handler.Release();
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "slow answer delivered");
    }

    [Fact]
    public async Task SecondClickBySameUser_ChangesTheVote_OtherUsersCountSeparately()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "What is DeepSeek?", "Ev-c02");
        var store = host.Services.GetRequiredService<FeedbackStore>();
        var up = AnswerRecord.FeedbackCustomId(answerId, up: true);
        var down = AnswerRecord.FeedbackCustomId(answerId, up: false);

        async Task<JsonObject> ClickAsync(string envelope, string actionId, string user)
        {
            await socket.SendAsync(FakeSlack.InteractiveEnvelope(envelope, FakeSlack.BlockActionsPayload(actionId, user,
                host.Fake.ResponseUrl(envelope).ToString(), blockId: "feedback:en", buttonText: "\U0001F44D Helpful")));
            return (await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == envelope), "reply " + envelope)).Json!;
        }

        Assert.Equal(UiText.English.FeedbackThanks, (await ClickAsync("k1", up, "U7"))["text"]!.GetValue<string>());
        Assert.Equal(UiText.English.FeedbackChanged, (await ClickAsync("k2", down, "U7"))["text"]!.GetValue<string>());
        Assert.Equal(new FeedbackTally(0, 1), store.Tally(answerId));
        Assert.Equal(1, FeedbackRows()); // changed, not a second row

        Assert.Equal(UiText.English.FeedbackThanks, (await ClickAsync("k3", up, "U8"))["text"]!.GetValue<string>());
        Assert.Equal(UiText.English.FeedbackThanks, (await ClickAsync("k4", up, "W9")).AsObject()["text"]!.GetValue<string>());
        Assert.Equal(new FeedbackTally(2, 1), store.Tally(answerId));
        Assert.Equal(3, FeedbackRows());

        // the same vote again changes nothing
        Assert.Equal(UiText.English.FeedbackThanks, (await ClickAsync("k5", up, "U8"))["text"]!.GetValue<string>());
        Assert.Equal(new FeedbackTally(2, 1), store.Tally(answerId));
    }

    [Fact]
    public async Task ClickOverSignedHttpReceiver_200_Recorded_EphemeralThanksInEnglish()
    {
        await using var host = await StartAsync(socketMode: false, http: true);
        var url = new Uri(host.Hosted.HttpReceiver.Urls[0].TrimEnd('/') + "/slack/events");
        var now = host.Clock.GetUtcNow().ToUnixTimeSeconds();
        var ev = FakeSlack.EventCallback("Ev-h01", FakeSlack.DirectMessage("What is DeepSeek?"));
        using (var r = await FakeSlack.SendSignedAsync(Client, url, "application/json", Encoding.UTF8.GetBytes(ev.ToJsonString()), SlackTestHost.SigningSecret, now))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        var answer = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "answer");
        var answerId = AssertFeedbackButtons(answer, UiText.English);

        var payload = FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: false), "U7", host.Fake.ResponseUrl("h1").ToString(),
            blockId: "feedback:en", buttonText: "\U0001F44E Not helpful", channel: "D42");
        var started = DateTimeOffset.UtcNow;
        using (var r = await FakeSlack.SendSignedAsync(Client, url, "application/x-www-form-urlencoded", FakeSlack.Form(("payload", payload.ToJsonString())),
                   SlackTestHost.SigningSecret, now))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3));
        }

        var note = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == "h1"), "ephemeral thanks");
        Assert.Equal("ephemeral", note.Json!["response_type"]!.GetValue<string>());
        Assert.False(note.Json["replace_original"]!.GetValue<bool>());
        Assert.Equal(UiText.English.FeedbackThanks, note.Json["text"]!.GetValue<string>());
        Assert.Equal(new FeedbackTally(0, 1), host.Services.GetRequiredService<FeedbackStore>().Tally(answerId));

        // an unsigned (forged) click is refused and not recorded
        var forged = FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), "U666", host.Fake.ResponseUrl("h2").ToString());
        using (var r = await FakeSlack.SendSignedAsync(Client, url, "application/x-www-form-urlencoded", FakeSlack.Form(("payload", forged.ToJsonString())),
                   "wrong-secret", now))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }

        Assert.Equal(new FeedbackTally(0, 1), host.Services.GetRequiredService<FeedbackStore>().Tally(answerId));
    }

    [Fact]
    public async Task ResponseUrlMissingOrExpired_NoteFallsBackToChatPostEphemeral()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-r01");

        var noUrl = FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), "U7", "", channel: "C9");
        noUrl.Remove("response_url");
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("r1", noUrl));
        var first = await host.Fake.WaitForAsync(() => host.Fake.CallsTo("chat.postEphemeral").FirstOrDefault(), "chat.postEphemeral");
        Assert.Equal("C9", first.Json!["channel"]!.GetValue<string>());
        Assert.Equal("U7", first.Json["user"]!.GetValue<string>());
        Assert.Equal(UiText.Korean.FeedbackThanks, first.Json["text"]!.GetValue<string>());
        Assert.Equal("Bearer xoxb-test", first.Authorization);

        host.Fake.Script("response_url", 404, "expired_url");
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("r2", FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: false), "U7",
            host.Fake.ResponseUrl("r2").ToString(), channel: "C9")));
        await host.Fake.WaitUntilAsync(() => host.Fake.CallsTo("chat.postEphemeral").Count == 2, "fallback after expired response_url");
        Assert.Single(host.Fake.ResponsePosts);
        Assert.Equal(UiText.Korean.FeedbackChanged, host.Fake.CallsTo("chat.postEphemeral")[1].Json!["text"]!.GetValue<string>());
        Assert.Equal(new FeedbackTally(0, 1), host.Services.GetRequiredService<FeedbackStore>().Tally(answerId));
    }

    [Fact]
    public async Task ForgedOrForeignActionIds_AckedAndIgnored()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-x01");
        var forged = new[]
        {
            "fb:../../etc:up", "fb:SHORT:up", $"fb:{answerId}:sideways", $"fb:{answerId.ToUpperInvariant()}:up", $"fb:{answerId}:up:extra",
            "approve_button", "", $"xx:{answerId}:up", $"fb:{answerId}x:down",
        };
        for (var i = 0; i < forged.Length; i++)
        {
            // a valid id in "value" does not help: only action_id counts
            await socket.SendAsync(FakeSlack.InteractiveEnvelope("x" + i, FakeSlack.BlockActionsPayload(forged[i], "U7",
                host.Fake.ResponseUrl("x" + i).ToString(), value: AnswerRecord.FeedbackCustomId(answerId, up: true))));
        }

        var noUser = FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), "U7", host.Fake.ResponseUrl("nouser").ToString());
        noUser.Remove("user");
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("nouser", noUser));
        await socket.SendAsync(new JsonObject { ["envelope_id"] = "garbage", ["type"] = "interactive", ["payload"] = new JsonObject { ["type"] = "block_actions", ["actions"] = "nope" } });

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count(a => a.EnvelopeId.StartsWith('x') || a.EnvelopeId is "nouser" or "garbage") == forged.Length + 2, "all acked");
        await Task.Delay(200);
        Assert.Empty(host.Fake.ResponsePosts);
        Assert.Equal(0, FeedbackRows());

        // the connection still works: a real click after the junk is recorded
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("real", FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), "U7",
            host.Fake.ResponseUrl("real").ToString())));
        await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == "real"), "real click answered");
        Assert.Equal(1, FeedbackRows());
    }

    [Fact]
    public async Task UserId_NeverStoredInClear()
    {
        const string user = "U0FEEDBACKUSER42";
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-p01");
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("p1", FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), user,
            host.Fake.ResponseUrl("p1").ToString())));
        await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == "p1"), "thanks");
        await host.StopHostedAsync();
        SqliteConnection.ClearAllPools();

        Assert.Equal(1, FeedbackRows());
        var files = Directory.GetFiles(DataDir);
        Assert.Contains(files, f => f.EndsWith("bot.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(user)) < 0, $"{Path.GetFileName(file)} contains the user id");
            Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(user)) < 0, $"{Path.GetFileName(file)} contains the user id (UTF-16)");
        }

        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(user, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StorageFailure_ClickAcked_UserToldPolitely_NothingCrashes()
    {
        // a database path under a regular file: the first vote fails with StorageException
        var blocker = Path.Combine(_tmp.Path, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");
        var db = new BotDatabase(Options.Create(new StorageOptions { Path = Path.Combine(blocker, "bot.db"), BusyTimeout = TimeSpan.FromSeconds(1) }),
            NullLogger<BotDatabase>.Instance);
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler, addServices: (s, _) =>
            s.AddSingleton(db).AddSingleton<FeedbackStore>());
        var socket = await host.Fake.WaitForSocketAsync(1);
        var answerId = await AskByMentionAsync(host, socket, "딥시크 본사는 어디에 있나요?", "Ev-e01");

        await socket.SendAsync(FakeSlack.InteractiveEnvelope("e1", FakeSlack.BlockActionsPayload(AnswerRecord.FeedbackCustomId(answerId, up: true), "U7",
            host.Fake.ResponseUrl("e1").ToString())));
        var note = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == "e1"), "polite reply");
        Assert.Equal("ephemeral", note.Json!["response_type"]!.GetValue<string>());
        Assert.Equal(UiText.Korean.ErrorGeneric, note.Json["text"]!.GetValue<string>());
        Assert.Contains(host.Logs.Lines, l => l.Contains("could not be recorded", StringComparison.Ordinal));
        Assert.Contains(host.Fake.Acks, a => a.EnvelopeId == "e1");

        // still answering
        await AskByMentionAsync(host, socket, "딥시크 창업자는 누구야?", "Ev-e02");
    }
}
