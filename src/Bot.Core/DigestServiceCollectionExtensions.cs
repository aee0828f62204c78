using Bot.Core.Chat;
using Bot.Core.Digests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Core;

public static class DigestServiceCollectionExtensions
{
    /// <summary>
    /// Registers scheduled digests (section "Digest", validated at start-up: a bad cron or time zone is a one-line error
    /// naming the schedule): <see cref="DigestComposer"/>, <see cref="DigestRunner"/>, <see cref="ChannelPacer"/> and the
    /// hosted <see cref="CorpusWatcher"/> and <see cref="DigestScheduler"/>. Needs <c>AddBotCore</c> and
    /// <see cref="StorageServiceCollectionExtensions.AddBotStorage"/>; posts through every registered <see cref="Chat.IChatPlatform"/>.
    /// </summary>
    public static IServiceCollection AddDigests(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<DigestOptions>(configuration, DigestOptions.Section);
        services.TryAddSingleton(sp => new ChannelPacer(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<DigestOptions>>().Value.ChannelPacing));
        services.TryAddSingleton<DigestComposer>();
        services.TryAddSingleton<DigestRunner>();
        services.TryAddSingleton<CorpusWatcher>();
        services.TryAddSingleton<DigestScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CorpusWatcher>());
        services.AddHostedService(sp => sp.GetRequiredService<DigestScheduler>());
        return services;
    }
}
