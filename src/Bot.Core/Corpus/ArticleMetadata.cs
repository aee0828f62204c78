using System.Globalization;

namespace Bot.Core.Corpus;

/// <summary>
/// What an article says about itself: from a front matter block (<see cref="FrontMatter"/>) or, for an HTML page, its
/// <c>&lt;title&gt;</c>, canonical link and publication date (<see cref="HtmlArticle"/>). Every field is optional; an
/// article without any (the plain seed files) has <see cref="None"/> and behaves as before.
/// </summary>
/// <param name="Title">The article's title; when set it replaces the title <see cref="TitleRule"/> would pick.</param>
/// <param name="Url">Where the original is published (absolute http or https URL only).</param>
/// <param name="Author">Who wrote it.</param>
/// <param name="Published">The publication date (the date in the writer's own time zone when a time was given).</param>
public sealed record ArticleMetadata(string? Title = null, string? Url = null, string? Author = null, DateOnly? Published = null)
{
    public static ArticleMetadata None { get; } = new();

    public bool IsEmpty => Title is null && Url is null && Author is null && Published is null;

    /// <summary>The date as stored in the index and shown in JSON: <c>yyyy-MM-dd</c>, or null.</summary>
    public string? PublishedText => Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Fields of <paramref name="other"/> fill the ones this record lacks.</summary>
    public ArticleMetadata Or(ArticleMetadata other) =>
        new(Title ?? other.Title, Url ?? other.Url, Author ?? other.Author, Published ?? other.Published);

    /// <summary>A trimmed, non-empty, single-line value, or null.</summary>
    public static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var t = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return t.Length == 0 ? null : t.Length > 300 ? t[..Corpus.TextCutter.SafeLength(t, 300)] : t;
    }

    /// <summary>An absolute http(s) URL, or null (a relative link or another scheme is not a source link).</summary>
    public static string? CleanUrl(string? value)
    {
        var t = Clean(value);
        return t is not null && Uri.TryCreate(t, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;
    }

    /// <summary>A date from "2025-01-27", "2025-01-27T09:30:00+09:00", "2025.01.27" or "January 27, 2025"; null otherwise.</summary>
    public static DateOnly? ParseDate(string? value)
    {
        var t = Clean(value);
        if (t is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(t, ["yyyy-MM-dd", "yyyy.MM.dd", "yyyy.M.d", "yyyy/MM/dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var dto))
        {
            return DateOnly.FromDateTime(dto.DateTime); // the date where it was written, not converted to UTC
        }

        return null;
    }
}
