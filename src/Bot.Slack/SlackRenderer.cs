using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Bot.Core.Storage;
using Bot.Slack.WebApi;

namespace Bot.Slack;

/// <summary>
/// Turns platform-neutral answers and messages into Block Kit plus a plain-text <c>text</c> fallback, within Slack's limits
/// (≤ 50 blocks, section text ≤ 3000, context ≤ 10 elements, header ≤ 150) and with all article/user text escaped
/// (see <see cref="SlackText"/>). Matched words are bold; the citation goes on a context line.
/// </summary>
internal sealed class SlackRenderer
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxContextElements = 10;
    public const int MaxHeaderText = 150;
    public const int MaxFallbackText = 3000;
    public const int MaxButtonText = 75;

    /// <summary>Digest pages stay well under the ~12-13k characters at which Slack starts refusing messages.</summary>
    public const int MaxMessageChars = 9000;

    /// <summary>Blocks per digest page (margin under 50).</summary>
    public const int MaxBlocksPerPage = 40;

    /// <summary>Block id of the feedback buttons' actions block: "feedback:ko" / "feedback:en" (the click's reply language).</summary>
    public const string FeedbackBlockPrefix = "feedback:";

    /// <summary>
    /// Renders an answer. With <paramref name="feedbackId"/> (an <see cref="Bot.Core.Storage.AnswerRecord.NewId"/> id) an
    /// answer that <see cref="FeedbackVotes.IsRateable"/> ends with an actions block of two buttons (👍 / 👎, labels in the answer's
    /// language, action_id and value <c>fb:{id}:up|down</c>).
    /// </summary>
    public SlackMessage RenderAnswer(Answer answer, int maxSources = 3, string? feedbackId = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var ui = UiText.For(answer.Language);
        if (answer.Status != AnswerStatus.Answered || answer.Best is null)
        {
            var message = answer.Decline?.Message ?? ui.NotFoundIntro;
            var notice = RenderNotice(message);
            if (feedbackId is not null && FeedbackVotes.IsRateable(answer))
            {
                notice.Blocks.Add(FeedbackBlock(feedbackId, answer.Language));
            }

            return notice;
        }

        var blocks = new JsonArray();
        var best = answer.Best;
        blocks.Add(Section(QuoteSnippet(best.Snippet)));
        blocks.Add(Context(Mrkdwn($"*{SlackText.Escape(ui.SourcesHeading)}*: {SlackSourceLinks.Citation(ui, best)}")));

        var more = answer.Citations.Skip(1).Take(Math.Clamp(maxSources - 1, 0, 9)).ToList();
        if (more.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "divider" });
            blocks.Add(Section($"*{SlackText.Escape(ui.MoreSourcesHeading)}*"));
            foreach (var citation in more)
            {
                blocks.Add(Section(QuoteSnippet(citation.Snippet)));
                blocks.Add(Context(Mrkdwn(SlackSourceLinks.Citation(ui, citation))));
            }
        }

        var fallback = new StringBuilder();
        fallback.Append(Plain(best.Snippet.Text, 600)).Append(" (").Append(ui.CitationLine(best)).Append(')');
        foreach (var citation in more)
        {
            fallback.Append(" · ").Append(ui.CitationLine(citation));
        }

        if (feedbackId is not null)
        {
            blocks.Add(FeedbackBlock(feedbackId, answer.Language));
        }

        return new SlackMessage(SlackText.EscapeWithin(fallback.ToString(), MaxFallbackText), blocks);
    }

    /// <summary>The language a feedback click should be answered in, from the clicked block's id (null when not ours).</summary>
    public static Language? FeedbackLanguage(string? blockId) => BlockLanguage(FeedbackBlockPrefix, blockId);

    /// <summary>The id of one of our actions blocks: its kind's prefix and the answer's language ("more:en").</summary>
    internal static string BlockId(string prefix, Language language) => prefix + (language == Language.English ? "en" : "ko");

    /// <summary>The language read back from a clicked block's id made by <see cref="BlockId"/> (null when not ours).</summary>
    internal static Language? BlockLanguage(string prefix, string? blockId) =>
        blockId == BlockId(prefix, Language.Korean) ? Language.Korean
        : blockId == BlockId(prefix, Language.English) ? Language.English
        : null;

    /// <summary>Inserts an actions block under the answer, above the feedback buttons (which stay last) when there are any.</summary>
    internal static SlackMessage InsertAboveFeedback(SlackMessage message, JsonObject block)
    {
        var last = message.Blocks.Count > 0 ? message.Blocks[^1] : null;
        var at = last?["block_id"]?.GetValue<string>().StartsWith(FeedbackBlockPrefix, StringComparison.Ordinal) == true
            ? message.Blocks.Count - 1
            : message.Blocks.Count;
        message.Blocks.Insert(at, block);
        return message;
    }

    internal static JsonObject FeedbackBlock(string feedbackId, Language language)
    {
        var ui = UiText.For(language);
        return new JsonObject
        {
            ["type"] = "actions",
            ["block_id"] = BlockId(FeedbackBlockPrefix, language),
            ["elements"] = new JsonArray
            {
                Button("\U0001F44D " + ui.FeedbackHelpful, AnswerRecord.FeedbackCustomId(feedbackId, up: true)),
                Button("\U0001F44E " + ui.FeedbackNotHelpful, AnswerRecord.FeedbackCustomId(feedbackId, up: false)),
            },
        };
    }

    private static JsonObject Button(string label, string id) => new()
    {
        ["type"] = "button",
        ["action_id"] = id,
        ["value"] = id,
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = TextCutter.Cut(PlainSafe(label), MaxButtonText), ["emoji"] = true },
    };

    public SlackMessage RenderSource(SourceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ui = UiText.For(result.Language);
        var blocks = new JsonArray();
        if (result.Article is { } article)
        {
            blocks.Add(Section($"{SlackSourceLinks.ArticleTitle(article, 500)}\n{Quote(SlackText.EscapeWithin(article.Opening, 2000))}"));
            blocks.Add(Context([Mrkdwn(SlackText.Escape(string.Format(CultureInfo.InvariantCulture, ui.PassageCountLabel, article.PassageCount))),
                Mrkdwn(SlackText.EscapeWithin(article.DocId, 200)), .. SlackSourceLinks.Byline(article) is { } by ? [Mrkdwn(by)] : Array.Empty<JsonObject>()]));
            return new SlackMessage(SlackText.EscapeWithin($"{article.Title}: {article.Opening}", MaxFallbackText), blocks);
        }

        var text = new StringBuilder(SlackText.Escape(string.Format(CultureInfo.InvariantCulture, ui.SourceNotFound, TextCutter.Cut(result.Query, 200))));
        if (result.Suggestions.Count > 0)
        {
            text.Append('\n').Append(SlackText.Escape(ui.SourceSuggestions));
            foreach (var suggestion in result.Suggestions.Take(10))
            {
                text.Append("\n• ").Append(SlackText.EscapeWithin(suggestion.Title, 200));
            }
        }

        var mrkdwn = text.ToString();
        blocks.Add(Section(mrkdwn.Length <= MaxSectionText ? mrkdwn : mrkdwn[..SafeCut(mrkdwn, MaxSectionText)]));
        return new SlackMessage(SlackText.EscapeWithin(string.Format(CultureInfo.InvariantCulture, ui.SourceNotFound, result.Query), MaxFallbackText), blocks);
    }

    public SlackMessage RenderHelp(Language language)
    {
        var ui = UiText.For(language);
        var blocks = new JsonArray
        {
            Section($"*{SlackText.Escape(ui.HelpTitle)}*\n{SlackText.EscapeWithin(ui.HelpBody, MaxSectionText - 200)}"),
        };
        return new SlackMessage(SlackText.EscapeWithin(ui.HelpTitle + ": " + ui.HelpBody, MaxFallbackText), blocks);
    }

    /// <summary>A one-section message (decline reasons, polite errors, "working…").</summary>
    public SlackMessage RenderNotice(string text)
    {
        var escaped = SlackText.EscapeWithin(text, MaxSectionText);
        return new SlackMessage(SlackText.EscapeWithin(text, MaxFallbackText), new JsonArray { Section(escaped) });
    }

    /// <summary>
    /// Renders a digest into one or more messages (pages), in order, each ≤ <see cref="MaxBlocksPerPage"/> blocks and
    /// ≤ <see cref="MaxMessageChars"/> characters of text; an item and its citation never straddle two pages.
    /// </summary>
    public IReadOnlyList<SlackMessage> RenderDigest(BotMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ui = UiText.For(message.Language);
        var units = new List<List<JsonObject>>();
        foreach (var section in message.Sections)
        {
            var heading = Section($"*{SlackText.EscapeWithin(section.Heading, 500)}*");
            if (section.Items.Count == 0)
            {
                units.Add([heading]);
                continue;
            }

            for (var i = 0; i < section.Items.Count; i++)
            {
                var unit = new List<JsonObject>();
                if (i == 0)
                {
                    unit.Add(heading);
                }

                var item = section.Items[i];
                foreach (var chunk in SlackText.EscapeAndSplit(item.Text, MaxSectionText))
                {
                    unit.Add(Section(chunk));
                }

                if (item.Citation is { } citation)
                {
                    unit.Add(Section(QuoteSnippet(citation.Snippet)));
                    unit.Add(Context(Mrkdwn($"*{SlackText.Escape(ui.SourcesHeading)}*: {SlackSourceLinks.Citation(ui, citation)}")));
                }

                units.Add(unit);
            }
        }

        JsonObject? footer = string.IsNullOrWhiteSpace(message.Footer) ? null : Context(Mrkdwn(SlackText.EscapeWithin(message.Footer, 2000)));
        var headerReserve = 2 + (footer is null ? 0 : 1);
        var pages = new List<List<JsonObject>>();
        var current = new List<JsonObject>();
        var chars = 0;
        foreach (var unit in units)
        {
            var unitChars = unit.Sum(CountChars);
            if (current.Count > 0 && (current.Count + unit.Count + headerReserve > MaxBlocksPerPage || chars + unitChars > MaxMessageChars - 600))
            {
                pages.Add(current);
                current = [];
                chars = 0;
            }

            if (unit.Count + headerReserve > MaxBlocksPerPage || unitChars > MaxMessageChars - 600)
            {
                // a single enormous item: split its blocks over pages (still in order)
                foreach (var block in unit)
                {
                    if (current.Count + 1 + headerReserve > MaxBlocksPerPage || chars + CountChars(block) > MaxMessageChars - 600)
                    {
                        pages.Add(current);
                        current = [];
                        chars = 0;
                    }

                    current.Add(block);
                    chars += CountChars(block);
                }

                continue;
            }

            current.AddRange(unit);
            chars += unitChars;
        }

        if (current.Count > 0 || pages.Count == 0)
        {
            pages.Add(current);
        }

        var result = new List<SlackMessage>(pages.Count);
        for (var p = 0; p < pages.Count; p++)
        {
            var title = pages.Count == 1
                ? message.Title
                : string.Create(CultureInfo.InvariantCulture, $"{message.Title} ({p + 1}/{pages.Count})");
            var blocks = new JsonArray { Header(title) };
            foreach (var block in pages[p])
            {
                blocks.Add(block);
            }

            if (footer is not null && p == pages.Count - 1)
            {
                blocks.Add(footer);
            }

            var firstText = message.Sections.SelectMany(s => s.Items).FirstOrDefault()?.Text;
            var fallback = p == 0 && firstText is not null ? $"{title} — {firstText}" : title;
            result.Add(new SlackMessage(SlackText.EscapeWithin(fallback, 500), blocks));
        }

        return result;
    }

    /// <summary>
    /// The snippet as a mrkdwn block quote, its highlighted segments (<see cref="SnippetSegments"/>) in bold; a zero-width
    /// space separates a marker from an adjacent letter so bold works inside Korean words.
    /// </summary>
    internal static string QuoteSnippet(Snippet snippet)
    {
        var text = snippet.Text ?? "";
        var sb = new StringBuilder(text.Length * 2);
        if (snippet.CutAtStart)
        {
            sb.Append(SlackText.Ellipsis);
        }

        var segments = SnippetSegments.Of(snippet);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (!segment.Highlighted)
            {
                SlackText.AppendEscaped(sb, segment.Text);
                continue;
            }

            if (sb.Length > 0 && SlackText.IsWordChar(sb[^1]))
            {
                sb.Append(SlackText.ZeroWidthSpace);
            }

            sb.Append('*');
            SlackText.AppendEscaped(sb, segment.Text);
            sb.Append('*');
            if (i + 1 < segments.Count && SlackText.IsWordChar(segments[i + 1].Text[0]))
            {
                sb.Append(SlackText.ZeroWidthSpace);
            }
        }

        if (snippet.CutAtEnd)
        {
            sb.Append(SlackText.Ellipsis);
        }

        var quoted = Quote(sb.ToString());
        return quoted.Length <= MaxSectionText ? quoted : Quote(SlackText.EscapeWithin(text, MaxSectionText - 200));
    }

    private static string Quote(string mrkdwn)
    {
        var lines = mrkdwn.Split('\n');
        return string.Join('\n', lines.Where(l => l.Trim().Length > 0).Select(l => "> " + l.Trim()));
    }

    private static string Plain(string text, int max) => TextCutter.Cut(text.ReplaceLineEndings(" "), max);

    private static int SafeCut(string text, int max)
    {
        var cut = max;
        if (cut < text.Length && char.IsLowSurrogate(text[cut]))
        {
            cut--;
        }

        // do not end inside an entity such as &amp;
        var amp = text.LastIndexOf('&', cut - 1, Math.Min(5, cut));
        if (amp >= 0 && text.IndexOf(';', amp) >= cut)
        {
            cut = amp;
        }

        return cut;
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = Mrkdwn(mrkdwn),
    };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text, ["verbatim"] = true };

    private static JsonObject Context(params JsonObject[] elements)
    {
        var array = new JsonArray();
        foreach (var element in elements.Take(MaxContextElements))
        {
            array.Add(element);
        }

        return new JsonObject { ["type"] = "context", ["elements"] = array };
    }

    private static JsonObject Header(string text) => new()
    {
        ["type"] = "header",
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = TextCutter.Cut(PlainSafe(text), MaxHeaderText), ["emoji"] = false },
    };

    /// <summary>plain_text is never parsed for mentions, but angle brackets are still swapped for look-alikes (‹ ›) so no
    /// raw "&lt;!channel&gt;" ever appears in what we send.</summary>
    private static string PlainSafe(string text) => text.ReplaceLineEndings(" ").Replace('<', '\u2039').Replace('>', '\u203A');

    private static int CountChars(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Sum(p => p.Key == "text" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s.Length : CountChars(p.Value)),
        JsonArray array => array.Sum(CountChars),
        _ => 0,
    };
}
