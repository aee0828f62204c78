using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

/// <summary>A REST request the fake received, and what it answered.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset At,
    long RealTimestamp)
{
    public int Status { get; set; }

    public JsonNode? Json => string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>A scripted REST answer.</summary>
internal sealed record FakeResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>When set, the fake waits for this before answering (to simulate slow or hanging responses).</summary>
    public Task? Hold { get; init; }

    public static FakeResponse Error(int status, int code, string message) =>
        new(status, JsonSerializer.Serialize(new { code, message }));

    public static FakeResponse RateLimited(double retryAfter, bool global = false, string? bucket = null) =>
        new(429, JsonSerializer.Serialize(new { message = "You are being rate limited.", retry_after = retryAfter, global }),
            new Dictionary<string, string>
            {
                ["Retry-After"] = Math.Ceiling(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["X-RateLimit-Global"] = global ? "true" : "false",
                ["X-RateLimit-Scope"] = global ? "global" : "user",
                ["X-RateLimit-Bucket"] = bucket ?? "b-429",
            });
}
