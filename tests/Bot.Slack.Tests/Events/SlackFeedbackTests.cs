using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Storage;
using Bot.Slack.Tests.Fakes;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Tests.Events;

/// <summary>
/// 👍 / 👎 on answers (issue 5 "Feedback"): the real adapter against the fake Slack, the real SQLite storage in a temp folder
/// (AddBotStorage, as the Host wires it).
/// </summary>
public sealed class SlackFeedbackTests : IDisposable
{
    private static readonly HttpClient Client = new();
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-fb");

    private string DataDir => Path.Combine(_tmp.Path, "data");

    private string DbPath => Path.Combine(DataDir, "bot.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<SlackTestHost> StartAsync(bool storage = true, bool socketMode = true, bool http = false) =>
        SlackTestHost.StartAsync(TestCore.Handler, c =>
        {
            c["Storage:Path"] = DbPath;
            c["Storage:BusyTimeout"] = "00:00:02";
            if (http)
            {
                c["Slack:SigningSecret"] = SlackTestHost.SigningSecret;
                c["Slack:HttpListenUrl"] = "http://127.0.0.1:0";
            }
        }, socketMode: socketMode, addServices: storage ? (s, config) => s.AddBotStorage(config) : null);

    private static JsonObject? Actions(JsonObject message) =>
        message["blocks"]!.AsArray().Select(b => b!.AsObject())
            .SingleOrDefault(b => b["type"]!.GetValue<string>() == "actions" && b["block_id"]?.GetValue<string>().StartsWith("feedback:", StringComparison.Ordinal) == true);

    /// <summary>Checks the feedback block and returns the answer id both buttons carry.</summary>
    private static string AssertFeedbackButtons(JsonObject message, UiText ui)
    {
        SlackAssert.ValidMessage(message);
        var actions = Actions(message) ?? throw new Xunit.Sdk.XunitException("no actions block: " + message.ToJsonString());
        Assert.Same(actions, message["blocks"]!.AsArray().Last()); // under the answer
        var buttons = actions["elements"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(2, buttons.Count);
        Assert.True(AnswerRecord.TryParseFeedback(buttons[0]["action_id"]!.GetValue<string>(), out var upId, out var up));
        Assert.True(AnswerRecord.TryParseFeedback(buttons[1]["action_id"]!.GetValue<string>(), out var downId, out var down));
        Assert.True(up);
        Assert.False(down);
        Assert.Equal(upId, downId);
        Assert.Equal(buttons[0]["action_id"]!.GetValue<string>(), buttons[0]["value"]!.GetValue<string>());
        Assert.Equal("\U0001F44D " + ui.FeedbackHelpful, buttons[0]["text"]!["text"]!.GetValue<string>());
        Assert.Equal("\U0001F44E " + ui.FeedbackNotHelpful, buttons[1]["text"]!["text"]!.GetValue<string>());
        Assert.True(buttons[0]["text"]!["emoji"]!.GetValue<bool>());
        return upId;
    }

    private long FeedbackRows()
    {
        using var c = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM feedback;";
        return (long)cmd.ExecuteScalar()!;
    }

    private static async Task<string> AskByMentionAsync(SlackTestHost host, FakeSocket socket, string question, string eventId)
    {
        var before = host.Fake.Posts.Count;
        await socket.SendAsync(FakeSlack.EventEnvelope("env-" + eventId, eventId, FakeSlack.Mention("<@U_BOT> " + question, ts: "1754000000.0001" + eventId[^2..])));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.Count > before ? host.Fake.Posts[before] : null, "answer to " + question);
        return AssertFeedbackButtons(post, LanguageDetector.Detect(question) == Language.English ? UiText.English : UiText.Korean);
    }

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
