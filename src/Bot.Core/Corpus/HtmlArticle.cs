using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Bot.Core.Corpus;

/// <summary>
/// An HTML page (<c>.html</c>, <c>.htm</c>), parsed with AngleSharp. Metadata: the title (<c>og:title</c>, else
/// <c>&lt;title&gt;</c>), the canonical link (<c>link rel=canonical</c>, else <c>og:url</c>), the author
/// (<c>meta name=author</c>, <c>article:author</c>, JSON-LD <c>author.name</c>) and the publication date
/// (<c>article:published_time</c>, JSON-LD <c>datePublished</c>, the first <c>&lt;time datetime&gt;</c> of the main text).
/// Text: the main content (<c>&lt;article&gt;</c>, else <c>&lt;main&gt;</c> or <c>role=main</c>, else the body) without
/// navigation, page header and footer, asides, scripts, styles, forms, embedded frames and widgets (comment, share,
/// related-post, sidebar, newsletter and advertising blocks named so by class or id); one line per block (paragraph,
/// list item, table row, heading), headings kept as headings, each with its line in the file.
/// </summary>
public static partial class HtmlArticle
{
    private static readonly string[] Dropped =
    [
        "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "canvas", "button", "select",
        "textarea", "input", "dialog", "object", "embed", "video", "audio", "[role=navigation]", "[role=banner]",
        "[role=contentinfo]", "[role=complementary]", "[role=search]", "[aria-hidden=true]", "[hidden]",
    ];

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
        "table", "thead", "tbody", "tfoot", "figure", "figcaption", "address", "details", "summary", "hr",
        "h1", "h2", "h3", "h4", "h5", "h6",
    };

    public static (ArticleMetadata Metadata, List<RawLine> Lines) Parse(string html)
    {
        var parser = new HtmlParser(new HtmlParserOptions { IsKeepingSourceReferences = true });
        var document = parser.ParseDocument(html);
        var root = MainRoot(document);
        var metadata = Metadata(document, root);
        foreach (var selector in Dropped)
        {
            Remove(root.QuerySelectorAll(selector));
        }

        // The page's header and footer are furniture; an article's own header (its title and byline) is content.
        Remove(root.QuerySelectorAll("header, footer").Where(e => e.Closest("article") is null || e.LocalName == "footer"));
        Remove(root.QuerySelectorAll("[class], [id]").Where(IsWidget));
        var lines = new List<RawLine>();
        var walker = new LineWalker(lines);
        walker.Walk(root);
        walker.Flush();
        return (metadata, lines);
    }

    private static IElement MainRoot(IDocument document)
    {
        var articles = document.QuerySelectorAll("article").Where(a => a.ParentElement?.Closest("article") is null).ToList();
        if (articles.Count == 1)
        {
            return articles[0];
        }

        return document.QuerySelector("main") ?? document.QuerySelector("[role=main]") ?? document.Body ?? document.DocumentElement;
    }

    private static void Remove(IEnumerable<IElement> elements)
    {
        foreach (var e in elements.ToList())
        {
            e.Remove();
        }
    }

    /// <summary>A block named like page furniture by its class or id ("sidebar", "comments", "share-buttons", "related-posts").</summary>
    private static bool IsWidget(IElement e) =>
        e.LocalName is not ("article" or "main" or "body" or "html") && (WidgetName(e.ClassName) || WidgetName(e.Id));

    private static bool WidgetName(string? name) => name is not null && WidgetRegex().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex(@"(^|[\s_-])(sidebar|widget|comments?|comment-form|respond|share|sharing|social|related|newsletter|subscribe|advert|ads?|banner|cookie|popup|modal|breadcrumbs?|pagination|menu|navbar|toc)($|[\s_-])", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex WidgetRegex();

    private static ArticleMetadata Metadata(IDocument document, IElement root)
    {
        string? Meta(string attribute, string name) =>
            document.QuerySelectorAll($"meta[{attribute}]")
                .FirstOrDefault(m => string.Equals(m.GetAttribute(attribute), name, StringComparison.OrdinalIgnoreCase))
                ?.GetAttribute("content");

        var ld = JsonLd(document);
        var title = ArticleMetadata.Clean(Meta("property", "og:title")) ?? WithoutSiteName(ArticleMetadata.Clean(document.Title), ArticleMetadata.Clean(Meta("property", "og:site_name")));
        var url = ArticleMetadata.CleanUrl(document.QuerySelector("link[rel=canonical]")?.GetAttribute("href"))
                  ?? ArticleMetadata.CleanUrl(Meta("property", "og:url")) ?? ArticleMetadata.CleanUrl(ld.Url);
        var author = ArticleMetadata.Clean(Meta("name", "author")) ?? ArticleMetadata.Clean(Meta("property", "article:author")) ?? ArticleMetadata.Clean(ld.Author);
        var published = ArticleMetadata.ParseDate(Meta("property", "article:published_time"))
                        ?? ArticleMetadata.ParseDate(ld.Published)
                        ?? ArticleMetadata.ParseDate(root.QuerySelector("time[datetime]")?.GetAttribute("datetime"))
                        ?? ArticleMetadata.ParseDate(document.QuerySelector("time[datetime]")?.GetAttribute("datetime"));
        return new ArticleMetadata(title, url, author, published);
    }

    /// <summary>"Post | Blog" → "Post" when the page names its site "Blog" (og:site_name).</summary>
    private static string? WithoutSiteName(string? title, string? site)
    {
        if (title is null || site is null || !title.EndsWith(site, StringComparison.Ordinal) || title.Length == site.Length)
        {
            return title;
        }

        var rest = title[..^site.Length].TrimEnd();
        var stripped = rest.TrimEnd('|', '-', '–', '—', '·', ':').TrimEnd();
        return stripped.Length < rest.Length && stripped.Length > 0 ? stripped : title;
    }

    /// <summary>datePublished, url and author of the first JSON-LD object that has a datePublished or headline.</summary>
    private static (string? Published, string? Url, string? Author) JsonLd(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            try
            {
                using var json = JsonDocument.Parse(script.TextContent);
                foreach (var node in Objects(json.RootElement))
                {
                    if (node.TryGetProperty("datePublished", out var date) || node.TryGetProperty("headline", out _))
                    {
                        return (date.ValueKind == JsonValueKind.String ? date.GetString() : null, Str(node, "url"), AuthorName(node));
                    }
                }
            }
            catch (JsonException)
            {
                // a broken JSON-LD block says nothing
            }
        }

        return (null, null, null);
    }

    private static IEnumerable<JsonElement> Objects(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            return e.EnumerateArray().SelectMany(Objects);
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        return e.TryGetProperty("@graph", out var graph) ? [e, .. Objects(graph)] : [e];
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? AuthorName(JsonElement e)
    {
        if (!e.TryGetProperty("author", out var a))
        {
            return null;
        }

        var first = a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().FirstOrDefault() : a;
        return first.ValueKind switch
        {
            JsonValueKind.String => first.GetString(),
            JsonValueKind.Object => Str(first, "name"),
            _ => null,
        };
    }

    /// <summary>Collects text into lines: a block element ends the line before it and after it; <c>br</c> ends one.</summary>
    private sealed class LineWalker(List<RawLine> lines)
    {
        private readonly StringBuilder _text = new();
        private int _line;
        private bool _heading;

        public void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                switch (child)
                {
                    case IText text:
                        if (_text.Length == 0)
                        {
                            _line = Line(child);
                        }

                        _text.Append(text.Data);
                        break;
                    case IElement { LocalName: "br" }:
                        Flush();
                        break;
                    case IElement { LocalName: "img" }:
                        break;
                    case IElement { LocalName: "tr" } row:
                        Flush();
                        _line = Line(row);
                        _text.Append(string.Join(" | ", row.Children.Select(c => Squash(c.TextContent))));
                        Flush();
                        break;
                    case IElement e when Blocks.Contains(e.LocalName):
                        Flush();
                        var heading = e is IHtmlHeadingElement;
                        var prefix = e.LocalName == "li" ? "- " : "";
                        _heading = heading;
                        if (prefix.Length > 0)
                        {
                            _line = Line(e);
                            _text.Append(prefix);
                        }

                        Walk(e);
                        Flush();
                        break;
                    case IElement e:
                        Walk(e);
                        break;
                    default:
                        break;
                }
            }
        }

        public void Flush()
        {
            var t = Squash(_text.ToString());
            if (t.Length > 0 && t != "-")
            {
                lines.Add(new RawLine(Math.Max(1, _line), t, _heading));
            }

            _text.Clear();
            _heading = false;
        }

        private static int Line(INode node) => node is IElement { SourceReference: { } r } ? r.Position.Line
            : node.Parent is IElement { SourceReference: { } p } ? p.Position.Line : 1;

        private static string Squash(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
