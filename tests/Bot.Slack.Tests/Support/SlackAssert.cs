using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Support;

/// <summary>Checks a posted message against Slack's Block Kit limits and our safety rules.</summary>
internal static class SlackAssert
{
    public static void ValidMessage(JsonObject body)
    {
        var text = body["text"]?.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(text), "text fallback must be non-empty");
        var blocks = body["blocks"]!.AsArray();
        Assert.InRange(blocks.Count, 1, 50);
        var total = text!.Length;
        foreach (var block in blocks)
        {
            var type = block!["type"]!.GetValue<string>();
            switch (type)
            {
                case "section":
                    var sectionText = block["text"]!["text"]!.GetValue<string>();
                    Assert.InRange(sectionText.Length, 1, 3000);
                    total += sectionText.Length;
                    break;
                case "context":
                    var elements = block["elements"]!.AsArray();
                    Assert.InRange(elements.Count, 1, 10);
                    total += elements.Sum(e => e!["text"]!.GetValue<string>().Length);
                    break;
                case "header":
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, 150);
                    break;
                case "divider":
                    break;
                case "actions":
                    var buttons = block["elements"]!.AsArray();
                    Assert.InRange(buttons.Count, 1, 25);
                    var ids = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var button in buttons)
                    {
                        Assert.Equal("button", button!["type"]!.GetValue<string>());
                        var actionId = button["action_id"]!.GetValue<string>();
                        Assert.InRange(actionId.Length, 1, 255);
                        Assert.True(ids.Add(actionId), "action_id must be unique in a message");
                        Assert.InRange(button["value"]?.GetValue<string>().Length ?? 0, 0, 2000);
                        Assert.Equal("plain_text", button["text"]!["type"]!.GetValue<string>());
                        Assert.InRange(button["text"]!["text"]!.GetValue<string>().Length, 1, 75);
                    }

                    Assert.InRange(block["block_id"]?.GetValue<string>().Length ?? 0, 0, 255);
                    break;
                default:
                    Assert.Fail("unexpected block type " + type);
                    break;
            }
        }

        Assert.True(total < 12_000, $"message too large: {total} chars");
        NoMentionTokens(body.ToJsonString());
    }

    public static void NoMentionTokens(string json)
    {
        foreach (var token in new[] { "<!channel>", "<!here>", "<!everyone>", "<@U", "<!subteam", "\\u003C!channel", "\\u003C@" })
        {
            Assert.DoesNotContain(token, json, StringComparison.OrdinalIgnoreCase);
        }
    }

    public static IEnumerable<string> MrkdwnTexts(JsonObject body)
    {
        foreach (var block in body["blocks"]!.AsArray())
        {
            if (block!["text"]?["text"] is { } t)
            {
                yield return t.GetValue<string>();
            }

            if (block["elements"] is JsonArray elements)
            {
                foreach (var e in elements)
                {
                    if (e!["text"] is JsonValue value)
                    {
                        yield return value.GetValue<string>();
                    }
                }
            }
        }
    }
}
