using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;

namespace Bot.Discord.Tests;

/// <summary>
/// The "More sources" button end to end: the real adapter against the fake Discord, the real Core and the real SQLite
/// store. Expected pages are computed from what the real Core retrieves, not written down.
/// </summary>
public sealed class DiscordMoreSourcesTests : IDisposable
{
    private const string Question = "딥시크 모델은 오픈소스야?";
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-discord-more");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<DiscordTestHost> StartAsync(string ttl = "01:00:00") =>
        DiscordTestHost.StartReadyAsync(c => c["Conversation:ContextTtl"] = ttl, storagePath: Path.Combine(_tmp.Path, "bot.db"));

    private static string? MoreButton(JsonNode body) =>
        (body["components"]?.AsArray() ?? []).Select(r => r!["components"]![0]!["custom_id"]!.GetValue<string>())
            .SingleOrDefault(id => id.StartsWith("more:", StringComparison.Ordinal));

    private static string AllText(JsonNode body) =>
        string.Join("\n", (body["embeds"]?.AsArray() ?? []).Select(e => (e!["description"]?.GetValue<string>() ?? "") + "\n" +
            string.Join("\n", (e["fields"]?.AsArray() ?? []).Select(f => f!["value"]!.GetValue<string>()))));

    private static RecordedRequest[] Patches(DiscordTestHost host, string token) =>
        host.Fake.Requests.Where(r => r.Method == "PATCH" && r.Path.Contains("/" + token + "/messages/@original", StringComparison.Ordinal)).ToArray();

    private static RecordedRequest[] Followups(DiscordTestHost host, string token) =>
        host.Fake.Requests.Where(r => r.Method == "POST" && r.Path == $"/webhooks/{FakeDiscordServer.AppId}/{token}").ToArray();

    private static async Task<string> AskAsync(DiscordTestHost host)
    {
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{FakeDiscordServer.BotUserId}> {Question}"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "the answer");
        return MoreButton(host.Fake.CreatedMessages.Single().Body) ?? throw new Xunit.Sdk.XunitException("no More sources button");
    }

    [Fact]
    public async Task MoreSources_AckedThenPagedInPlace_ToTheEnd_ThenTheButtonGoes()
    {
        await using var host = await StartAsync();
        var all = await TestCore.Handler.SearchAsync(Question, new QueryContext("test", ""), MoreSources.MaxResults, CancellationToken.None);
        Assert.True(all.Citations.Count >= 6, "the question must have several pages of sources");
        var ui = UiText.For(Language.Korean);
        string? button = await AskAsync(host);

        var shown = 3;
        var pages = 0;
        while (button is not null)
        {
            pages++;
            var click = Events.Click(button);
            await host.Fake.DispatchAsync("INTERACTION_CREATE", click);
            var token = (string)click["token"]!;
            await FakeDiscordServer.WaitUntilAsync(() => Patches(host, token).Length == 1, "the page");
            var ack = Assert.Single(host.Fake.RequestsTo("POST", "/interactions/" + (string)click["id"]! + "/"));
            Assert.Equal(6, ack.Json!["type"]!.GetValue<int>()); // DEFERRED_UPDATE_MESSAGE: the message is edited in place
            Assert.True(ack.RealTimestamp < Patches(host, token)[0].RealTimestamp);

            var page = Patches(host, token)[0].Json!;
            var text = AllText(page);
            Assert.Contains(DiscordSourceLinks.Citation(ui, all.Citations[0], 400), text, StringComparison.Ordinal); // the best stays
            foreach (var expected in all.Citations.Skip(shown).Take(2))
            {
                Assert.Contains("• " + DiscordSourceLinks.Citation(ui, expected, 300), text, StringComparison.Ordinal);
            }

            foreach (var earlier in all.Citations.Skip(1).Take(shown - 1))
            {
                Assert.DoesNotContain("• " + DiscordSourceLinks.Citation(ui, earlier, 300) + "\n", text, StringComparison.Ordinal); // replaced
            }

            Assert.NotNull(page["components"]); // sent even when empty, so a spent button is removed
            shown += 2;
            button = MoreButton(page);
            Assert.True(pages < 20, "pages must end");
        }

        Assert.Equal((all.Citations.Count - 3 + 1) / 2, pages);
        Assert.Single(host.Fake.CreatedMessages); // edited in place, never posted anew
    }

    [Fact]
    public async Task ForgedAndExpiredButtons_RefusedPolitely_ToTheClickerAlone()
    {
        await using var host = await StartAsync(ttl: "00:01:00");
        var button = await AskAsync(host);
        var expired = UiText.For(Language.Korean).ButtonExpired;
        host.Time.Advance(TimeSpan.FromSeconds(61));

        foreach (var customId in new[] { "more:0000000000000000:1", "more:x:1", button[..^1] + "77", button })
        {
            var click = Events.Click(customId);
            await host.Fake.DispatchAsync("INTERACTION_CREATE", click);
            var token = (string)click["token"]!;
            await FakeDiscordServer.WaitUntilAsync(() => Followups(host, token).Length == 1, "the note for " + customId);
            var note = Followups(host, token)[0].Json!;
            Assert.Equal(64, note["flags"]!.GetValue<int>());
            Assert.Equal(expired, note["content"]!.GetValue<string>());
            Assert.Empty(Patches(host, token));
        }
    }
}
