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
    /// <see cref="FeedbackStore"/>, <see cref="DigestRunStore"/>, <see cref="ArticleSnapshotStore"/>, the thread context
    /// (<see cref="Conversations.IConversationStore"/>: <see cref="SqliteConversationStore"/>) and
    /// <see cref="Conversations.ConversationService"/> (needs AddBotCore too), and the hosted
    /// <see cref="StorageMaintenanceService"/> (opens/migrates the file at start-up; purges the query log daily).
    /// </summary>
    public static IServiceCollection AddBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.BusyTimeout > TimeSpan.Zero, "Storage:BusyTimeout must be positive").ValidateOnStart();
        services.TryAddSingleton<BotDatabase>();
        services.TryAddSingleton<QueryLogStore>();
        services.TryAddSingleton<IQueryLog>(sp => sp.GetRequiredService<QueryLogStore>());
        services.TryAddSingleton<FeedbackStore>();
        services.TryAddSingleton<DigestRunStore>();
        services.TryAddSingleton<ArticleSnapshotStore>();
        services.TryAddSingleton<Conversations.IConversationStore, SqliteConversationStore>();
        services.TryAddSingleton<Conversations.ConversationService>(); // with AddBotCore's handler and engine
        services.AddHostedService<StorageMaintenanceService>();
        return services;
    }
}
