using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>
/// Issue 14: thousands of seeded random frames (random bytes as text and binary frames; random JSON shaped like
/// envelopes with wrong types and odd values) on one live Socket Mode connection. Nothing may throw past the parser,
/// every envelope with an id is acked once, the socket is never dropped, and a valid mention afterwards is answered.
/// "disconnect" frames are left out on purpose: they legitimately replace the socket.
/// </summary>
public sealed class SocketModeFuzzTests
{
    private const int Seed = 14_002;
    private const int Cases = 3000;

    [Fact]
    public async Task RandomFrames_NoErrorEveryEnvelopeAckedOnce_SocketKept_ValidMentionStillAnswered()
    {
        await using var host = await SlackTestHost.StartAsync(TestCore.Handler);
        var socket = await host.Fake.WaitForSocketAsync(1);
        var fuzz = new Fuzz(Seed);
        var expectedAcks = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            switch (fuzz.Random.Next(5))
            {
                case 0:
                    await socket.SendRawAsync(Encoding.UTF8.GetBytes(fuzz.Text()));
                    break;
                case 1:
                    await socket.SendRawAsync(fuzz.Bytes(), WebSocketMessageType.Binary);
                    break;
                default:
                    // random JSON of any shape (arrays, scalars, objects), or shaped like an envelope
                    var json = fuzz.Random.Next(4) == 0 ? fuzz.Value() : Envelope(fuzz, host, i);
                    if (json is JsonObject o && o["envelope_id"] is JsonValue id && id.TryGetValue<string>(out _) && o["type"]?.ToJsonString() != "\"hello\"")
                    {
                        expectedAcks++; // an envelope (whatever its type and payload) is acked once
                    }

                    await socket.SendRawAsync(Encoding.UTF8.GetBytes(json?.ToJsonString() ?? "null"));
                    break;
            }
        }

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count >= expectedAcks, $"{expectedAcks} acks");

        // the same connection still answers a real question
        await socket.SendAsync(FakeSlack.EventEnvelope("after-fuzz", "Ev-after-fuzz", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?", ts: "1754009999.000001")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Any(p => p["thread_ts"]?.GetValue<string>() == "1754009999.000001"), "the valid mention answered");
        watch.Stop();

        Assert.Equal(expectedAcks + 1, host.Fake.Acks.Count);
        Assert.Single(host.Fake.Sockets);
        Assert.False(socket.Closed);
        var errors = host.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message + " " + e.Exception).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(5)));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Exception is not null); // no stack traces for bad input
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    /// <summary>An envelope-shaped object: the usual fields, each sometimes of the wrong kind, plus random extras.</summary>
    internal static JsonObject Envelope(Fuzz f, SlackTestHost host, int i)
    {
        var type = f.Pick("events_api", "slash_commands", "interactive", "hello", "brand_new", f.Text(8));
        JsonNode? payload = type switch
        {
            "events_api" => EventCallback(f, i),
            "slash_commands" => new JsonObject
            {
                ["command"] = f.Sometimes(f.Pick("/ask", "/search", "/source", "/help", "/other")),
                ["text"] = f.Sometimes(f.Pick("딥시크", "", "What is DeepSeek?", f.Text(60))),
                ["response_url"] = f.Sometimes(host.Fake.ResponseUrl("fz" + i).ToString()),
                ["channel_id"] = f.Sometimes(f.Pick("C9", "D42", "")),
                ["user_id"] = f.Sometimes("U7"),
                ["trigger_id"] = f.Sometimes("fz-trigger-" + i),
            },
            "interactive" => Interactive(f, host, i),
            _ => f.Object(),
        };
        var envelope = new JsonObject
        {
            ["envelope_id"] = f.Sometimes("fz" + i),
            ["type"] = f.Sometimes(type),
            ["payload"] = f.Sometimes(payload),
            ["accepts_response_payload"] = f.Sometimes(f.Random.Next(2) == 0),
        };
        foreach (var (key, value) in f.Object(2, 2))
        {
            if (key is not ("envelope_id" or "type"))
            {
                envelope[key] = value?.DeepClone();
            }
        }

        return envelope;
    }

    internal static JsonObject EventCallback(Fuzz f, int i)
    {
        var ev = new JsonObject
        {
            ["type"] = f.Sometimes(f.Pick("app_mention", "message", "reaction_added")),
            ["subtype"] = f.Random.Next(3) == 0 ? f.Value(3) : null,
            ["text"] = f.Sometimes(f.Pick("<@U_BOT> 딥시크", "<@U_BOT>", "", f.Text(80))),
            ["user"] = f.Sometimes(f.Pick("U7", "U_BOT")),
            ["channel"] = f.Sometimes(f.Pick("C9", "D42")),
            ["channel_type"] = f.Sometimes(f.Pick("im", "channel")),
            ["ts"] = f.Sometimes("1754000000." + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)),
            ["thread_ts"] = f.Random.Next(3) == 0 ? f.Value(3) : null,
            ["bot_id"] = f.Random.Next(5) == 0 ? f.Value(3) : null,
        };
        return new JsonObject
        {
            ["type"] = f.Sometimes("event_callback"),
            ["event_id"] = f.Sometimes("Ev-fz" + i),
            ["event"] = f.Sometimes(ev),
        };
    }

    internal static JsonObject Interactive(Fuzz f, SlackTestHost host, int i)
    {
        var actions = new JsonArray();
        for (var a = f.Random.Next(3); a > 0; a--)
        {
            actions.Add(new JsonObject
            {
                ["type"] = f.Sometimes("button"),
                ["action_id"] = f.Sometimes(f.Pick("fb:up:x", "feedback:down:" + i, f.Text(20))),
                ["block_id"] = f.Sometimes(f.Pick("feedback:ko", "feedback:en", "x")),
            });
        }

        return new JsonObject
        {
            ["type"] = f.Sometimes(f.Pick("block_actions", "message_action", "view_submission")),
            ["callback_id"] = f.Sometimes("find_sources"),
            ["trigger_id"] = f.Sometimes("fz-t-" + i),
            ["actions"] = f.Sometimes(actions),
            ["user"] = f.Sometimes(new JsonObject { ["id"] = f.Sometimes("U7") }),
            ["channel"] = f.Sometimes(new JsonObject { ["id"] = f.Sometimes("C9") }),
            ["message"] = f.Sometimes(new JsonObject { ["text"] = f.Sometimes("딥시크 본사는 항저우에 있다"), ["ts"] = f.Sometimes("1754000400.000100") }),
            ["response_url"] = f.Sometimes(host.Fake.ResponseUrl("fzi" + i).ToString()),
        };
    }
}
