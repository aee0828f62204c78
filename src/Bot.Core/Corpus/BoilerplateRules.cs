using System.Text.RegularExpressions;

namespace Bot.Core.Corpus;

/// <summary>
/// General rules that tell scraped blog furniture from article content. Each rule looks at one line (and, for the
/// trailers, where it stands), never at a particular file. The rules, in the order they apply:
/// <list type="number">
/// <item><b>Trailer</b>: a line like <c>'카테고리명' 카테고리의 다른 글</c> (or "Related posts" / "관련 글") starts the
/// blog's list of other posts; everything after it is dropped (the line itself, which names the category, is kept).</item>
/// <item><b>Widget</b>: a line that is exactly a blog widget label (<c>반응형</c>, <c>공유하기</c>, <c>구독하기</c>,
/// <c>좋아요</c>, <c>댓글</c>, <c>Advertisement</c> …).</item>
/// <item><b>Post-list row</b>: a line ending in a comment count and a date, <c>… (0) | 2025.01.29 |</c>.</item>
/// <item><b>Separator</b>: a line with no letters or digits (<c>—</c>, <c>---|---|</c>, blank).</item>
/// <item><b>Image placeholder</b>: a line that is one bracketed caption about an image (<c>[… 이미지 …]</c>,
/// <c>[image]</c>, <c>[사진]</c>).</item>
/// <item><b>Hashtags</b>: a line whose words are mostly <c>#tags</c>.</item>
/// <item><b>Keywords</b>: a line that starts (after an emoji) with <c>키워드:</c>, <c>태그:</c>, <c>Tags:</c> or <c>Keywords:</c>.</item>
/// <item><b>Call to action</b>: a line that asks readers to comment, share, like or subscribe
/// (<c>댓글</c>/<c>공유</c>/<c>구독</c>/<c>공감</c> together with a request such as <c>주세요</c>, <c>해주시면</c>, <c>유익했다면</c>).</item>
/// <item><b>Duplicate</b>: a line identical to an earlier kept line (scrapers repeat the title).</item>
/// </list>
/// Markdown emphasis markers (<c>**</c>) and a keyword list appended after a line's last sentence
/// (<c>… 전망합니다. 주요 키워드: 딥시크, AI …</c>) are removed from kept lines.
/// </summary>
public static partial class BoilerplateRules
{
    private static readonly HashSet<string> WidgetLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        "반응형", "공유하기", "구독하기", "좋아요", "공감", "댓글", "댓글쓰기", "신고", "신고하기", "게시글 관리",
        "저작자표시", "Advertisement", "광고", "Share", "Subscribe", "Like", "more", "더보기", "목차", "TOP",
    };

    /// <summary>True when <paramref name="line"/> starts the trailing list of other posts.</summary>
    public static bool IsTrailerStart(string line) => TrailerRegex().IsMatch(line.Trim());

    /// <summary>The name of the rule that drops <paramref name="line"/>, or null when it is content.</summary>
    public static string? DropReason(string line)
    {
        var t = line.Trim();
        if (!HasLetterOrDigit(t))
        {
            return "separator";
        }

        if (WidgetLabels.Contains(t))
        {
            return "widget";
        }

        if (PostListRowRegex().IsMatch(t))
        {
            return "post-list row";
        }

        if (ImagePlaceholderRegex().IsMatch(t))
        {
            return "image placeholder";
        }

        if (IsHashtagLine(t))
        {
            return "hashtags";
        }

        if (KeywordLineRegex().IsMatch(t))
        {
            return "keywords";
        }

        if (CallToActionRegex().IsMatch(t) && RequestRegex().IsMatch(t))
        {
            return "call to action";
        }

        return null;
    }

    /// <summary>Removes Markdown emphasis markers and a keyword list appended after the last sentence, and trims.</summary>
    public static string Normalize(string line) =>
        TrailingKeywordsRegex().Replace(line.Replace("**", "", StringComparison.Ordinal), "").Trim();

    [GeneratedRegex(@"(?<=[.!?]\s)\s*(주요\s*)?(키워드|태그|Keywords?|Tags?)\s*[:：][^.!?]*\.?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingKeywordsRegex();

    private static bool HasLetterOrDigit(string s)
    {
        foreach (var ch in s)
        {
            if (char.IsLetterOrDigit(ch))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHashtagLine(string t)
    {
        var words = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return false;
        }

        var tags = words.Count(w => w.Length > 1 && w[0] == '#');
        return tags >= 2 && tags * 2 >= words.Length;
    }

    [GeneratedRegex(@"카테고리의\s*다른\s*글$|^(관련\s*글|다른\s*글|Related posts?|You may also like)\s*:?$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailerRegex();

    [GeneratedRegex(@"\(\d+\)\s*\|\s*\d{4}[.\-/]\s*\d{1,2}[.\-/]\s*\d{1,2}\.?\s*\|?$")]
    private static partial Regex PostListRowRegex();

    [GeneratedRegex(@"^\[[^\]]*(이미지|사진|그림|image|photo|img)[^\]]*\]$", RegexOptions.IgnoreCase)]
    private static partial Regex ImagePlaceholderRegex();

    [GeneratedRegex(@"^\W{0,4}\s*(키워드|태그|Tags?|Keywords?)\s*[:：]", RegexOptions.IgnoreCase)]
    private static partial Regex KeywordLineRegex();

    [GeneratedRegex(@"댓글|공유|구독|공감|좋아요")]
    private static partial Regex CallToActionRegex();

    [GeneratedRegex(@"주세요|해주시면|주시면|유익했다면|눌러|부탁|나눠")]
    private static partial Regex RequestRegex();
}
