using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Core;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SQLite storage (section "Storage"): <see cref="BotDatabase"/>, <see cref="QueryLogStore"/> (also as
    /// <see cref="IQueryLog"/>, which <see cref="Commands.QuestionHandler"/> picks up to log every ask/search),
    /// <see cref="FeedbackStore"/>, <see cref="DigestRunStore"/>, <see cref="ArticleSnapshotStore"/>, and the hosted
    /// <see cref="StorageMaintenanceService"/> (opens/migrates the file at start-up; purges the query log daily).
    /// </summary>
    public static IServiceCollection AddBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.Section);
        services.TryAddSingleton<BotDatabase>();
        services.TryAddSingleton<QueryLogStore>();
        services.TryAddSingleton<IQueryLog>(sp => sp.GetRequiredService<QueryLogStore>());
        services.TryAddSingleton<FeedbackStore>();
        services.TryAddSingleton<DigestRunStore>();
        services.TryAddSingleton<ArticleSnapshotStore>();
        services.AddHostedService<StorageMaintenanceService>();
        return services;
    }
}
