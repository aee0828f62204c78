using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bot.Dashboard;

/// <summary>
/// The token check: <c>Authorization: Bearer {token}</c>, or the session cookie that the login form sets (HttpOnly,
/// SameSite=Strict; its value is an HMAC of the token, never the token). Comparisons are constant-time.
/// </summary>
internal sealed class DashboardAuth
{
    public const string CookieName = "bot_dashboard";
    private readonly byte[]? _tokenHash;
    private readonly string? _session;

    public DashboardAuth(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return;
        }

        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _session = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "bot-dashboard-session-v1"u8));
    }

    public bool Required => _tokenHash is not null;

    public string Session => _session ?? "";

    public bool IsToken(string? candidate) =>
        _tokenHash is null || (candidate is not null && CryptographicOperations.FixedTimeEquals(_tokenHash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate))));

    /// <summary>True when the request may see the page; <paramref name="viaCookie"/> says whether the cookie did it.</summary>
    public bool Allows(HttpRequest request, out bool viaCookie)
    {
        viaCookie = false;
        if (!Required)
        {
            return true;
        }

        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return IsToken(header["Bearer ".Length..].Trim());
        }

        if (request.Cookies.TryGetValue(CookieName, out var cookie) && cookie is not null)
        {
            viaCookie = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(_session!));
            return viaCookie;
        }

        return false;
    }

    /// <summary>A local path to go back to after signing in ("/" for anything else).</summary>
    public static string SafeReturn(string? path) =>
        path is { Length: > 0 } p && p[0] == '/' && (p.Length == 1 || (p[1] != '/' && p[1] != '\\')) ? p : "/";
}
