using System.Globalization;

namespace Bot.Core.Corpus;

/// <summary>Cuts text on word boundaries without splitting a surrogate pair or a grapheme cluster.</summary>
public static class TextCutter
{
    /// <summary>At most <paramref name="max"/> UTF-16 units, cut at the last space before the limit when there is one
    /// in the last third, otherwise at a text-element boundary; appends '…' (counted) when cut.</summary>
    public static string CutAtWord(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var limit = SafeLength(text, max - 1);
        var space = text.LastIndexOf(' ', Math.Max(0, limit - 1), limit);
        var cut = space >= limit * 2 / 3 ? space : limit;
        return text[..cut].TrimEnd() + "…";
    }

    /// <summary>At most <paramref name="max"/> UTF-16 units: the longest prefix of whole text elements that leaves room
    /// for '…', which is appended when cut. Never splits a surrogate pair or a grapheme cluster; null reads as "".</summary>
    public static string Cut(string? text, int max)
    {
        if (string.IsNullOrEmpty(text) || text.Length <= max)
        {
            return text ?? "";
        }

        return string.Concat(text.AsSpan(0, SafeLength(text, max - 1)), "…");
    }

    /// <summary>The largest length ≤ <paramref name="max"/> that ends on a text-element (grapheme) boundary.</summary>
    public static int SafeLength(string text, int max)
    {
        if (max >= text.Length)
        {
            return text.Length;
        }

        if (max <= 0)
        {
            return 0;
        }

        var e = StringInfo.GetNextTextElementLength(text.AsSpan(0));
        var pos = 0;
        while (pos + e <= max && e > 0)
        {
            pos += e;
            e = StringInfo.GetNextTextElementLength(text.AsSpan(pos));
        }

        return pos;
    }
}
