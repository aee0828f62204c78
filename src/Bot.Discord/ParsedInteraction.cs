using System.Text.Json;
using Bot.Core.Answers;
using Bot.Core.Chat;

namespace Bot.Discord;

/// <summary>The parts of an INTERACTION_CREATE the bot uses.</summary>
internal sealed record ParsedInteraction(
    string Id,
    string Token,
    string ApplicationId,
    int Type,
    int CommandType,
    string Name,
    string? ChannelId,
    string? GuildId,
    string? UserId,
    int? Context,
    string? Locale,
    InteractionOptions Options,
    string? TargetId,
    string? TargetContent,
    string? CustomId = null,
    string? ComponentLabel = null)
{
    /// <summary>The user's Discord locale as a reply language (Korean when none is given).</summary>
    public Language LocaleLanguage =>
        Locale is null || Locale.StartsWith("ko", StringComparison.OrdinalIgnoreCase) ? Language.Korean : Language.English;

    /// <summary>
    /// The language of the answer a button belongs to, read back from the clicked button's label when it is one of ours in
    /// that language (<paramref name="isOurs"/> asked of the Korean texts, then the English ones); else the user's locale.
    /// </summary>
    public Language ButtonLanguage(Func<UiText, string, bool> isOurs)
    {
        var label = ComponentLabel ?? "";
        return isOurs(UiText.Korean, label) ? Language.Korean
            : isOurs(UiText.English, label) ? Language.English
            : LocaleLanguage;
    }

    public static ParsedInteraction? Parse(JsonElement d, string? fallbackApplicationId)
    {
        if (d.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var id = d.GetString("id");
        var token = d.GetString("token");
        var applicationId = d.GetString("application_id") ?? fallbackApplicationId;
        if (!Rest.DiscordIds.IsSnowflake(id) || !Rest.DiscordIds.IsToken(token) || !Rest.DiscordIds.IsSnowflake(applicationId))
        {
            return null; // they go into REST paths: a malformed one is not an interaction we can answer
        }

        var data = d.GetObject("data") ?? default;
        var targetId = data.GetString("target_id");
        string? targetContent = null;
        if (targetId is not null && data.GetObject("resolved")?.GetObject("messages") is { } messages &&
            messages.TryGetProperty(targetId, out var target))
        {
            targetContent = target.GetString("content");
        }

        var user = d.GetObject("member")?.GetObject("user") ?? d.GetObject("user");
        var customId = data.GetString("custom_id");
        return new ParsedInteraction(
            id,
            token,
            applicationId,
            d.GetInt("type") ?? 0,
            data.GetInt("type") ?? DiscordCommands.ChatInput,
            data.GetString("name") ?? "",
            d.GetString("channel_id") ?? d.GetObject("channel")?.GetString("id"),
            d.GetString("guild_id"),
            user?.GetString("id"),
            d.GetInt("context"),
            d.GetString("locale"),
            InteractionOptions.Parse(data),
            targetId,
            targetContent,
            customId,
            d.GetObject("message") is { } message ? DiscordFeedback.FindLabel(message, customId) : null);
    }
}

/// <summary>Command options by name, flattened through SUB_COMMAND / SUB_COMMAND_GROUP nesting.</summary>
internal sealed class InteractionOptions
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    /// <summary>Sub-command path, e.g. ["admin", "reindex"]; empty for plain commands.</summary>
    public List<string> SubCommands { get; } = [];

    /// <summary>The option the user is typing in (autocomplete).</summary>
    public KeyValuePair<string, JsonElement>? Focused { get; private set; }

    public static InteractionOptions Parse(JsonElement data)
    {
        var result = new InteractionOptions();
        result.Walk(data);
        return result;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name) =>
        _values.TryGetValue(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    public int? Integer(string name) =>
        _values.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private void Walk(JsonElement node)
    {
        foreach (var option in node.GetArray("options"))
        {
            var name = option.GetString("name");
            if (name is null)
            {
                continue;
            }

            var type = option.GetInt("type") ?? 0;
            if (type is 1 or 2)
            {
                SubCommands.Add(name);
                Walk(option);
                continue;
            }

            if (option.TryGetProperty("value", out var value))
            {
                _values[name] = value.Clone();
                if (option.GetBool("focused"))
                {
                    Focused = new KeyValuePair<string, JsonElement>(name, value.Clone());
                }
            }
        }
    }
}
