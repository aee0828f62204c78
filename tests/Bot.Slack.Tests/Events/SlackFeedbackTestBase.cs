using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Storage;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;

namespace Bot.Slack.Tests.Events;

/// <summary>
/// What the 👍 / 👎 tests share (issue 5 "Feedback"): the real adapter against the fake Slack, the real SQLite storage in a
/// temp folder (AddBotStorage, as the Host wires it), and the checks of the feedback block under an answer.
/// </summary>
public abstract class SlackFeedbackTestBase : IDisposable
{
    private protected static readonly HttpClient Client = new();

    private protected readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-fb");

    private protected string DataDir => Path.Combine(_tmp.Path, "data");

    private protected string DbPath => Path.Combine(DataDir, "bot.db");

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private protected Task<SlackTestHost> StartAsync(bool storage = true, bool socketMode = true, bool http = false) =>
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

    private protected static JsonObject? Actions(JsonObject message) =>
        message["blocks"]!.AsArray().Select(b => b!.AsObject())
            .SingleOrDefault(b => b["type"]!.GetValue<string>() == "actions" && b["block_id"]?.GetValue<string>().StartsWith("feedback:", StringComparison.Ordinal) == true);

    /// <summary>Checks the feedback block and returns the answer id both buttons carry.</summary>
    private protected static string AssertFeedbackButtons(JsonObject message, UiText ui)
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

    private protected long FeedbackRows() => FeedbackTable.Rows(DbPath);

    private protected static async Task<string> AskByMentionAsync(SlackTestHost host, FakeSlackSocket socket, string question, string eventId)
    {
        var before = host.Fake.Posts.Count;
        await socket.SendAsync(FakeSlack.EventEnvelope("env-" + eventId, eventId, FakeSlack.Mention("<@U_BOT> " + question, ts: "1754000000.0001" + eventId[^2..])));
        var post = await host.Fake.WaitForAsync(() => host.Fake.Posts.Count > before ? host.Fake.Posts[before] : null, "answer to " + question);
        return AssertFeedbackButtons(post, LanguageDetector.Detect(question) == Language.English ? UiText.English : UiText.Korean);
    }
}
