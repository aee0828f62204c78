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
/// The "More sources" button end to end over Socket Mode: the real adapter against the fake Slack, the real Core and the
/// real SQLite store. Expected pages are computed from what the real Core retrieves, not written down.
/// </summary>
public sealed class SlackMoreSourcesTests : IDisposable
{
    private const string Question = "딥시크 모델은 오픈소스야?";
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-more");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<(SlackTestHost Host, FakeSlackSocket Socket)> StartAsync(string ttl = "01:00:00") => SlackTestHost.StartWithStorageAsync(_tmp.Path, ttl);

    private static string? MoreButton(JsonObject message) =>
        message["blocks"]!.AsArray().Select(b => b!.AsObject())
            .Where(b => b["type"]!.GetValue<string>() == "actions" && b["block_id"]?.GetValue<string>() == "more:ko")
            .Select(b => b["elements"]![0]!["action_id"]!.GetValue<string>()).SingleOrDefault();

    private static string Texts(JsonObject message) => string.Join("\n", SlackAssert.MrkdwnTexts(message));

    private static async Task<JsonObject> ClickAsync(SlackTestHost host, FakeSlackSocket socket, string actionId, string id)
    {
        await socket.SendAsync(FakeSlack.InteractiveEnvelope("env-" + id,
            FakeSlack.BlockActionsPayload(actionId, "U8", host.Fake.ResponseUrl(id).ToString(), blockId: "more:ko", buttonText: "출처 더 보기")));
        return (await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(p => p.Id == id), "the reply to click " + id)).Json!;
    }

    [Fact]
    public async Task MoreSources_PagesThroughTheResultsInPlace_ToTheEnd_ThenStops()
    {
        var (host, socket) = await StartAsync();
        await using var _h = host;
        var all = await TestCore.Handler.SearchAsync(Question, new QueryContext("test", ""), MoreSources.MaxResults, CancellationToken.None);
        Assert.True(all.Citations.Count >= 6, "the question must have several pages of sources");
        var ui = UiText.For(Language.Korean);

        await socket.SendAsync(FakeSlack.EventEnvelope("m", "Ev-m", FakeSlack.Mention("<@U_BOT> " + Question)));
        var answer = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "the answer");
        var action = MoreButton(answer);
        Assert.NotNull(action);

        var shown = 3; // the answer: the best source and two more
        var page = 0;
        while (action is not null)
        {
            page++;
            var reply = await ClickAsync(host, socket, action, "p" + page);
            SlackAssert.ValidMessage(reply);
            Assert.True(reply["replace_original"]!.GetValue<bool>());
            var text = Texts(reply);
            Assert.Contains(SlackSourceLinks.Citation(ui, all.Citations[0]), text, StringComparison.Ordinal); // the best stays
            foreach (var expected in all.Citations.Skip(shown).Take(2))
            {
                Assert.Contains(SlackSourceLinks.Citation(ui, expected), text, StringComparison.Ordinal);
            }

            foreach (var earlier in all.Citations.Skip(1).Take(shown - 1))
            {
                Assert.DoesNotContain(SlackSourceLinks.Citation(ui, earlier), text, StringComparison.Ordinal); // replaced, not appended
            }

            shown += 2;
            action = MoreButton(reply);
            Assert.True(page < 20, "pages must end");
        }

        Assert.True(shown >= all.Citations.Count, $"stopped after {shown} of {all.Citations.Count} sources");
        Assert.Equal((all.Citations.Count - 3 + 1) / 2, page); // every further source shown once, two a page
    }

    [Fact]
    public async Task ForgedAndExpiredButtons_RefusedPolitely_ToTheClickerAlone()
    {
        var (host, socket) = await StartAsync(ttl: "00:01:00");
        await using var _h = host;
        await socket.SendAsync(FakeSlack.EventEnvelope("m", "Ev-m", FakeSlack.Mention("<@U_BOT> " + Question)));
        var answer = await host.Fake.WaitForAsync(() => host.Fake.Posts.FirstOrDefault(), "the answer");
        var action = MoreButton(answer)!;
        var expired = UiText.For(Language.Korean).ButtonExpired;

        foreach (var (forged, id) in new[] { ("more:0000000000000000:1", "f1"), ("more:not-an-id:1", "f2"), (action[..^1] + "99", "f3") })
        {
            var note = await ClickAsync(host, socket, forged, id);
            Assert.Equal("ephemeral", note["response_type"]!.GetValue<string>());
            Assert.False(note["replace_original"]!.GetValue<bool>());
            Assert.Contains(expired, note["text"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        host.Clock.Advance(TimeSpan.FromSeconds(61));
        var late = await ClickAsync(host, socket, action, "late");
        Assert.Equal("ephemeral", late["response_type"]!.GetValue<string>());
        Assert.Contains(expired, late["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(host.Fake.Posts); // nothing public
    }
}
