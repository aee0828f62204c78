using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Corpus;

/// <summary>
/// Heading detection and article titles. A line is heading-like when it is short (at most 80 characters), is not a list
/// item or a table row, and does not end like a sentence (<c>다.</c>, <c>요.</c>, a closing quote, …). The title is the
/// first heading-like line among the first five kept lines; failing that, the first sentence cut at a word boundary.
/// Decorative emoji and symbols at the ends are removed.
/// </summary>
public static partial class TitleRule
{
    public const int MaxHeadingChars = 80;
    private const int MaxTitleChars = 100;

    public static bool IsHeadingLike(string line)
    {
        var t = StripDecoration(line);
        if (t.Length is 0 or > MaxHeadingChars)
        {
            return false;
        }

        if (t.StartsWith("- ", StringComparison.Ordinal) || t.Contains(" | ", StringComparison.Ordinal) || t.EndsWith('|'))
        {
            return false;
        }

        return !SentenceEndRegex().IsMatch(t);
    }

    public static string TitleFor(IReadOnlyList<string> keptLines, string fallback)
    {
        foreach (var line in keptLines.Take(5))
        {
            if (IsHeadingLike(line))
            {
                return StripDecoration(line);
            }
        }

        if (keptLines.Count == 0)
        {
            return fallback;
        }

        var first = StripDecoration(keptLines[0]);
        var end = FirstSentenceEnd(first);
        var sentence = end > 0 ? first[..end] : first;
        return TextCutter.CutAtWord(sentence, MaxTitleChars);
    }

    /// <summary>Removes emoji, arrows and bullet symbols at both ends of a line.</summary>
    public static string StripDecoration(string line)
    {
        var t = line.Trim();
        var start = 0;
        var end = t.Length;
        while (start < end && IsDecoration(t, start, out var w))
        {
            start += w;
        }

        while (end > start && IsDecorationBefore(t, end, out var w))
        {
            end -= w;
        }

        return t[start..end].Trim();
    }

    private static bool IsDecorationBefore(string s, int end, out int width)
    {
        width = 1;
        if (end >= 2 && char.IsLowSurrogate(s[end - 1]) && char.IsHighSurrogate(s[end - 2]))
        {
            width = 2;
        }

        return IsDecoration(s, end - width, out width);
    }

    private static bool IsDecoration(string s, int index, out int width)
    {
        var rune = Rune.GetRuneAt(s, index);
        width = rune.Utf16SequenceLength;
        if (Rune.IsWhiteSpace(rune))
        {
            return true;
        }

        var cat = Rune.GetUnicodeCategory(rune);
        return cat is UnicodeCategory.OtherSymbol or UnicodeCategory.MathSymbol or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierSymbol or UnicodeCategory.EnclosingMark
            || rune.Value is 0xFE0F or 0x200D or '✔' or '▶' or '→';
    }

    private static int FirstSentenceEnd(string s)
    {
        var m = SentenceBoundaryRegex().Match(s);
        return m.Success ? m.Index + m.Length : -1;
    }

    [GeneratedRegex(@"(다|요|죠|까|니다|음|함|임)[.!?]?$|[.。]$|[""”’]$")]
    private static partial Regex SentenceEndRegex();

    [GeneratedRegex(@"[.!?](?=\s)")]
    private static partial Regex SentenceBoundaryRegex();
}
