using Bot.Core;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient the REST client uses.</summary>
    public const string HttpClientName = "discord";

    /// <summary>
    /// Binds and validates the "Discord" section (ValidateOnStart). When <c>Discord:Token</c> is set, also registers the
    /// gateway, REST client, handlers, the hosted service and <see cref="IChatPlatform"/> (DiscordPlatform). Needs an
    /// <c>IQuestionHandler</c> (AddBotCore) and logging.
    /// </summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = DiscordOptions.IsConfigured(configuration);
        services.AddValidatedOptions<DiscordOptions>(configuration, DiscordOptions.Section);
        if (!configured)
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        // No default HttpClient logging: request URIs of interaction callbacks and webhooks carry interaction tokens.
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers();
        services.AddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<DiscordOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.AddSingleton(sp => new GatewayIdentifyGate(
            sp.GetRequiredService<DiscordRestClient>(),
            sp.GetRequiredService<IOptions<DiscordOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordGatewayConnection>>()));
        services.AddSingleton(sp => new DiscordShards(
            sp.GetRequiredService<GatewayIdentifyGate>(),
            sp.GetRequiredService<IOptions<DiscordOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordGatewayConnection>>(),
            sp.GetService<Random>()));
        if (ShardSettings.Parse(configuration["Discord:ShardCount"], configuration["Discord:ShardIds"], []).AutoIds)
        {
            // Discord:ShardIds=auto: shards are claimed through leases in the shared store (AddBotStorage registers IShardLeases).
            services.AddSingleton(sp => new ShardLeaseCoordinator(
                sp.GetRequiredService<DiscordShards>(),
                sp.GetService<IShardLeases>(),
                sp.GetRequiredService<IOptions<DiscordOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<ShardLeaseCoordinator>>()));
        }

        services.AddSingleton<DiscordRenderer>();
        // Feedback buttons only when storage is configured (Core's FeedbackVotes); AddDiscord works without it.
        services.AddChatKit();
        services.AddSingleton<DiscordFeedback>();
        services.TryAddSingleton<DiscordMoreSources>();
        services.TryAddSingleton<DiscordWholePassage>();
        services.AddSingleton<DiscordMessageHandler>();
        services.AddSingleton<DiscordInteractionHandler>();
        services.AddSingleton<DiscordBotService>();
        services.AddHostedService(sp => sp.GetRequiredService<DiscordBotService>());
        services.AddSingleton<Bot.Core.Chat.IChatAdapterStatus>(sp => sp.GetRequiredService<DiscordBotService>());
        services.AddSingleton<IChatPlatform, DiscordPlatform>();
        services.AddSingleton(sp => new DiscordHealthProbe(
            sp.GetRequiredService<DiscordShards>(),
            sp.GetRequiredService<DiscordBotService>(),
            sp.GetRequiredService<DiscordRestClient>()));
        return services;
    }
}
