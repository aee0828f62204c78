using Bot.Core;
using Bot.Core.Chat;
using Bot.Slack.Events;
using Bot.Slack.Http;
using Bot.Slack.SocketMode;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Slack adapter. Always binds and validates the "Slack" section (ValidateOnStart); only when
    /// <see cref="SlackOptions.IsConfigured"/> is true does it add the hosted service (auth.test, Socket Mode and/or the
    /// HTTP receiver) and <see cref="IChatPlatform"/> ("slack"). Needs Core's IQuestionHandler and logging registered; with storage
    /// (AddBotStorage) also AddBotCore, whose engine ConversationService reads follow-ups with.
    /// </summary>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<SlackOptions>(configuration, SlackOptions.Section);
        if (!SlackOptions.IsConfigured(configuration))
        {
            return services;
        }

        services.AddChatKit();
        services.TryAddSingleton<SlackWebApiClient>();
        services.TryAddSingleton<SlackRenderer>();
        services.TryAddSingleton<SlackInboundClassifier>();
        services.TryAddSingleton<SlackMoreSources>();
        services.TryAddSingleton<SlackWholePassage>();
        services.TryAddSingleton<SlackReplier>();
        services.TryAddSingleton<SlackFeedbackHandler>();
        services.TryAddSingleton<SlackEventDispatcher>();
        services.TryAddSingleton<SlackSocketModeClient>();
        services.TryAddSingleton<SlackHttpReceiver>();
        services.TryAddSingleton<SlackHostedService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<SlackHostedService>());
        services.AddSingleton<Bot.Core.Chat.IChatAdapterStatus>(sp => sp.GetRequiredService<SlackHostedService>());
        services.AddSingleton<IChatPlatform, SlackPlatform>();
        services.TryAddSingleton(sp => new SlackHealthProbe(
            sp.GetRequiredService<SlackSocketModeClient>(),
            sp.GetRequiredService<SlackEventDispatcher>(),
            sp.GetRequiredService<SlackHostedService>(),
            sp.GetRequiredService<SlackWebApiClient>()));
        return services;
    }
}
