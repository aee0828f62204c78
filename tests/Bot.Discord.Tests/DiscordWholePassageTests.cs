using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;

namespace Bot.Discord.Tests;

/// <summary>
/// The "Whole passage" buttons end to end: the real adapter against the fake Discord and the real Core index. What the
/// click must show is read from the real index (the passage and its neighbours), not written down.
/// </summary>
public sealed class DiscordWholePassageTests : IDisposable
{
    private const string Question = "딥시크 모델은 오픈소스야?";
    private const string Declined = "딥시크 본사 구내식당 점심 메뉴는 뭐야?";
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-discord-passage");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<DiscordTestHost> StartAsync() =>
        DiscordTestHost.StartReadyAsync(storagePath: Path.Combine(_tmp.Path, "bot.db"));

    private static List<JsonNode> PassageButtons(JsonNode body) =>
        (body["components"]?.AsArray() ?? []).SelectMany(r => r!["components"]!.AsArray()).Select(b => b!)
            .Where(b => b["custom_id"]!.GetValue<string>().StartsWith("passage:", StringComparison.Ordinal)).ToList();

    private static async Task<JsonNode> AskAsync(DiscordTestHost host, string question)
    {
        var before = host.Fake.CreatedMessages.Count;
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{FakeDiscordServer.BotUserId}> {question}"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == before + 1, "the answer");
        return host.Fake.CreatedMessages.Last().Body;
    }

