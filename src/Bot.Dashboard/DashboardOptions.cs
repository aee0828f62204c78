using Bot.Core;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Bot.Dashboard;

/// <summary>Section "Dashboard": the operators' web page.</summary>
public sealed class DashboardOptions : IValidatedOptions
{
    public const string Section = "Dashboard";
    public const string DefaultListenUrl = "http://127.0.0.1:5080";

    /// <summary>Where Kestrel listens (one http:// or https:// URL; port 0 picks a free port).</summary>
    public string ListenUrl { get; set; } = DefaultListenUrl;

    /// <summary>Needed for every page and API call when set; required when <see cref="ListenUrl"/> is not a loopback address.</summary>
    public string? Token { get; set; }

    /// <summary>Rows per page in the tables.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>True when <c>bot run</c> should serve the page: Dashboard:ListenUrl is set.</summary>
    public static bool IsEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetSection(Section)[nameof(ListenUrl)]);

    /// <summary>True for 127.0.0.0/8, ::1 and "localhost".</summary>
    public static bool IsLoopback(Uri url) =>
        string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

/// <summary>A bad URL, or a non-loopback address without a token, is a one-line problem naming the setting.</summary>
    public IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(ListenUrl, UriKind.Absolute, out var url) || url.Scheme != "http"
            || url.AbsolutePath != "/")
        {
            yield return $"Dashboard:ListenUrl must be an http:// URL with no path (put TLS in a reverse proxy in front), like {DefaultListenUrl} (got '{ListenUrl}')";
            yield break;
        }

        if (string.IsNullOrEmpty(Token) && !IsLoopback(url))
        {
            yield return $"Dashboard:Token is required when Dashboard:ListenUrl is not a loopback address (got {ListenUrl}); set it, e.g. the environment variable Dashboard__Token";
            yield break;
        }

        if (Token is { Length: > 0 and < 16 })
        {
            yield return "Dashboard:Token must be at least 16 characters";
            yield break;
        }

        if (PageSize is < 5 or > 500)
        {
            yield return "Dashboard:PageSize must be between 5 and 500";
        }
    }
}
