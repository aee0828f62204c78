using System.Text;
using Bot.Core.Answers;
using Bot.Core.Chat;

namespace Bot.Core.Digests;

/// <summary>Plain-text rendering of a <see cref="BotMessage"/> (the command line's <c>digest preview</c>): everything, in order.</summary>
public static class DigestPlainText
{
    public static string Render(BotMessage message)
    {
        var ui = UiText.For(message.Language);
        var sb = new StringBuilder();
        sb.AppendLine(message.Title);
        foreach (var section in message.Sections)
        {
            sb.AppendLine();
            sb.AppendLine($"■ {section.Heading}");
            foreach (var item in section.Items)
            {
                var lines = item.Text.Split('\n');
                sb.AppendLine($"• {lines[0]}");
                foreach (var line in lines.Skip(1))
                {
                    sb.AppendLine($"  {line}");
                }

                if (item.Citation is { } c)
                {
                    sb.AppendLine($"  > {(c.Snippet.CutAtStart ? "…" : "")}{c.Snippet.Text.ReplaceLineEndings(" ")}{(c.Snippet.CutAtEnd ? "…" : "")}");
                    sb.AppendLine($"  — {ui.CitationLine(c)} [{c.DocId}]");
                }
            }
        }

        if (!string.IsNullOrEmpty(message.Footer))
        {
            sb.AppendLine();
            sb.AppendLine(message.Footer);
        }

        return sb.ToString();
    }
}
