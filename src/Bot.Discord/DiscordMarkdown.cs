using System.Globalization;
using System.Text;
using Bot.Core.Answers;
using Bot.Core.Chat;

namespace Bot.Discord;

/// <summary>
/// Escaping and cutting of text for Discord messages. Corpus and user text is escaped so it renders literally:
/// Markdown characters get a backslash, <c>&lt;</c> is escaped so <c>&lt;@&amp;123&gt;</c> cannot form a mention, and
/// <c>@everyone</c>/<c>@here</c> get a zero-width space. Lengths are UTF-16 units (never fewer than Discord counts), and
/// cuts fall on text-element boundaries, so a surrogate pair or a Hangul cluster is never split.
/// </summary>
internal static class DiscordMarkdown
{
    public const string Ellipsis = "…";
    private const string MarkdownSpecials = "\\*_~`|>#-[]()<";

    /// <summary>Escapes all of <paramref name="text"/>.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            AppendEscaped(sb, text, i);
        }

        return sb.ToString();
    }

    /// <summary>Escaped form of the one character at <paramref name="index"/> (context-aware for @everyone/@here).</summary>
    public static void AppendEscaped(StringBuilder sb, string source, int index)
    {
        var c = source[index];
        if (MarkdownSpecials.Contains(c, StringComparison.Ordinal))
        {
            sb.Append('\\').Append(c);
        }
        else if (c == '@' && (At(source, index + 1, "everyone") || At(source, index + 1, "here")))
        {
            sb.Append('@').Append('\u200B');
        }
        else
        {
            sb.Append(c);
        }
    }

    /// <summary>Escapes and cuts to at most <paramref name="max"/> UTF-16 units, ending with "…" when cut.</summary>
    public static string EscapeAndCut(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var escaped = Escape(text);
        if (escaped.Length <= max)
        {
            return escaped;
        }

        var sb = new StringBuilder(max);
        var budget = max - Ellipsis.Length;
        var element = new StringBuilder();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            element.Clear();
            for (var i = e.ElementIndex; i < e.ElementIndex + ((string)e.Current).Length; i++)
            {
                AppendEscaped(element, text, i);
            }

            if (sb.Length + element.Length > budget)
            {
                break;
            }

            sb.Append(element);
        }

        return TrimDanglingBackslash(sb).Append(Ellipsis).ToString();
    }

    /// <summary>True when <paramref name="text"/> contains a lone surrogate (a split pair).</summary>
    public static bool HasBrokenSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool At(string source, int index, string word) =>
        index + word.Length <= source.Length && string.CompareOrdinal(source, index, word, 0, word.Length) == 0;

    private static StringBuilder TrimDanglingBackslash(StringBuilder sb)
    {
        // An element never ends half-escaped, but be safe: a trailing lone backslash would escape the ellipsis.
        var count = 0;
        for (var i = sb.Length - 1; i >= 0 && sb[i] == '\\'; i--)
        {
            count++;
        }

        if (count % 2 == 1)
        {
            sb.Length--;
        }

        return sb;
    }

    /// <summary>
    /// A snippet as a Markdown block quote: escaped text, highlighted segments (<see cref="SnippetSegments"/>) in
    /// <c>**bold**</c> with whitespace left outside the markers, "…" where the snippet was cut, at most
    /// <paramref name="budget"/> UTF-16 units, cut on text-element boundaries with bold closed.
    /// </summary>
    public static string QuoteSnippet(Snippet snippet, int budget)
    {
        var sb = new StringBuilder("> ");
        if (snippet.CutAtStart)
        {
            sb.Append(Ellipsis);
        }

        var reserve = Ellipsis.Length + 2;
        var inBold = false;
        var cut = false;
        var element = new StringBuilder();
        var full = snippet.Text ?? "";
        var offset = 0; // escaping reads the whole text (an "@" before a highlighted "everyone")
        foreach (var segment in SnippetSegments.Of(snippet))
        {
            var text = segment.Text;
            var e = StringInfo.GetTextElementEnumerator(text);
            while (!cut && e.MoveNext())
            {
                var start = e.ElementIndex;
                var length = ((string)e.Current).Length;
                var isNewline = text[start] is '\n' or '\r';
                var wantBold = segment.Highlighted && !char.IsWhiteSpace(text[start]);
                element.Clear();
                if (isNewline)
                {
                    element.Append(inBold ? "**" : "").Append("\n> ");
                }
                else
                {
                    if (wantBold != inBold)
                    {
                        element.Append("**");
                    }

                    for (var k = start; k < start + length; k++)
                    {
                        AppendEscaped(element, full, offset + k);
                    }
                }

                if (sb.Length + element.Length + reserve > budget)
                {
                    cut = true;
                    break;
                }

                sb.Append(element);
                inBold = !isNewline && wantBold;
            }

            offset += text.Length;
        }

        if (inBold)
        {
            sb.Append("**");
        }

        if (cut || snippet.CutAtEnd)
        {
            sb.Append(Ellipsis);
        }

        return sb.ToString();
    }
}
