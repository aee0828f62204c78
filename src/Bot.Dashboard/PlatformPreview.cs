using System.Net;
using System.Text;
using System.Text.Json;

namespace Bot.Dashboard;

/// <summary>A run of message text, bold or not (markup already interpreted; shown escaped by Razor).</summary>
public readonly record struct TextRun(string Text, bool Bold);

/// <summary>A block of a previewed chat message: a heading, a paragraph of runs, a small context line, or buttons.</summary>
public sealed record PreviewBlock(string Kind, IReadOnlyList<TextRun> Runs, IReadOnlyList<string> Buttons);

/// <summary>How a platform would show an answer, read back from the real renderer's JSON payload.</summary>
public sealed record PlatformView(string Platform, IReadOnlyList<PreviewBlock> Blocks, string Json);

/// <summary>Reads the Discord and Slack payloads back into blocks the dashboard can draw (Markdown / mrkdwn bold only).</summary>
public static class PlatformPreview
{
    public static PlatformView Read(string platform, string json)
    {
        using var doc = JsonDocument.Parse(json);
        var blocks = platform == "slack" ? Slack(doc.RootElement) : Discord(doc.RootElement);
        var pretty = JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return new PlatformView(platform, blocks, pretty);
    }

    private static List<PreviewBlock> Discord(JsonElement root)
    {
        var list = new List<PreviewBlock>();
        if (Str(root, "content") is { Length: > 0 } content)
        {
            list.Add(new("text", DiscordRuns(content), []));
        }

        foreach (var embed in Arr(root, "embeds"))
        {
            if (Str(embed, "title") is { Length: > 0 } title)
            {
                list.Add(new("heading", [new(title, true)], []));
            }

            if (Str(embed, "description") is { Length: > 0 } description)
            {
                list.Add(new("text", DiscordRuns(description), []));
            }

            foreach (var field in Arr(embed, "fields"))
            {
                list.Add(new("field", [new(Str(field, "name") ?? "", true)], []));
                list.Add(new("text", DiscordRuns(Str(field, "value") ?? ""), []));
            }

            if (embed.TryGetProperty("footer", out var footer) && Str(footer, "text") is { Length: > 0 } f)
            {
                list.Add(new("context", [new(f, false)], []));
            }
        }

        var buttons = Arr(root, "components").SelectMany(row => Arr(row, "components")).Select(b => $"{(b.TryGetProperty("emoji", out var e) ? Str(e, "name") + " " : "")}{Str(b, "label")}".Trim()).ToList();
        if (buttons.Count > 0)
        {
            list.Add(new("buttons", [], buttons));
        }

        return list;
    }

    private static List<PreviewBlock> Slack(JsonElement root)
    {
        var list = new List<PreviewBlock>();
        foreach (var block in Arr(root, "blocks"))
        {
            switch (Str(block, "type"))
            {
                case "header":
                    list.Add(new("heading", [new(SlackDecode(Text(block) ?? ""), true)], []));
                    break;
                case "section":
                    list.Add(new("text", SlackRuns(Text(block) ?? ""), []));
                    foreach (var field in Arr(block, "fields"))
                    {
                        list.Add(new("text", SlackRuns(Str(field, "text") ?? ""), []));
                    }

                    break;
                case "context":
                    list.Add(new("context", Arr(block, "elements").SelectMany(e => SlackRuns((Str(e, "text") ?? "") + " ")).ToList(), []));
                    break;
                case "actions":
                    list.Add(new("buttons", [], Arr(block, "elements").Select(e => SlackDecode(Text(e) ?? "")).ToList()));
                    break;
                case "divider":
                    list.Add(new("divider", [], []));
                    break;
            }
        }

        if (list.Count == 0 && Str(root, "text") is { Length: > 0 } text)
        {
            list.Add(new("text", SlackRuns(text), []));
        }

        return list;
    }

    /// <summary>Discord Markdown: <c>**bold**</c>; backslash escapes are undone.</summary>
    public static List<TextRun> DiscordRuns(string s) => Runs(s, "**", unescape: true);

    /// <summary>Slack mrkdwn: <c>*bold*</c>; &amp;amp; &amp;lt; &amp;gt; are decoded.</summary>
    public static List<TextRun> SlackRuns(string s) => Runs(SlackDecode(s), "*", unescape: false);

    private static string SlackDecode(string s) => WebUtility.HtmlDecode(s);

    private static List<TextRun> Runs(string s, string marker, bool unescape)
    {
        var runs = new List<TextRun>();
        var sb = new StringBuilder();
        var bold = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (unescape && s[i] == '\\' && i + 1 < s.Length && !char.IsLetterOrDigit(s[i + 1]))
            {
                sb.Append(s[++i]);
                continue;
            }

            if (string.CompareOrdinal(s, i, marker, 0, marker.Length) == 0)
            {
                if (sb.Length > 0)
                {
                    runs.Add(new(sb.ToString(), bold));
                    sb.Clear();
                }

                bold = !bold;
                i += marker.Length - 1;
                continue;
            }

            sb.Append(s[i]);
        }

        if (sb.Length > 0)
        {
            runs.Add(new(sb.ToString(), bold));
        }

        return runs;
    }

    private static string? Text(JsonElement e) => e.TryGetProperty("text", out var t) ? t.ValueKind == JsonValueKind.String ? t.GetString() : Str(t, "text") : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Arr(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [];
}
