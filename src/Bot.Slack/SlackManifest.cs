using System.Text.Json.Nodes;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Configuration;

namespace Bot.Slack;

/// <summary>
/// The Slack app manifest (JSON) a workspace admin pastes at api.slack.com/apps → "Create New App" → "From an app
/// manifest": bot scopes, bot events app_mention, message.im, and message.channels / message.groups (with
/// channels:history / groups:history: follow-up questions without a mention in threads the bot answered), the four slash commands, the "Find sources" message
/// shortcut, interactivity, Socket Mode and the App Home messages tab. After creating the app, generate an app-level
/// token with connections:write (Slack:AppToken) and install it to get the bot token (Slack:BotToken).
/// </summary>
public static class SlackManifest
{
    /// <summary>Builds the manifest from configuration: command names (Slack:Commands:*), the shortcut callback id
    /// (Slack:FindSourcesCallbackId) and the app name (Slack:AppName, default "Bot").</summary>
    public static string Build(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SlackOptions.Section);
        var options = section.Get<SlackOptions>() ?? new SlackOptions();
        return Build(options.AppName, options.Commands, includeChatWritePublic: true, options.FindSourcesCallbackId);
    }

    /// <summary>Builds the manifest as indented JSON.</summary>
    /// <param name="appName">Display name of the app and its bot user.</param>
    /// <param name="commands">Slash command names (defaults /ask, /search, /source, /help).</param>
    /// <param name="includeChatWritePublic">Adds chat:write.public so digests can go to public channels without joining.</param>
    /// <param name="findSourcesCallbackId">callback_id of the message shortcut.</param>
    public static string Build(string appName = "Bot", SlackCommandNames? commands = null, bool includeChatWritePublic = true,
        string findSourcesCallbackId = "find_sources")
    {
        commands ??= new SlackCommandNames();
        var name = string.IsNullOrWhiteSpace(appName) ? "Bot" : appName.Trim();
        var botName = name.Length > 35 ? name[..35] : name;
        var scopes = new JsonArray("app_mentions:read", "im:history", "channels:history", "groups:history", "chat:write", "commands");
        if (includeChatWritePublic)
        {
            scopes.Add("chat:write.public");
        }

        var manifest = new JsonObject
        {
            ["_metadata"] = new JsonObject { ["major_version"] = 1, ["minor_version"] = 1 },
            ["display_information"] = new JsonObject
            {
                ["name"] = name,
                ["description"] = "Answers questions about Korean articles with cited passages.",
            },
            ["features"] = new JsonObject
            {
                ["app_home"] = new JsonObject
                {
                    ["home_tab_enabled"] = false,
                    ["messages_tab_enabled"] = true,
                    ["messages_tab_read_only_enabled"] = false,
                },
                ["bot_user"] = new JsonObject { ["display_name"] = botName, ["always_online"] = true },
                ["shortcuts"] = new JsonArray(new JsonObject
                {
                    ["name"] = "Find sources",
                    ["type"] = "message",
                    ["callback_id"] = findSourcesCallbackId,
                    ["description"] = "Find the article passages behind this message",
                }),
                ["slash_commands"] = new JsonArray(
                    Command(commands.Ask, "Ask a question about the articles", "question"),
                    Command(commands.Search, "Show the closest passages", "words"),
                    Command(commands.Source, "Show an article's title, opening and passage count", "article"),
                    Command(commands.Help, "How to use the bot", "")),
            },
            ["oauth_config"] = new JsonObject
            {
                ["scopes"] = new JsonObject { ["bot"] = scopes },
            },
            ["settings"] = new JsonObject
            {
                ["event_subscriptions"] = new JsonObject
                {
                    ["bot_events"] = new JsonArray("app_mention", "message.im", "message.channels", "message.groups"),
                },
                ["interactivity"] = new JsonObject { ["is_enabled"] = true },
                ["org_deploy_enabled"] = false,
                ["socket_mode_enabled"] = true,
                ["token_rotation_enabled"] = false,
            },
        };
        return manifest.ToJsonString(new System.Text.Json.JsonSerializerOptions(SlackJson.Options) { WriteIndented = true });
    }

    private static JsonObject Command(string command, string description, string usageHint)
    {
        var node = new JsonObject
        {
            ["command"] = command,
            ["description"] = description,
            ["should_escape"] = false,
        };
        if (usageHint.Length > 0)
        {
            node["usage_hint"] = usageHint;
        }

        return node;
    }
}
