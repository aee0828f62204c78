using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Core.Chat;
using Bot.Slack.WebApi;

namespace Bot.Slack.Events;

/// <summary>A slash command invocation (Socket Mode payload or HTTP form fields). Internal wire shape.</summary>
internal sealed record SlackSlashCommand(string Command, string Text, string ChannelId, string? ResponseUrl, string? TriggerId)
{
    public static SlackSlashCommand FromJson(JsonElement payload) => new(
        payload.GetString("command") ?? "",
        payload.GetString("text") ?? "",
        payload.GetString("channel_id") ?? "",
        payload.GetString("response_url"),
        payload.GetString("trigger_id"));

    public static SlackSlashCommand FromForm(IReadOnlyDictionary<string, string> form) => new(
        form.GetValueOrDefault("command") ?? "",
        form.GetValueOrDefault("text") ?? "",
        form.GetValueOrDefault("channel_id") ?? "",
        form.GetValueOrDefault("response_url"),
        form.GetValueOrDefault("trigger_id"));
}

/// <summary>Turns Slack message text into a plain question: markup tokens removed, entities unescaped.</summary>
internal static partial class SlackInboundText
{
    /// <summary>Strips user mentions, turns channel/link tokens into their labels, drops special mentions, then unescapes
    /// &amp;lt; &amp;gt; &amp;amp; (in that order, so "&amp;amp;lt;" stays "&amp;lt;").</summary>
    public static string ToQuestion(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var withoutTokens = TokenRegex().Replace(text, match =>
        {
            var body = match.Groups["body"].Value;
            var label = match.Groups["label"].Success ? match.Groups["label"].Value : null;
            if (body.StartsWith('@') || body.StartsWith('!'))
            {
                return " ";
            }

            if (body.StartsWith('#'))
            {
                return label is null ? " " : "#" + label;
            }

            return label ?? body; // a link
        });
        var unescaped = withoutTokens.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);
        return WhitespaceRegex().Replace(unescaped, " ").Trim();
    }

    [GeneratedRegex(@"<(?<body>[^<>|]*)(\|(?<label>[^<>]*))?>", RegexOptions.CultureInvariant)]
    private static partial Regex TokenRegex();

    [GeneratedRegex(@"[ \t\u00A0]+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespaceRegex();
}
