using System.Text.Json.Nodes;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Slack.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

using Bot.TestSupport;

namespace Bot.Slack.Tests;

public sealed class SlackOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build();

    private static ServiceProvider Build(IConfiguration config) => new ServiceCollection()
        .AddLogging()
        .AddSingleton<IQuestionHandler>(new RecordingQuestionHandler(TestCore.Handler))
        .AddSlack(config)
        .BuildServiceProvider();

    [Fact]
    public void NotConfigured_RegistersNothingButValidation()
    {
        var config = Config();
        Assert.False(SlackOptions.IsConfigured(config));
        using var sp = Build(config);
        Assert.Empty(sp.GetServices<IHostedService>());
        Assert.Empty(sp.GetServices<IChatPlatform>());
        Assert.Null(sp.GetService<SlackHealthProbe>());
        Assert.NotNull(sp.GetRequiredService<IOptions<SlackOptions>>().Value);
    }

    [Fact]
    public void Configured_RegistersHostedServiceAndPlatform_AndBindsSettings()
    {
        var config = Config(("Slack:BotToken", "xoxb-test"), ("Slack:AppToken", "xapp-test"), ("Slack:Commands:Ask", "/질문"),
            ("Slack:SilenceTimeout", "00:02:00"), ("Slack:ApiBaseUrl", "http://127.0.0.1:9/api/"));
        Assert.True(SlackOptions.IsConfigured(config));
        using var sp = Build(config);
        Assert.Single(sp.GetServices<IHostedService>());
        Assert.Equal("slack", Assert.Single(sp.GetServices<IChatPlatform>()).Name);
        var health = sp.GetRequiredService<SlackHealthProbe>().Snapshot();
        Assert.Equal(0, health.OpenSockets);
        Assert.Null(health.StopReason);
        var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
        Assert.Equal("/질문", options.Commands.Ask);
        Assert.Equal("/search", options.Commands.Search);
        Assert.Equal(TimeSpan.FromMinutes(2), options.SilenceTimeout);
        Assert.Equal(new Uri("http://127.0.0.1:9/api/"), options.ApiBaseUrl);
        Assert.True(options.SocketModeEnabled);
        Assert.False(options.HttpEnabled);
    }

    [Theory]
    [InlineData("Slack:BotToken", "xapp-wrong-kind", "Slack:BotToken")]
    [InlineData("Slack:AppToken", "xoxb-wrong-kind", "Slack:AppToken")]
    [InlineData("Slack:SigningSecret", "secret-without-url", "Slack:HttpListenUrl")]
    [InlineData("Slack:NumberOfConnections", "11", "Slack:NumberOfConnections")]
    [InlineData("Slack:DedupeWindow", "00:05:00", "Slack:DedupeWindow")]
    [InlineData("Slack:Commands:Help", "help", "Slack:Commands:Help")]
    public void InvalidSettings_FailValidation_NamingTheSetting_NeverTheValue(string key, string value, string named)
    {
        var values = new Dictionary<string, string?> { ["Slack:BotToken"] = "xoxb-test", ["Slack:AppToken"] = "xapp-test", [key] = value };
        using var sp = Build(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<SlackOptions>>().Value);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value.StartsWith("x", StringComparison.Ordinal) || value.Contains("secret", StringComparison.Ordinal) ? value : "\u0000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingBotToken_FailsWithOneLineNamingIt()
    {
        using var sp = Build(Config(("Slack:AppToken", "xapp-test")));
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<SlackOptions>>().Value);
        Assert.Contains("Slack:BotToken is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_HasScopesEventsCommandsShortcutSocketMode()
    {
        var json = SlackManifest.Build("딥시크 봇");
        var manifest = JsonNode.Parse(json)!;
        Assert.Equal("딥시크 봇", manifest["display_information"]!["name"]!.GetValue<string>());
        var scopes = manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(["app_mentions:read", "im:history", "channels:history", "groups:history", "chat:write", "commands", "chat:write.public"], scopes);
        var events = manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(["app_mention", "message.im", "message.channels", "message.groups"], events);
        var commands = manifest["features"]!["slash_commands"]!.AsArray().Select(c => c!["command"]!.GetValue<string>()).ToList();
        Assert.Equal(["/ask", "/search", "/source", "/help"], commands);
        var shortcut = manifest["features"]!["shortcuts"]![0]!;
        Assert.Equal("message", shortcut["type"]!.GetValue<string>());
        Assert.Equal("find_sources", shortcut["callback_id"]!.GetValue<string>());
        Assert.Equal("Find sources", shortcut["name"]!.GetValue<string>());
        Assert.True(manifest["settings"]!["socket_mode_enabled"]!.GetValue<bool>());
        Assert.True(manifest["settings"]!["interactivity"]!["is_enabled"]!.GetValue<bool>());
        Assert.True(manifest["features"]!["app_home"]!["messages_tab_enabled"]!.GetValue<bool>());
        Assert.False(manifest["features"]!["app_home"]!["messages_tab_read_only_enabled"]!.GetValue<bool>());

        var fromConfig = JsonNode.Parse(SlackManifest.Build(Config(("Slack:Commands:Search", "/찾기"), ("Slack:AppName", "뉴스봇"), ("Slack:BotToken", "xoxb-test"))))!;
        Assert.Equal("/찾기", fromConfig["features"]!["slash_commands"]![1]!["command"]!.GetValue<string>());
        Assert.Equal("뉴스봇", fromConfig["display_information"]!["name"]!.GetValue<string>());
        Assert.DoesNotContain("xoxb", fromConfig.ToJsonString(), StringComparison.Ordinal);

        var custom = JsonNode.Parse(SlackManifest.Build("Bot", new SlackCommandNames { Ask = "/질문" }, includeChatWritePublic: false))!;
        Assert.Equal("/질문", custom["features"]!["slash_commands"]![0]!["command"]!.GetValue<string>());
        Assert.DoesNotContain("chat:write.public", custom.ToJsonString(), StringComparison.Ordinal);
    }
}
