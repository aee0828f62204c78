using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.TestSupport;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Gateway;

/// <summary>
/// Issue 14: thousands of seeded random frames on one live gateway connection: random bytes (as text), random JSON, and
/// dispatches shaped like MESSAGE_CREATE / INTERACTION_CREATE with fields of the wrong kind, odd sequence numbers and
/// random extras. No error may be logged, the connection is never dropped or re-identified, and a valid mention
/// afterwards is answered. Ops 1, 7, 9 and 10 and READY are left out on purpose: they legitimately beat, reconnect or
/// re-identify.
/// </summary>
public sealed class GatewayDispatchFuzzTests
{
    private const int Seed = 14_003;
    private const int Cases = 3000;

    [Fact]
    public async Task RandomFrames_NoErrorNoReconnect_ValidMentionStillAnswered()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var conn = host.Fake.Current!;
        var fuzz = new Fuzz(Seed);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            var frame = fuzz.Random.Next(6) switch
            {
                0 => fuzz.Text(),
                1 => fuzz.Value()?.ToJsonString() ?? "null",
                _ => Dispatch(fuzz).ToJsonString(),
            };
            await conn.SendRawAsync(frame);
        }

        // a real mention after the garbage (no sequence number, so no random "s" can make it look like a replay)
        var valid = JsonSerializer.Serialize(Events.Guild($"<@{FakeDiscordServer.BotUserId}> 딥시크 본사는 어디에 있나요?", id: "1499999999999999999"));
        await conn.SendRawAsync($$"""{"op":0,"s":null,"t":"MESSAGE_CREATE","d":{{valid}}}""");
        await FakeDiscordServer.WaitUntilAsync(
            () => host.Fake.CreatedMessages.Any(m => m.Body["message_reference"]?["message_id"]?.GetValue<string>() == "1499999999999999999"), "the valid mention answered");
        watch.Stop();

        Assert.Single(host.Fake.Connections);
        Assert.True(conn.IsOpen);
        Assert.Equal(1, host.Gateway.IdentifyCount);
        Assert.Equal(0, host.Gateway.ResumeCount);
        var errors = host.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message + " " + e.Exception).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(5)));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Exception is not null);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    private static JsonObject Dispatch(Fuzz f)
    {
        JsonNode? d = f.Random.Next(5) switch
        {
            0 => Mutate(f, JsonSerializer.SerializeToNode(Events.Guild(f.Pick($"<@{FakeDiscordServer.BotUserId}> 딥시크", "", f.Text(60)), mentionBot: f.Random.Next(2) == 0))!.AsObject()),
            1 => Mutate(f, JsonSerializer.SerializeToNode(Events.Dm(f.Pick("딥시크 본사", "", f.Text(60))))!.AsObject()),
            2 => Mutate(f, JsonSerializer.SerializeToNode(Events.Command(f.Pick("ask", "search", "source", "help", "nope"),
                [Events.Option(f.Pick("question", "query", "document", "top"), f.Pick<object>("딥시크", 3, "", 1e300, true))]))!.AsObject()),
            3 => Mutate(f, JsonSerializer.SerializeToNode(f.Random.Next(2) == 0 ? Events.FindSources(f.Text(80)) : Events.Click(f.Pick("fb:up:x", "feedback:down:1", f.Text(20))))!.AsObject()),
            _ => f.Object(),
        };
        var dispatch = new JsonObject
        {
            ["op"] = f.Sometimes(f.Pick(0, 0, 0, 11, 3, 42)),
            ["s"] = f.Pick<JsonNode?>(null, f.Random.Next(1, 1_000_000), 1.5, 1e300, -5, "12", f.Value(3)),
            ["t"] = f.Sometimes(f.Pick("MESSAGE_CREATE", "INTERACTION_CREATE", "GUILD_CREATE", "TYPING_START", f.Text(10))),
            ["d"] = f.Sometimes(d),
        };
        if (dispatch["op"] is JsonValue op && op.TryGetValue<int>(out var n) && n is 1 or 7 or 9 or 10)
        {
            dispatch["op"] = 0;
        }

        if (dispatch["t"]?.ToJsonString() is "\"READY\"")
        {
            dispatch["t"] = "MESSAGE_CREATE";
        }

        return dispatch;
    }

    /// <summary>Replaces a few fields (top level and one level down) with random values, and adds random extras.</summary>
    private static JsonObject Mutate(Fuzz f, JsonObject obj)
    {
        foreach (var key in obj.Select(p => p.Key).ToArray())
        {
            if (f.Random.Next(5) == 0)
            {
                obj[key] = f.Value(2);
            }
            else if (obj[key] is JsonObject inner && f.Random.Next(3) == 0)
            {
                Mutate(f, inner);
            }
        }

        foreach (var (key, value) in f.Object(3, 2))
        {
            obj[key] = value?.DeepClone();
        }

        return obj;
    }
}
