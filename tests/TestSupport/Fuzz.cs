using System.Text;
using System.Text.Json.Nodes;

namespace Bot.TestSupport;

/// <summary>
/// Seeded generators for fuzz tests: random bytes, and random JSON biased towards the field names and values the chat
/// platforms use (so the parsers get past their first checks), with wrong types, deep nesting, huge and odd numbers.
/// </summary>
internal sealed class Fuzz(int seed)
{
    private static readonly string[] Keys =
    [
        "type", "subtype", "event", "event_id", "envelope_id", "payload", "accepts_response_payload", "retry_attempt", "text", "user", "user_id",
        "channel", "channel_id", "channel_type", "ts", "thread_ts", "bot_id", "bot_profile", "hidden", "command", "response_url", "trigger_id",
        "team_id", "actions", "action_id", "block_id", "value", "callback_id", "message", "container", "challenge", "token", "id", "op", "d", "s", "t",
        "data", "name", "options", "focused", "content", "author", "mentions", "guild_id", "member", "application_id", "locale", "target_id",
        "resolved", "messages", "components", "custom_id", "webhook_id", "referenced_message", "message_reference", "username", "bot", "flags",
    ];

    private static readonly string[] Words =
    [
        "", " ", "app_mention", "message", "event_callback", "events_api", "slash_commands", "interactive", "block_actions", "message_action",
        "find_sources", "/ask", "/search", "/source", "/help", "im", "channel", "file_share", "thread_broadcast", "MESSAGE_CREATE",
        "INTERACTION_CREATE", "<@U_BOT> 딥시크 본사는 어디에 있나요?", "<@900000000000000001> 딥시크", "C9", "D42", "U7", "U_BOT",
        "1754000000.000100", "not a ts", "https://", "ftp://x", "feedback:up:abc", "fb:1:up", "ask", "question",
        "\u0000", "\uFFFD", "😀", new string('가', 5000), "<!channel>", "&lt;&gt;&amp;", "\\", "\"", "900000000000000001", "-1",
    ];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    public byte[] Bytes(int maxLength = 512)
    {
        var bytes = new byte[_random.Next(maxLength + 1)];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Random bytes, decoded as UTF-8 (invalid sequences become U+FFFD): garbage that is still a valid text frame.</summary>
    public string Text(int maxLength = 512) => Encoding.UTF8.GetString(Bytes(maxLength));

    public string Key() => _random.Next(10) == 0 ? Text(12) : Keys[_random.Next(Keys.Length)];

    public JsonNode? Value(int depth = 0)
    {
        var pick = _random.Next(depth > 4 ? 6 : 9);
        return pick switch
        {
            0 => null,
            1 => JsonValue.Create(_random.Next(2) == 0),
            2 => JsonValue.Create(_random.Next(5) switch
            {
                0 => _random.Next(),
                1 => -_random.Next(),
                2 => _random.NextDouble() * 1e6,
                3 => 1e300,
                _ => (double)long.MaxValue * 10,
            }),
            3 or 4 => JsonValue.Create(Words[_random.Next(Words.Length)]),
            5 => JsonValue.Create(Text(40)),
            6 => Array(depth + 1),
            _ => Object(depth + 1),
        };
    }

    public JsonArray Array(int depth = 0)
    {
        var array = new JsonArray();
        for (var i = _random.Next(4); i > 0; i--)
        {
            array.Add(Value(depth));
        }

        return array;
    }

    public JsonObject Object(int depth = 0, int maxProperties = 6)
    {
        var obj = new JsonObject();
        for (var i = _random.Next(maxProperties + 1); i > 0; i--)
        {
            obj[Key()] = Value(depth);
        }

        return obj;
    }

    /// <summary>Sometimes a value of the wrong kind (string, number, array, null) instead of <paramref name="usual"/>.</summary>
    public JsonNode? Sometimes(JsonNode? usual) => _random.Next(4) == 0 ? Value(3) : usual;

    public T Pick<T>(params T[] items) => items[_random.Next(items.Length)];
}
