using System.Text;
using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Corpus;

namespace Bot.Discord;

/// <summary>
/// Citations and articles with a link to the original (<see cref="Citation.Url"/>, <see cref="ArticleMetadata.Url"/>):
/// the escaped title as a masked link <c>[title](url)</c> (embed descriptions and field values render those), then the
/// date and passage; without a link exactly the plain citation line as before.
/// </summary>
internal static class DiscordSourceLinks
{
    /// <summary>The citation line, its title linked when the article has a URL; at most <paramref name="max"/> UTF-16 units.</summary>
    public static string Citation(UiText ui, Citation citation, int max)
    {
        if (citation.Url is not { } url)
        {
            return DiscordMarkdown.EscapeAndCut(ui.CitationLine(citation), max);
        }

        var target = LinkTarget(url);
        var suffix = DiscordMarkdown.Escape(ui.CitationSuffix(citation));
        var room = max - target.Length - suffix.Length - 4;
        return room < 10
            ? DiscordMarkdown.EscapeAndCut(ui.CitationLine(citation), max)
            : $"[{DiscordMarkdown.EscapeAndCut(citation.Title, room)}]({target}){suffix}";
    }

    /// <summary>/source's heading line: the bold title (linked when there is a URL), then the date and author when known.</summary>
    public static string ArticleHeading(ArticleInfo article, int maxTitle)
    {
        var title = DiscordMarkdown.EscapeAndCut(article.Title, maxTitle);
        var sb = new StringBuilder("**");
        sb.Append(article.Metadata.Url is { } url ? $"[{title}]({LinkTarget(url)})" : title).Append("**\n");
        var byline = string.Join(" · ", new[] { article.Metadata.Published is { } d ? UiText.DateText(d) : null, article.Metadata.Author }.OfType<string>());
        if (byline.Length > 0)
        {
            sb.Append(DiscordMarkdown.EscapeAndCut(byline, 200)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The URL with the characters that would end a Markdown link target percent-encoded.</summary>
    internal static string LinkTarget(string url) => url
        .Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)
        .Replace(" ", "%20", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal);
}
