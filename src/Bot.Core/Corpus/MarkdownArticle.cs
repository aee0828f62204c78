using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bot.Core.Corpus;

/// <summary>A line of article text taken from a structured file, with its 1-based line in the file and whether it is a heading.</summary>
public readonly record struct RawLine(int Number, string Text, bool Heading);

/// <summary>
/// A Markdown article (<c>.md</c>), parsed with Markdig: one line per paragraph, list item, table row or code line, in
/// document order, with its line number in the file; headings (<c>#</c> or underlined) are kept as headings, so that the
/// passage splitter starts a passage there and names it. Markup is dropped (emphasis, links keep their text, images and raw
/// HTML go). The front matter has already been blanked by <see cref="FrontMatter"/>.
/// </summary>
public static class MarkdownArticle
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseGridTables().Build();

    public static List<RawLine> Lines(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var lines = new List<RawLine>();
        foreach (var block in document)
        {
            Walk(block, lines, "", markdown);
        }

        return lines;
    }

    private static void Walk(Block block, List<RawLine> lines, string prefix, string markdown)
    {
        switch (block)
        {
            case HeadingBlock h:
                // A setext heading ("결론" over "----") reports its underline's line; count the lines before its first character.
                Add(lines, h.IsSetext ? LineOf(markdown, h.Span.Start) : h.Line, InlineText(h.Inline), heading: true, "");
                break;
            case ParagraphBlock p:
                Add(lines, p.Line, InlineText(p.Inline), heading: false, prefix);
                break;
            case CodeBlock code: // fenced or indented: each line as it is
                for (var i = 0; i < code.Lines.Count; i++)
                {
                    Add(lines, code.Lines.Lines[i].Line, code.Lines.Lines[i].Slice.ToString(), heading: false, "");
                }

                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                {
                    var cells = row.OfType<TableCell>().Select(c => string.Join(' ', c.OfType<ParagraphBlock>().Select(p => InlineText(p.Inline))));
                    Add(lines, row.Line, string.Join(" | ", cells), heading: false, "");
                }

                break;
            case ListItemBlock item:
                var first = true;
                foreach (var child in item)
                {
                    Walk(child, lines, first ? "- " : prefix, markdown);
                    first = false;
                }

                break;
            case ContainerBlock container: // lists, quotes
                foreach (var child in container)
                {
                    Walk(child, lines, prefix, markdown);
                }

                break;
            default: // thematic breaks, raw HTML blocks, link reference definitions
                break;
        }
    }

    private static int LineOf(string text, int offset) => text.AsSpan(0, Math.Clamp(offset, 0, text.Length)).Count('\n');

    private static void Add(List<RawLine> lines, int zeroBasedLine, string text, bool heading, string prefix)
    {
        var t = text.Trim();
        if (t.Length > 0)
        {
            lines.Add(new RawLine(zeroBasedLine + 1, prefix + t, heading));
        }
    }

    private static string InlineText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        Append(inline, sb);
        return string.Join(' ', sb.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void Append(Inline inline, StringBuilder sb)
    {
        switch (inline)
        {
            case LinkInline { IsImage: true }:
                break;
            case LiteralInline literal:
                sb.Append(literal.Content.AsSpan());
                break;
            case CodeInline code:
                sb.Append(code.Content);
                break;
            case AutolinkInline auto:
                sb.Append(auto.Url);
                break;
            case LineBreakInline:
                sb.Append(' ');
                break;
            case HtmlEntityInline entity:
                sb.Append(entity.Transcoded.AsSpan());
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(child, sb);
                }

                break;
            default: // raw HTML
                break;
        }
    }
}
