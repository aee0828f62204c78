using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Conversations;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.Events;

/// <summary>
/// The "Whole passage" buttons end to end over Socket Mode: the real adapter against the fake Slack and the real Core
/// index. What a click must show is read from the real index (the passage and its neighbours), not written down.
/// </summary>
public sealed class SlackWholePassageTests : IDisposable
{
    private const string Question = "딥시크 모델은 오픈소스야?";
    private const string Declined = "딥시크 본사 구내식당 점심 메뉴는 뭐야?";
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-passage");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<(SlackTestHost Host, FakeSlackSocket Socket)> StartAsync() => SlackTestHost.StartWithStorageAsync(_tmp.Path);

    private static JsonObject? PassageBlock(JsonObject message) =>
        message["blocks"]!.AsArray().Select(b => b!.AsObject())
            .SingleOrDefault(b => b["type"]!.GetValue<string>() == "actions" && b["block_id"]!.GetValue<string>().StartsWith("passage:", StringComparison.Ordinal));

    private static async Task<JsonObject> AskAsync(SlackTestHost host, FakeSlackSocket socket, string question, string id)
    {
        var before = host.Fake.Posts.Count;
        await socket.SendAsync(FakeSlack.EventEnvelope(id, "Ev-" + id, FakeSlack.Mention("<@U_BOT> " + question, ts: "1754000000.00" + id.Length.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))));
        return await host.Fake.WaitForAsync(() => host.Fake.Posts.Count > before ? host.Fake.Posts[before] : null, "the answer " + id);
    }

    private static async Task<JsonObject> ClickAsync(SlackTestHost host, FakeSlackSocket socket, string actionId, string id, string blockId = "passage:ko", string buttonText = "단락 전체 보기")
    {
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("env-" + id,
            FakeSlack.BlockActionsPayload(actionId, "U8", host.Fake.ResponseUrl(id).ToString(), blockId: blockId, buttonText: buttonText)));
        return (await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == id), "the reply to click " + id)).Json!;
    }

    private static void AssertPrivate(JsonObject reply)
    {
        Assert.Equal("ephemeral", reply["response_type"]!.GetValue<string>());
        Assert.False(reply["replace_original"]!.GetValue<bool>()); // the answer stays; the passage goes to the clicker alone
    }

    private static void AssertShows(JsonObject reply, Bot.Core.Search.PassageWithNeighbours expected, UiText ui)
    {
        SlackAssert.ValidMessage(reply);
        var text = string.Join("\n", SlackAssert.MrkdwnTexts(reply));
        Assert.Contains(SlackText.Escape(expected.Article.Title), text, StringComparison.Ordinal);
        Assert.Contains(SlackText.Escape(expected.Passage.Text), text, StringComparison.Ordinal);
        if (expected.Previous is { } previous)
        {
            Assert.Contains("*" + ui.PreviousPassage + "*", text, StringComparison.Ordinal);
            Assert.Contains(SlackText.Escape(previous.Text).Split('\n')[0], text, StringComparison.Ordinal);
        }

        if (expected.Next is { } next)
        {
            Assert.Contains("*" + ui.NextPassage + "*", text, StringComparison.Ordinal);
            Assert.Contains(SlackText.Escape(next.Text).Split('\n')[0], text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WholePassage_OnAnAnswer_GoesOnlyToTheClicker_WithItsNeighbours()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        var best = (await TestCore.Handler.AskAsync(Question, new QueryContext("test", ""), 3, CancellationToken.None)).Best!;
        var answer = await AskAsync(host, socket, Question, "a");
        SlackAssert.ValidMessage(answer);
        var block = PassageBlock(answer);
        Assert.NotNull(block);
        var button = Assert.Single(block!["elements"]!.AsArray())!;
        Assert.Equal(WholePassages.CustomId(best.DocId, best.Passage), button["action_id"]!.GetValue<string>());
        Assert.Equal(UiText.Korean.WholePassageButton, button["text"]!["text"]!.GetValue<string>());
        Assert.StartsWith("feedback:", answer["blocks"]!.AsArray()[^1]!["block_id"]!.GetValue<string>(), StringComparison.Ordinal); // feedback stays last

        var reply = await ClickAsync(host, socket, button["action_id"]!.GetValue<string>(), "c1");
        AssertPrivate(reply);
        var expected = TestCore.Engine.Index.FindPassage(best.DocId, best.Passage)!;
        Assert.True(expected.Previous is not null || expected.Next is not null);
        AssertShows(reply, expected, UiText.Korean);
        Assert.Single(host.Fake.Posts); // nothing public: the answer is the one message posted
        Assert.Empty(host.Fake.CallsTo("chat.update"));
    }

    [Fact]
    public async Task ADecline_OffersItsClosestPassages_EachShownWholeToTheClicker()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        var expectedAnswer = await TestCore.Handler.AskAsync(Declined, new QueryContext("test", ""), 3, CancellationToken.None);
        Assert.Equal(AnswerStatus.NotFound, expectedAnswer.Status);
        var decline = await AskAsync(host, socket, Declined, "d");
        SlackAssert.ValidMessage(decline);
        var buttons = PassageBlock(decline)!["elements"]!.AsArray();
        Assert.Equal(expectedAnswer.Citations.Take(WholePassages.MaxChoices).Select(c => WholePassages.CustomId(c.DocId, c.Passage)),
            buttons.Select(b => b!["action_id"]!.GetValue<string>()));
        Assert.All(buttons, b => Assert.InRange(b!["text"]!["text"]!.GetValue<string>().Length, 1, 75));

        var chosen = expectedAnswer.Citations[buttons.Count - 1];
        var reply = await ClickAsync(host, socket, buttons[^1]!["action_id"]!.GetValue<string>(), "c2", buttonText: buttons[^1]!["text"]!["text"]!.GetValue<string>());
        AssertPrivate(reply);
        AssertShows(reply, TestCore.Engine.Index.FindPassage(chosen.DocId, chosen.Passage)!, UiText.Korean);
        Assert.Single(host.Fake.Posts);
    }

    [Fact]
    public async Task ForgedMalformedAndUnknownIds_RefusedPolitely_ToTheClickerAlone_InTheirLanguage()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        var first = TestCore.Engine.Articles()[0];
        var n = 0;
        foreach (var forged in new[] { "passage:", "passage:../etc/passwd#1", "passage:999_nosuch#1", $"passage:{first.DocId}#{first.PassageCount + 1}", $"passage:{first.DocId}#01" })
        {
            var note = await ClickAsync(host, socket, forged, "f" + n++);
            AssertPrivate(note);
            Assert.Contains(UiText.Korean.ButtonExpired, note["text"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var english = await ClickAsync(host, socket, "passage:999_nosuch#2", "en", blockId: "passage:en", buttonText: UiText.English.WholePassageButton);
        Assert.Contains(UiText.English.ButtonExpired, english["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(host.Fake.Posts); // nothing public
    }
}
