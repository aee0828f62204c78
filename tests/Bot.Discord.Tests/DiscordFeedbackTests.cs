using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Storage;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bot.Discord.Tests;

/// <summary>
/// 👍 / 👎 on answers: the real adapter against the fake Discord, with the real SQLite storage (AddBotStorage) in a temp folder.
/// </summary>
public sealed class DiscordFeedbackTests(ITestOutputHelper output) : IDisposable
{
    private const string OtherUserId = "539000000000000002";
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-discord-feedback");

    private string DbPath => Path.Combine(_tmp.Path, "data", "bot.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<DiscordTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null) =>
        DiscordTestHost.StartReadyAsync(configure, storagePath: DbPath);

    private static RecordedRequest[] Callbacks(DiscordTestHost host, string id) => host.Fake.RequestsTo("POST", "/interactions/" + id + "/").ToArray();

    private static RecordedRequest[] Followups(DiscordTestHost host, string token) =>
        host.Fake.Requests.Where(r => r.Method == "POST" && r.Path == $"/webhooks/{FakeDiscordServer.AppId}/{token}").ToArray();

    private static RecordedRequest[] Patches(DiscordTestHost host) => host.Fake.Requests.Where(r => r.Method == "PATCH").ToArray();

    /// <summary>Asserts the feedback row and returns the answer id both buttons carry.</summary>
    private static string AssertFeedbackRow(JsonNode body, Language language)
    {
        // the feedback row; any other row is the "More sources" button's (DiscordMoreSourcesTests) or "Whole passage" buttons' (DiscordWholePassageTests)
        var rows = body["components"]!.AsArray();
        Assert.All(rows, r => Assert.Matches("^(fb|more|passage):", r!["components"]![0]!["custom_id"]!.GetValue<string>()));
        var row = Assert.Single(rows, r => r!["components"]![0]!["custom_id"]!.GetValue<string>().StartsWith("fb:", StringComparison.Ordinal))!;
        Assert.Equal(1, row["type"]!.GetValue<int>());
        var buttons = row["components"]!.AsArray();
        Assert.Equal(2, buttons.Count);
        var ui = UiText.For(language);
        var expected = new[] { ("\U0001F44D", ui.FeedbackHelpful, true), ("\U0001F44E", ui.FeedbackNotHelpful, false) };
        string? answerId = null;
        foreach (var (button, (emoji, label, up)) in buttons.Zip(expected))
        {
            Assert.Equal(2, button!["type"]!.GetValue<int>());
            Assert.Equal(2, button["style"]!.GetValue<int>());
            Assert.Equal(emoji, button["emoji"]!["name"]!.GetValue<string>());
            Assert.Equal(label, button["label"]!.GetValue<string>());
            Assert.Null(button["url"]);
            var customId = button["custom_id"]!.GetValue<string>();
            Assert.InRange(customId.Length, 1, 100);
            Assert.True(AnswerRecord.TryParseFeedback(customId, out var id, out var isUp), customId);
            Assert.Equal(up, isUp);
            answerId ??= id;
            Assert.Equal(answerId, id);
        }

        Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
        return answerId!;
    }

    private static async Task<(string Id, string Token)> ClickAsync(DiscordTestHost host, Dictionary<string, object?> click)
    {
        await host.Fake.DispatchAsync("INTERACTION_CREATE", click);
        return ((string)click["id"]!, (string)click["token"]!);
    }

    private static async Task<JsonNode> ClickAndWaitForReplyAsync(DiscordTestHost host, Dictionary<string, object?> click)
    {
        var (id, token) = await ClickAsync(host, click);
        await FakeDiscordServer.WaitUntilAsync(() => Followups(host, token).Length == 1, "feedback follow-up");
        var ack = Assert.Single(Callbacks(host, id));
        Assert.Equal(6, ack.Json!["type"]!.GetValue<int>());
        Assert.True(ack.RealTimestamp < Followups(host, token)[0].RealTimestamp);
        return Followups(host, token)[0].Json!;
    }

    private static void AssertEphemeralReply(JsonNode reply, string text)
    {
        Assert.Equal(64, reply["flags"]!.GetValue<int>());
        Assert.Equal(text, reply["content"]!.GetValue<string>());
        Assert.Equal("[]", reply["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.Null(reply["components"]);
    }

    private async Task<(string AnswerId, JsonNode Components)> AskForAnswerAsync(DiscordTestHost host, string question = "딥시크는 어느 나라 기업이야?")
    {
        var before = host.Fake.CreatedMessages.Count;
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{FakeDiscordServer.BotUserId}> {question}"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == before + 1, "reply");
        var body = host.Fake.CreatedMessages.Last().Body;
        var id = AssertFeedbackRow(body, LanguageDetector.Detect(question));
        return (id, body["components"]!.DeepClone());
    }

    private FeedbackTally Tally(string answerId)
    {
        using var c = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM feedback WHERE answer_id = $a;";
        cmd.Parameters.AddWithValue("$a", answerId);
        using var r = cmd.ExecuteReader();
        r.Read();
        return new FeedbackTally(r.GetInt32(0), r.GetInt32(1));
    }

    private long FeedbackRows() => FeedbackTable.Rows(DbPath);

    [Fact]
    public async Task Answers_MentionAskFindSourcesAndDecline_CarryTwoButtons_ValidIds_LabelsInTheAnswersLanguage()
    {
        await using var host = await StartAsync();

        // Mention in Korean -> Korean labels.
        var (first, _) = await AskForAnswerAsync(host);
        output.WriteLine(host.Fake.CreatedMessages.Last().Body["components"]!.ToJsonString());

        // A decline ("not in the articles") is an answer worth rating too.
        var (decline, _) = await AskForAnswerAsync(host, "딥시크 본사는 어디야?");
        Assert.Contains(UiText.Korean.NotFoundIntro, host.Fake.CreatedMessages.Last().Body["content"]!.GetValue<string>(), StringComparison.Ordinal);

        // DM in English -> English labels.
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Dm("Which country is DeepSeek from?"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 3, "DM reply");
        var dm = AssertFeedbackRow(host.Fake.CreatedMessages.Last().Body, Language.English);

        // /ask and "Find sources": the row is on the PATCHed answer.
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "딥시크 오픈소스 전략은?")]));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "/ask answer");
        var ask = AssertFeedbackRow(Patches(host)[0].Json!, Language.Korean);
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.FindSources("딥시크가 엔비디아 주가를 떨어뜨렸다"));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 2, "Find sources answer");
        var find = AssertFeedbackRow(Patches(host)[1].Json!, Language.Korean);

        Assert.Equal(5, new[] { first, decline, dm, ask, find }.Distinct().Count());

        // Not answers: /help, /source, /search and an empty mention carry no buttons.
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("help"));
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("source", [Events.Option("document", "딥시크")]));
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("search", [Events.Option("query", "딥시크 비용")]));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 5, "help/source/search");
        Assert.All(Patches(host).Skip(2), p => Assert.Null(p.Json!["components"]));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{FakeDiscordServer.BotUserId}>"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 4, "empty mention reply");
        Assert.Null(host.Fake.CreatedMessages.Last().Body["components"]);
    }

    [Fact]
    public async Task NoStorage_NoButtons_AndAClickIsStillAcknowledgedPolitely()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        Assert.Null(host.Services.GetService<FeedbackStore>());
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{FakeDiscordServer.BotUserId}> 딥시크는 어느 나라 기업이야?"));
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "딥시크 오픈소스 전략은?")]));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1 && Patches(host).Length == 1, "answers");
        Assert.Null(host.Fake.CreatedMessages.Single().Body["components"]);
        Assert.Null(Patches(host)[0].Json!["components"]);
        Assert.Contains("번째 단락", Patches(host)[0].Body, StringComparison.Ordinal);

        // A button from an earlier deployment with storage: acknowledged, and the user is told politely.
        var reply = await ClickAndWaitForReplyAsync(host, Events.Click(AnswerRecord.FeedbackCustomId(AnswerRecord.NewId(), up: true)));
        AssertEphemeralReply(reply, UiText.Korean.ErrorGeneric);
        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public async Task Click_AcknowledgedBeforeStorageIsTouched_ThenRecorded_ThenEphemeralThanks()
    {
        await using var host = await StartAsync();
        var (answerId, components) = await AskForAnswerAsync(host);
        host.Services.GetRequiredService<BotDatabase>().Initialize();

        // Another writer holds the database: recording has to wait, the acknowledgement must not.
        string token;
        using (var blocker = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            blocker.Open();
            using (var begin = blocker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                begin.ExecuteNonQuery();
            }

            var sentAtFake = host.Time.GetUtcNow();
            var sentAt = System.Diagnostics.Stopwatch.GetTimestamp();
            (var id, token) = await ClickAsync(host, Events.Click(AnswerRecord.FeedbackCustomId(answerId, up: true), messageComponents: components));
            await FakeDiscordServer.WaitUntilAsync(() => Callbacks(host, id).Length == 1, "acknowledgement");
            var ack = Callbacks(host, id)[0];
            Assert.Equal($"/interactions/{id}/{token}/callback", ack.Path);
            Assert.Equal(6, ack.Json!["type"]!.GetValue<int>());
            Assert.Null(ack.Header("authorization"));
            Assert.True(ack.At - sentAtFake < TimeSpan.FromSeconds(3));
            Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(sentAt, ack.RealTimestamp) < TimeSpan.FromSeconds(3));
            await Task.Delay(150);
            Assert.Empty(Followups(host, token));

            using var commit = blocker.CreateCommand();
            commit.CommandText = "COMMIT;";
            commit.ExecuteNonQuery();
        }

        await FakeDiscordServer.WaitUntilAsync(() => Followups(host, token).Length == 1, "thanks");
        AssertEphemeralReply(Followups(host, token)[0].Json!, UiText.Korean.FeedbackThanks);
        Assert.Equal(new FeedbackTally(1, 0), Tally(answerId));

        // The answer message itself was left alone: no PATCH @original, no second callback.
        Assert.Empty(Patches(host));
        Assert.Single(host.Fake.RequestsTo("POST", "/interactions/"));
    }

    [Fact]
    public async Task SecondClickBySameUser_ChangesTheVote_NotASecondRow_OtherUsersCountSeparately()
    {
        await using var host = await StartAsync(c => c["Storage:BusyTimeout"] = "00:00:02");
        var (answerId, components) = await AskForAnswerAsync(host, "Which country is DeepSeek from?");
        var up = AnswerRecord.FeedbackCustomId(answerId, up: true);
        var down = AnswerRecord.FeedbackCustomId(answerId, up: false);

        AssertEphemeralReply(await ClickAndWaitForReplyAsync(host, Events.Click(up, messageComponents: components)), UiText.English.FeedbackThanks);
        Assert.Equal(new FeedbackTally(1, 0), Tally(answerId));

        AssertEphemeralReply(await ClickAndWaitForReplyAsync(host, Events.Click(down, messageComponents: components)), UiText.English.FeedbackChanged);
        Assert.Equal(new FeedbackTally(0, 1), Tally(answerId));
        Assert.Equal(1, FeedbackRows());

        // The same vote again changes nothing.
        AssertEphemeralReply(await ClickAndWaitForReplyAsync(host, Events.Click(down, messageComponents: components)), UiText.English.FeedbackThanks);
        Assert.Equal(1, FeedbackRows());

        // Another user (in a DM: user, not member.user) counts separately.
        AssertEphemeralReply(await ClickAndWaitForReplyAsync(host, Events.Click(up, userId: OtherUserId, dm: true, messageComponents: components)),
            UiText.English.FeedbackThanks);
        Assert.Equal(new FeedbackTally(1, 1), Tally(answerId));
        Assert.Equal(2, FeedbackRows());

        // Votes on another answer are that answer's.
        var (other, otherComponents) = await AskForAnswerAsync(host);
        await ClickAndWaitForReplyAsync(host, Events.Click(AnswerRecord.FeedbackCustomId(other, up: false), messageComponents: otherComponents));
        Assert.Equal(new FeedbackTally(0, 1), Tally(other));
        Assert.Equal(new FeedbackTally(1, 1), Tally(answerId));
    }

    [Theory]
    [InlineData("fb:ABCDEFGHIJKLMNOP:up")] // upper case: not minted by AnswerRecord
    [InlineData("fb:0123456789abcdef:sideways")]
    [InlineData("fb:0123456789abcde:up")] // 15 characters
    [InlineData("fb:0123456789abcdef:up:extra")]
    [InlineData("vote:0123456789abcdef:up")]
    [InlineData("'; DROP TABLE feedback; --")]
    [InlineData(null)]
    public async Task ForgedCustomId_AcknowledgedAndIgnored(string? customId)
    {
        await using var host = await StartAsync();
        host.Services.GetRequiredService<BotDatabase>().Initialize();
        var (id, token) = await ClickAsync(host, Events.Click(customId));
        await FakeDiscordServer.WaitUntilAsync(() => Callbacks(host, id).Length == 1, "acknowledgement");
        Assert.Equal(6, Callbacks(host, id)[0].Json!["type"]!.GetValue<int>());

        // The connection keeps working: the next question is answered, and nothing was recorded or said about the click.
        await AskForAnswerAsync(host);
        Assert.Empty(Followups(host, token));
        Assert.Single(Callbacks(host, id));
        Assert.Equal(0, FeedbackRows());
    }

    [Fact]
    public async Task StorageFailure_LoggedAndToldPolitely_ConnectionKeepsWorking()
    {
        await using var host = await StartAsync(c => c["Storage:BusyTimeout"] = "00:00:00.300");
        var (answerId, components) = await AskForAnswerAsync(host);
        host.Services.GetRequiredService<BotDatabase>().Initialize();
        using (var blocker = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            blocker.Open();
            using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();

            var reply = await ClickAndWaitForReplyAsync(host, Events.Click(AnswerRecord.FeedbackCustomId(answerId, up: true), messageComponents: components));
            AssertEphemeralReply(reply, UiText.Korean.ErrorGeneric);
            Assert.Contains("could not be recorded", host.Logs.AllText, StringComparison.Ordinal);
        }

        // Still connected and answering; the next click is recorded.
        var (next, nextComponents) = await AskForAnswerAsync(host);
        AssertEphemeralReply(await ClickAndWaitForReplyAsync(host, Events.Click(AnswerRecord.FeedbackCustomId(next, up: true), messageComponents: nextComponents)),
            UiText.Korean.FeedbackThanks);
        Assert.Equal(new FeedbackTally(1, 0), Tally(next));
        Assert.Equal(Bot.Discord.Gateway.GatewayState.Ready, host.Gateway.State);
    }

    [Fact]
    public async Task UserIds_NeverStoredInClear()
    {
        await using (var host = await StartAsync())
        {
            var (answerId, components) = await AskForAnswerAsync(host);
            await ClickAndWaitForReplyAsync(host, Events.Click(AnswerRecord.FeedbackCustomId(answerId, up: true), messageComponents: components));
            await ClickAndWaitForReplyAsync(host, Events.Click(AnswerRecord.FeedbackCustomId(answerId, up: false), userId: OtherUserId, dm: true, messageComponents: components));
            Assert.Equal(new FeedbackTally(1, 1), Tally(answerId));
        }

        // Every cell of every table, and the raw bytes of the database and its WAL.
        using (var c = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False"))
        {
            c.Open();
            var tables = new List<string>();
            using (var list = c.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table';";
                using var r = list.ExecuteReader();
                while (r.Read())
                {
                    tables.Add(r.GetString(0));
                }
            }

            Assert.Contains("feedback", tables);
            var cells = 0;
            foreach (var table in tables)
            {
                using var select = c.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\";";
                using var r = select.ExecuteReader();
                while (r.Read())
                {
                    for (var i = 0; i < r.FieldCount; i++)
                    {
                        var value = r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
                        Assert.DoesNotContain(Events.UserId, value, StringComparison.Ordinal);
                        Assert.DoesNotContain(OtherUserId, value, StringComparison.Ordinal);
                        cells++;
                    }
                }
            }

            Assert.True(cells > 0);
            using var hashes = c.CreateCommand();
            hashes.CommandText = "SELECT user_hash FROM feedback ORDER BY user_hash;";
            using var h = hashes.ExecuteReader();
            var seen = new List<string>();
            while (h.Read())
            {
                seen.Add(h.GetString(0));
            }

            Assert.Equal(2, seen.Distinct().Count());
            Assert.All(seen, s => Assert.Matches("^[0-9a-f]{64}$", s));
        }

        foreach (var file in new[] { DbPath, DbPath + "-wal" }.Where(File.Exists))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var user in new[] { Events.UserId, OtherUserId })
            {
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(user)));
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(user)));
            }
        }
    }
}
