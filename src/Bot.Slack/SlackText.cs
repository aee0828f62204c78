using System.Globalization;
using System.Text;

namespace Bot.Slack;

/// <summary>
/// mrkdwn text helpers. Every piece of article or user text placed in mrkdwn (or in the <c>text</c> fallback) goes through
/// <see cref="Escape(string)"/>: exactly <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> are entity-encoded, so no
/// <c>&lt;!channel&gt;</c>, <c>&lt;!here&gt;</c>, <c>&lt;!everyone&gt;</c> or <c>&lt;@U…&gt;</c> token can ever be formed.
/// mrkdwn has no escape for its control characters, so <c>* _ ~ `</c> in corpus/user text are replaced by look-alikes
/// (∗ U+2217, ＿ U+FF3F, ∼ U+223C, ˋ U+02CB): the text still reads the same, but it can neither open nor close bold,
/// italic, strike or code spans, so our own <c>*bold*</c> highlighting stays intact.
/// </summary>
internal static class SlackText
{
    /// <summary>Zero-width space: lets <c>*bold*</c> hug a Korean word part ("*딥시크*\u200B는") and still render as bold.</summary>
    public const char ZeroWidthSpace = '\u200B';

    public const string Ellipsis = "…";

    /// <summary>Escapes &amp; &lt; &gt; and neutralises mrkdwn control characters.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        AppendEscaped(sb, text.AsSpan());
        return sb.ToString();
    }

    public static void AppendEscaped(StringBuilder sb, ReadOnlySpan<char> text)
    {
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '*': sb.Append('\u2217'); break;
                case '_': sb.Append('\uFF3F'); break;
                case '~': sb.Append('\u223C'); break;
                case '`': sb.Append('\u02CB'); break;
                case '\r': break;
                default:
                    if (char.IsControl(ch) && ch != '\n' && ch != '\t')
                    {
                        break;
                    }

                    sb.Append(ch);
                    break;
            }
        }
    }

    /// <summary>
    /// Escapes <paramref name="text"/> and cuts it so the escaped result (plus an ellipsis when cut) is at most
    /// <paramref name="maxLength"/> UTF-16 units, only on text-element boundaries (never half a surrogate pair or cluster).
    /// </summary>
    public static string EscapeWithin(string text, int maxLength) => EscapeWithin(text, maxLength, out _);

    public static string EscapeWithin(string text, int maxLength, out int consumed)
    {
        var escaped = Escape(text);
        if (escaped.Length <= maxLength)
        {
            consumed = text.Length;
            return escaped;
        }

        var budget = maxLength - Ellipsis.Length;
        var sb = new StringBuilder(maxLength);
        var pos = 0;
        while (pos < text.Length)
        {
            var len = StringInfo.GetNextTextElementLength(text, pos);
            var before = sb.Length;
            AppendEscaped(sb, text.AsSpan(pos, len));
            if (sb.Length > budget)
            {
                sb.Length = before;
                break;
            }

            pos += len;
        }

        consumed = pos;
        sb.Append(Ellipsis);
        return sb.ToString();
    }

    /// <summary>Splits plain text into escaped chunks of at most <paramref name="maxLength"/>, on text-element boundaries
    /// (preferring a line break or space near the end of a chunk).</summary>
    public static IReadOnlyList<string> EscapeAndSplit(string text, int maxLength)
    {
        var chunks = new List<string>();
        var pos = 0;
        while (pos < text.Length)
        {
            var sb = new StringBuilder();
            var start = pos;
            var lastBreakPos = -1;
            var lastBreakLen = 0;
            while (pos < text.Length)
            {
                var len = StringInfo.GetNextTextElementLength(text, pos);
                var before = sb.Length;
                AppendEscaped(sb, text.AsSpan(pos, len));
                if (sb.Length > maxLength)
                {
                    sb.Length = before;
                    break;
                }

                pos += len;
                if (text[pos - 1] is '\n' or ' ')
                {
                    lastBreakPos = pos;
                    lastBreakLen = sb.Length;
                }
            }

            if (pos < text.Length && lastBreakPos > start && lastBreakLen > maxLength / 2)
            {
                pos = lastBreakPos;
                sb.Length = lastBreakLen;
            }

            if (pos == start)
            {
                // a single text element longer than the limit: take it whole-code-point-wise
                pos += char.IsHighSurrogate(text[pos]) && pos + 1 < text.Length ? 2 : 1;
                sb.Append(Escape(text[start..pos]));
            }

            var chunk = sb.ToString().Trim();
            if (chunk.Length > 0)
            {
                chunks.Add(chunk);
            }
        }

        return chunks;
    }

    public static bool IsWordChar(char ch) => char.IsLetterOrDigit(ch) || char.IsSurrogate(ch);
}
