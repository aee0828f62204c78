using Bot.Core.Chat;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

using Bot.TestSupport;

namespace Bot.Discord.Tests;

public sealed class DiscordServiceCollectionExtensionsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void IsConfigured_OnlyWithToken()
    {
        Assert.False(DiscordOptions.IsConfigured(Config()));
        Assert.False(DiscordOptions.IsConfigured(Config(("Discord:Token", "  "))));
        Assert.True(DiscordOptions.IsConfigured(Config(("Discord:Token", "test-bot-token"))));
    }

    [Fact]
    public void AddDiscord_NotConfigured_RegistersOnlyOptions()
    {
        var sp = new ServiceCollection().AddLogging().AddDiscord(Config()).BuildServiceProvider();
        Assert.Empty(sp.GetServices<IHostedService>());
        Assert.Empty(sp.GetServices<IChatPlatform>());
        Assert.Equal("https://discord.com/api/v10", sp.GetRequiredService<IOptions<DiscordOptions>>().Value.ApiBaseUrl);
    }

    [Fact]
    public void AddDiscord_Configured_RegistersHostedServiceAndPlatform_WithDefaults()
    {
        var services = new ServiceCollection().AddLogging()
            .AddSingleton(TestCore.CreateHandler())
            .AddDiscord(Config(("Discord:Token", "test-bot-token")));
        using var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.IsType<DiscordBotService>(Assert.Single(sp.GetServices<IHostedService>()));
        Assert.IsType<DiscordPlatform>(Assert.Single(sp.GetServices<IChatPlatform>()));
        var o = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
        Assert.False(o.EnableMessageContent);
        Assert.Equal(TimeSpan.FromMinutes(15), o.InteractionTokenLifetime);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)] // storage after AddDiscord: the FeedbackStore is resolved lazily, order does not matter
    public void AddDiscord_FeedbackButtons_OnlyWhenStorageIsRegistered(bool storage, bool storageFirst)
    {
        using var tmp = Bot.TestSupport.RepoPaths.NewTempDir("bot-discord-di");
        var config = Config(("Discord:Token", "test-bot-token"), ("Storage:Path", tmp.Sub("bot.db")));
        // the engine stands for AddBotCore, which the host always adds: with storage, ConversationService reads follow-ups with it
        var services = new ServiceCollection().AddLogging().AddSingleton(TestCore.CreateHandler()).AddSingleton(TestCore.Engine);
        if (storage && storageFirst)
        {
            Bot.Core.StorageServiceCollectionExtensions.AddBotStorage(services, config);
        }

        services.AddDiscord(config);
        if (storage && !storageFirst)
        {
            Bot.Core.StorageServiceCollectionExtensions.AddBotStorage(services, config);
        }

        using var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.Equal(storage, sp.GetRequiredService<DiscordFeedback>().Enabled);
        Assert.NotNull(sp.GetRequiredService<DiscordMessageHandler>());
        Assert.NotNull(sp.GetRequiredService<DiscordInteractionHandler>());
        Assert.False(File.Exists(tmp.Sub("bot.db")));
    }

    [Theory]
    [InlineData("Discord:ApiBaseUrl", "not a url", "Discord:ApiBaseUrl")]
    [InlineData("Discord:GuildId", "abc", "Discord:GuildId")]
    [InlineData("Discord:Token", "Bot secret-looking-value", "Discord:Token")]
    [InlineData("Discord:ReconnectBaseDelay", "-00:00:01", "Discord:ReconnectBaseDelay")]
    public void Options_Invalid_OneLineNamingTheSetting_NeverTheSecret(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { ["Discord:Token"] = "test-bot-token", [key] = value };
        var sp = new ServiceCollection().AddLogging().AddSingleton(TestCore.CreateHandler()).AddDiscord(Config([.. settings.Select(kv => (kv.Key, kv.Value))])).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<DiscordOptions>>().Value);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking-value", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("test-bot-token", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invite_PermissionsCoverWhatTheBotNeeds()
    {
        Assert.Equal(274877991936UL, DiscordInvite.Permissions);
        Assert.Equal(1024UL + 2048 + 16384 + 65536 + 274877906944, DiscordInvite.Permissions);
        Assert.Equal(
            "https://discord.com/oauth2/authorize?client_id=800000000000000001&scope=bot%20applications.commands&permissions=274877991936",
            DiscordInvite.BuildUrl("800000000000000001"));
        Assert.EndsWith("&guild_id=1100000000000000001", DiscordInvite.BuildUrl("800000000000000001", "1100000000000000001"), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DiscordInvite.BuildUrl("not-an-id"));
    }

    [Fact]
    public async Task InviteAsync_FromApplicationIdSetting_OrLookedUpWithTheToken()
    {
        Assert.Contains("client_id=123", await DiscordInvite.BuildUrlAsync(Config(("Discord:ApplicationId", "123")), CancellationToken.None), StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => DiscordInvite.BuildUrlAsync(Config(), CancellationToken.None));

        await using var fake = await FakeDiscordServer.StartAsync();
        using var http = new HttpClient();
        var url = await DiscordInvite.BuildUrlAsync(Config(("Discord:Token", "test-bot-token"), ("Discord:ApiBaseUrl", fake.ApiBaseUrl)), CancellationToken.None, http);
        Assert.Contains("client_id=" + FakeDiscordServer.AppId, url, StringComparison.Ordinal);
        var r = Assert.Single(fake.Requests);
        Assert.Equal("/applications/@me", r.Path);
        Assert.Equal("Bot test-bot-token", r.Header("authorization"));

        fake.Script(_ => true, FakeResponse.Error(401, 0, "401: Unauthorized"));
        var ex = await Assert.ThrowsAsync<DiscordApiException>(() =>
            DiscordInvite.BuildUrlAsync(Config(("Discord:Token", "test-bot-token"), ("Discord:ApiBaseUrl", fake.ApiBaseUrl)), CancellationToken.None, http));
        Assert.DoesNotContain("test-bot-token", ex.Message, StringComparison.Ordinal);
    }
}
