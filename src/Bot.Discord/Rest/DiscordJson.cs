using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Bot.Discord.Rest;

/// <summary>Serializer settings for Discord's snake_case JSON.</summary>
internal static class DiscordJson
{
    /// <summary>REST bodies: snake_case, nulls omitted, Korean kept literal (HTML-sensitive characters still escaped).</summary>
    public static JsonSerializerOptions Rest { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>Gateway frames: snake_case and nulls written (a heartbeat's <c>"d": null</c> is meaningful).</summary>
    public static JsonSerializerOptions Gateway { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