    /// <summary>Clicks; returns the ack and the PATCH that filled it in.</summary>
    private static async Task<(JsonNode Ack, JsonNode Reply)> ClickAsync(DiscordTestHost host, string customId, JsonNode? components = null, string userId = Events.UserId)
    {
        var click = Events.Click(customId, userId: userId, messageComponents: components);
        await host.Fake.DispatchAsync("INTERACTION_CREATE", click);
        var token = (string)click["token"]!;
        bool Patched(RecordedRequest r) => r.Method == "PATCH" && r.Path.Contains("/" + token + "/messages/@original", StringComparison.Ordinal);
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Requests.Any(Patched), "the reply to " + customId);
        var ack = Assert.Single(host.Fake.RequestsTo("POST", "/interactions/" + (string)click["id"]! + "/"));
        return (ack.Json!, host.Fake.Requests.Single(Patched).Json!);
    }

    private static void AssertEphemeralDeferral(JsonNode ack)
    {
        Assert.Equal(5, ack["type"]!.GetValue<int>()); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
        Assert.Equal(64, ack["data"]!["flags"]!.GetValue<int>()); // EPHEMERAL: only the clicker sees what follows
    }

    private static void AssertShows(JsonNode reply, Bot.Core.Search.PassageWithNeighbours expected, UiText ui)
    {
        var embed = Assert.Single(reply["embeds"]!.AsArray())!;
        var description = embed["description"]!.GetValue<string>();
        Assert.InRange(description.Length, 1, 4096);
        Assert.Contains(expected.Article.Title, embed["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(ui.Passage(expected.Passage.Ordinal), embed["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(DiscordMarkdown.Escape(expected.Passage.Text), description, StringComparison.Ordinal);
        if (expected.Previous is { } previous)
        {
            Assert.Contains("**" + ui.PreviousPassage + "**", description, StringComparison.Ordinal);
            Assert.Contains(DiscordMarkdown.Escape(previous.Text).Split('\n')[0], description, StringComparison.Ordinal);
        }

        if (expected.Next is { } next)
        {
            Assert.Contains("**" + ui.NextPassage + "**", description, StringComparison.Ordinal);
            Assert.Contains(DiscordMarkdown.Escape(next.Text).Split('\n')[0], description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WholePassage_OnAnAnswer_GoesOnlyToTheClicker_WithItsNeighbours()
    {
        await using var host = await StartAsync();
        var expectedAnswer = await TestCore.Handler.AskAsync(Question, new QueryContext("test", ""), 3, CancellationToken.None);
        var best = expectedAnswer.Best!;
        var answer = await AskAsync(host, Question);
        var button = Assert.Single(PassageButtons(answer));
        Assert.Equal(WholePassages.CustomId(best.DocId, best.Passage), button["custom_id"]!.GetValue<string>());
        Assert.Equal(UiText.Korean.WholePassageButton, button["label"]!.GetValue<string>());
        Assert.NotNull((answer["components"]!.AsArray()).SelectMany(r => r!["components"]!.AsArray()).SingleOrDefault(b => b!["custom_id"]!.GetValue<string>().StartsWith("more:", StringComparison.Ordinal)));

        var (ack, reply) = await ClickAsync(host, button["custom_id"]!.GetValue<string>(), answer["components"], userId: "555000000000000777");
        AssertEphemeralDeferral(ack);
        var expected = TestCore.Engine.Index.FindPassage(best.DocId, best.Passage)!;
        Assert.True(expected.Previous is not null || expected.Next is not null);
        AssertShows(reply, expected, UiText.Korean);

        // nothing public: the answer is the one message posted, and no channel message or follow-up carries the passage
        Assert.Single(host.Fake.CreatedMessages);
        Assert.DoesNotContain(host.Fake.Requests, r => r.Method == "POST" && r.Path.StartsWith("/webhooks/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADecline_OffersItsClosestPassages_EachShownWholeToTheClicker()
    {
        await using var host = await StartAsync();
        var expectedAnswer = await TestCore.Handler.AskAsync(Declined, new QueryContext("test", ""), 3, CancellationToken.None);
        Assert.Equal(AnswerStatus.NotFound, expectedAnswer.Status);
        var decline = await AskAsync(host, Declined);
        Assert.Contains(UiText.Korean.NotFoundIntro, decline["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var buttons = PassageButtons(decline);
        Assert.Equal(expectedAnswer.Citations.Take(WholePassages.MaxChoices).Select(c => WholePassages.CustomId(c.DocId, c.Passage)),
            buttons.Select(b => b["custom_id"]!.GetValue<string>()));
        Assert.All(buttons, b => Assert.InRange(b["label"]!.GetValue<string>().Length, 1, 80));
        Assert.All(buttons, b => Assert.StartsWith("전체 보기: ", b["label"]!.GetValue<string>(), StringComparison.Ordinal));

        var chosen = expectedAnswer.Citations[buttons.Count - 1];
        var (ack, reply) = await ClickAsync(host, buttons[^1]["custom_id"]!.GetValue<string>(), decline["components"]);
        AssertEphemeralDeferral(ack);
        AssertShows(reply, TestCore.Engine.Index.FindPassage(chosen.DocId, chosen.Passage)!, UiText.Korean);
        Assert.Single(host.Fake.CreatedMessages);
    }

    [Fact]
    public async Task ForgedMalformedAndUnknownIds_RefusedPolitely_ToTheClickerAlone_InTheirLanguage()
    {
        await using var host = await StartAsync();
        var first = TestCore.Engine.Articles()[0];
        foreach (var customId in new[] { "passage:", "passage:../etc/passwd#1", "passage:999_nosuch#1", $"passage:{first.DocId}#{first.PassageCount + 1}", $"passage:{first.DocId}#0" })
        {
            var (ack, reply) = await ClickAsync(host, customId);
            AssertEphemeralDeferral(ack);
            Assert.Equal(UiText.Korean.ButtonExpired, reply["content"]!.GetValue<string>());
            Assert.Null(reply["embeds"]?.AsArray().FirstOrDefault());
        }

        // an English answer's button: the refusal in English (read back from the button's label)
        var forged = "passage:999_nosuch#2";
        var components = JsonNode.Parse($$"""[{"type":1,"components":[{"type":2,"style":2,"custom_id":"{{forged}}","label":"{{UiText.English.WholePassageButton}}"}]}]""");
        var (_, english) = await ClickAsync(host, forged, components);
        Assert.Equal(UiText.English.ButtonExpired, english["content"]!.GetValue<string>());
        Assert.Empty(host.Fake.CreatedMessages); // nothing public
    }
}
