using System.Globalization;
using Bot.Core.Answers;

namespace Bot.Core.Chat;

/// <summary>One piece of a snippet's text: plain, or one of the question's words found in it.</summary>
public readonly record struct SnippetSegment(string Text, bool Highlighted);

/// <summary>
/// A snippet's text cut into plain and highlighted segments, so renderers only choose the markup (Discord <c>**bold**</c>,
/// Slack <c>*bold*</c>). The highlight ranges are clamped to the text, merged where they overlap or touch, and kept on
/// text-element boundaries (no split surrogate pair or combining sequence). A highlighted segment never holds a line
/// break and never starts or ends with whitespace (bold markers must hug letters); whitespace between two highlighted
/// words of one line stays inside the segment. Concatenating the segments gives back the text.
/// </summary>
public static class SnippetSegments
{
    public static IReadOnlyList<SnippetSegment> Of(Snippet snippet)
    {
        ArgumentNullException.ThrowIfNull(snippet);
        var text = snippet.Text ?? "";
        if (text.Length == 0)
        {
            return [];
        }

        var marked = new bool[text.Length];
        foreach (var h in snippet.Highlights ?? [])
        {
            var start = Math.Clamp(h.Start, 0, text.Length);
            var end = Math.Clamp(h.Start + Math.Max(h.Length, 0), start, text.Length);
            Array.Fill(marked, true, start, end - start);
        }

        // one flag per text element: highlighted when its first unit is marked, never a line break
        var starts = StringInfo.ParseCombiningCharacters(text);
        var flags = new bool[starts.Length];
        for (var i = 0; i < starts.Length; i++)
        {
            flags[i] = marked[starts[i]] && text[starts[i]] is not ('\n' or '\r');
        }

        // whitespace at either edge of a highlighted run goes back to plain
        for (var i = 0; i < flags.Length;)
        {
            if (!flags[i])
            {
                i++;
                continue;
            }

            var j = i;
            while (j < flags.Length && flags[j])
            {
                j++;
            }

            var first = i;
            var last = j - 1;
            while (first <= last && char.IsWhiteSpace(text[starts[first]]))
            {
                flags[first++] = false;
            }

            while (last >= first && char.IsWhiteSpace(text[starts[last]]))
            {
                flags[last--] = false;
            }

            i = j;
        }

        var segments = new List<SnippetSegment>();
        var from = 0;
        for (var i = 1; i <= flags.Length; i++)
        {
            if (i == flags.Length || flags[i] != flags[from])
            {
                var end = i == flags.Length ? text.Length : starts[i];
                segments.Add(new SnippetSegment(text[starts[from]..end], flags[from]));
                from = i;
            }
        }

        return segments;
    }
}
