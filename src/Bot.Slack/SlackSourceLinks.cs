using Bot.Core.Answers;
using Bot.Core.Commands;

namespace Bot.Slack;

/// <summary>
/// Citations and articles with a link to the original: mrkdwn <c>&lt;url|title&gt;</c> with the title escaped
/// (<see cref="SlackText.Escape(string)"/>, and <c>|</c> replaced so it cannot end the link text early), then the date and
/// passage; without a link exactly the plain escaped citation line as before.
/// </summary>
internal static class SlackSourceLinks
{
    /// <summary>The citation line in mrkdwn, its title linked when the article has a URL; at most about <paramref name="max"/> units.</summary>
    public static string Citation(UiText ui, Citation citation, int max = 1000) => citation.Url is { } url
        ? Link(url, citation.Title, max / 2) + SlackText.EscapeWithin(ui.CitationSuffix(citation), max / 2)
        : SlackText.EscapeWithin(ui.CitationLine(citation), max);

    /// <summary>/source's title: bold, linked when the article has a URL.</summary>
    public static string ArticleTitle(ArticleInfo article, int max) => article.Metadata.Url is { } url
        ? $"*{Link(url, article.Title, max)}*"
        : $"*{SlackText.EscapeWithin(article.Title, max)}*";

    /// <summary>/source's context line: the date and author when known, else null.</summary>
    public static string? Byline(ArticleInfo article)
    {
        var parts = new[] { article.Metadata.Published is { } d ? UiText.DateText(d) : null, article.Metadata.Author }.OfType<string>().ToList();
        return parts.Count == 0 ? null : SlackText.EscapeWithin(string.Join(" · ", parts), 300);
    }

    /// <summary><c>&lt;url|title&gt;</c>: the URL's &amp; &lt; &gt; | encoded, the title escaped.</summary>
    internal static string Link(string url, string title, int max)
    {
        var target = url.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal);
        return $"<{target}|{SlackText.EscapeWithin(title.Replace('|', '¦'), Math.Max(20, max))}>";
    }
}
