using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.Support;

/// <summary>Gateway event payloads shaped like Discord's.</summary>
internal static class Events
{
    public const string GuildId = "1100000000000000001";
    public const string ChannelId = "1200000000000000001";
    public const string DmChannelId = "1200000000000000099";
    public const string UserId = "539000000000000001";

    private static long _next = 1300000000000001000;

    public static string NewId() => Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A guild id whose events Discord sends to shard <paramref name="shard"/> of <paramref name="count"/>: (id &gt;&gt; 22) % count.</summary>
    public static string GuildOnShard(int shard, int count, int n = 0) =>
        (((100_000_000_000L + n) * count + shard) << 22).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Dictionary<string, object?> Guild(string content, string? id = null, bool mentionBot = true, int type = 0,
        bool authorBot = false, string? authorId = null, string? webhookId = null, string guildId = GuildId)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = id ?? NewId(),
            ["channel_id"] = ChannelId,
            ["guild_id"] = guildId,
            ["author"] = authorBot
                ? new Dictionary<string, object?> { ["id"] = authorId ?? UserId, ["username"] = "otherbot", ["bot"] = true }
                : new Dictionary<string, object?> { ["id"] = authorId ?? UserId, ["username"] = "minji", ["global_name"] = "민지" },
            ["member"] = new { roles = Array.Empty<string>(), joined_at = "2026-01-01T00:00:00+00:00" },
            ["content"] = content,
            ["timestamp"] = "2026-08-01T09:00:00+00:00",
            ["edited_timestamp"] = null,
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = mentionBot ? new object[] { new { id = FakeDiscordServer.BotUserId, username = "kbot", bot = true } } : Array.Empty<object>(),
            ["mention_roles"] = Array.Empty<string>(),
            ["attachments"] = Array.Empty<object>(),
            ["embeds"] = Array.Empty<object>(),
            ["type"] = type,
            ["flags"] = 0,
            ["channel_type"] = 0,
        };
        if (webhookId is not null)
        {
            d["webhook_id"] = webhookId;
        }

        return d;
    }

    public static Dictionary<string, object?> Dm(string content, string? id = null) => new()
    {
        ["id"] = id ?? NewId(),
        ["channel_id"] = DmChannelId,
        ["author"] = new { id = UserId, username = "minji" },
        ["content"] = content,
        ["timestamp"] = "2026-08-01T09:00:00+00:00",
        ["mentions"] = Array.Empty<object>(),
        ["attachments"] = Array.Empty<object>(),
        ["embeds"] = Array.Empty<object>(),
        ["type"] = 0,
        ["flags"] = 0,
        ["channel_type"] = 1,
    };

    /// <summary>A CHAT_INPUT interaction in a guild (member.user) or a DM (user, context 1).</summary>
    public static Dictionary<string, object?> Command(string name, object[]? options = null, string? id = null, bool dm = false, string locale = "ko", string? token = null,
        string guildId = GuildId)
    {
        var d = new Dictionary<string, object?>
        {
            ["id"] = id ?? NewId(),
            ["application_id"] = FakeDiscordServer.AppId,
            ["type"] = 2,
            ["token"] = token ?? "interaction-token-" + Guid.NewGuid().ToString("N"),
            ["version"] = 1,
            ["channel_id"] = dm ? DmChannelId : ChannelId,
            ["channel"] = new { id = dm ? DmChannelId : ChannelId, type = dm ? 1 : 0 },
            ["locale"] = locale,
            ["app_permissions"] = "0",
            ["entitlements"] = Array.Empty<object>(),
            ["context"] = dm ? 1 : 0,
            ["data"] = new Dictionary<string, object?> { ["id"] = "1400000000000000001", ["name"] = name, ["type"] = 1, ["options"] = options },
        };
        if (dm)
        {
            d["user"] = new { id = UserId, username = "minji" };
        }
        else
        {
            d["guild_id"] = guildId;
            d["guild_locale"] = "ko";
            d["member"] = new { user = new { id = UserId, username = "minji" }, roles = Array.Empty<string>(), permissions = "0" };
        }

        return d;
    }

    public static object Option(string name, object value, int type = 3, bool focused = false) =>
        focused ? new { name, type, value, focused = true } : new { name, type, value };

    public static Dictionary<string, object?> Autocomplete(string name, object[] options, string? id = null)
    {
        var d = Command(name, options, id);
        d["type"] = 4;
        return d;
    }

    /// <summary>The "Find sources" message command on a target message.</summary>
    public static Dictionary<string, object?> FindSources(string targetContent, string? id = null)
    {
        var d = Command("Find sources", null, id);
        var targetId = NewId();
        d["data"] = new Dictionary<string, object?>
        {
            ["id"] = "1400000000000000005",
            ["name"] = "Find sources",
            ["type"] = 3,
            ["target_id"] = targetId,
            ["resolved"] = new Dictionary<string, object?>
            {
                ["messages"] = new Dictionary<string, object?>
                {
                    [targetId] = new { id = targetId, channel_id = ChannelId, content = targetContent, author = new { id = UserId, username = "minji" } },
                },
            },
        };
        return d;
    }

    /// <summary>
    /// A MESSAGE_COMPONENT interaction (type 3): a click on the button <paramref name="customId"/> of a bot message that
    /// carries <paramref name="messageComponents"/> (the action rows as the bot sent them), in a guild (member.user) or a DM (user).
    /// </summary>
    public static Dictionary<string, object?> Click(string? customId, string userId = UserId, bool dm = false, object? messageComponents = null, string locale = "ko")
    {
        var d = Command("ignored", null, dm: dm, locale: locale);
        d["type"] = 3;
        d["data"] = customId is null
            ? new Dictionary<string, object?> { ["component_type"] = 2 }
            : new Dictionary<string, object?> { ["custom_id"] = customId, ["component_type"] = 2 };
        d["message"] = new Dictionary<string, object?>
        {
            ["id"] = NewId(),
            ["channel_id"] = dm ? DmChannelId : ChannelId,
            ["author"] = new { id = FakeDiscordServer.BotUserId, username = "kbot", bot = true },
            ["content"] = "",
            ["components"] = messageComponents ?? Array.Empty<object>(),
            ["flags"] = 0,
            ["type"] = 0,
        };
        if (dm)
        {
            d["user"] = new { id = userId, username = "user" + userId[^3..] };
        }
        else
        {
            d["member"] = new { user = new { id = userId, username = "user" + userId[^3..] }, roles = Array.Empty<string>(), permissions = "0" };
        }

        return d;
    }
}
