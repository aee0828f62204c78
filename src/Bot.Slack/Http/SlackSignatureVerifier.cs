using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Slack.Http;

/// <summary>
/// Slack request signing v0: HMAC-SHA256 of <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c> with the signing secret,
/// hex, compared to X-Slack-Signature ("v0=…") in constant time; timestamps more than the tolerance away from now are
/// rejected (replay window). Works on the raw bytes, before any parsing.
/// </summary>
internal sealed class SlackSignatureVerifier
{
    private readonly byte[] _secret;
    private readonly TimeProvider _time;
    private readonly TimeSpan _tolerance;

    public SlackSignatureVerifier(string signingSecret, TimeProvider time, TimeSpan tolerance)
    {
        _secret = Encoding.UTF8.GetBytes(signingSecret);
        _time = time;
        _tolerance = tolerance;
    }

    /// <summary>Null when valid; otherwise a short reason (no secret material).</summary>
    public string? Verify(string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> rawBody)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return "missing signature headers";
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return "bad timestamp";
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)_tolerance.TotalSeconds)
        {
            return "stale timestamp";
        }

        if (!signatureHeader.StartsWith("v0=", StringComparison.Ordinal) || signatureHeader.Length != 3 + 64)
        {
            return "bad signature format";
        }

        byte[] provided;
        try
        {
            provided = Convert.FromHexString(signatureHeader.AsSpan(3));
        }
        catch (FormatException)
        {
            return "bad signature format";
        }

        var expected = Compute(_secret, timestampHeader, rawBody);
        return CryptographicOperations.FixedTimeEquals(expected, provided) ? null : "signature mismatch";
    }

    /// <summary>The raw HMAC for a timestamp and body (also used by tests' fake sender).</summary>
    public static byte[] Compute(byte[] secret, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        var prefix = Encoding.ASCII.GetBytes("v0:" + timestamp + ":");
        var data = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(data, 0);
        rawBody.CopyTo(data.AsSpan(prefix.Length));
        return HMACSHA256.HashData(secret, data);
    }
}
