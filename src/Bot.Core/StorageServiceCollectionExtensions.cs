using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Core;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the storage (section "Storage"; <c>Storage:Provider</c> = <c>sqlite</c>, the default, or <c>postgres</c>):
    /// <see cref="BotDatabase"/>, <see cref="QueryLogStore"/> (also as <see cref="IQueryLog"/>, which
    /// <see cref="Commands.QuestionHandler"/> picks up to log every ask/search), <see cref="FeedbackStore"/>,
    /// <see cref="DigestRunStore"/>, <see cref="ArticleSnapshotStore"/>, <see cref="EventClaimStore"/> (as
    /// <see cref="IEventClaims"/>: chat events answered once across replicas), <see cref="ShardLeaseStore"/> (as
    /// <see cref="IShardLeases"/>), the thread context
    /// (<see cref="Conversations.IConversationStore"/>: <see cref="ConversationStore"/>, on either provider) and
    /// <see cref="Conversations.ConversationService"/> (needs AddBotCore too), and the hosted <see cref="StorageMaintenanceService"/> (opens/migrates the database at
    /// start-up; purges the query log daily).
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
        services.TryAddSingleton<Conversations.IConversationStore, ConversationStore>();
        // A factory, not a type: a storage-only container still validates; resolving it needs AddBotCore's handler and engine.
        services.TryAddSingleton(sp => new Conversations.ConversationService(
            sp.GetRequiredService<Commands.IQuestionHandler>(), sp.GetRequiredService<Search.SearchEngine>(), sp.GetRequiredService<Conversations.IConversationStore>(),
            sp.GetService<Microsoft.Extensions.Options.IOptions<Conversations.ConversationOptions>>() ?? Microsoft.Extensions.Options.Options.Create(new Conversations.ConversationOptions()),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<Microsoft.Extensions.Logging.ILogger<Conversations.ConversationService>>()));
        services.TryAddSingleton<EventClaimStore>();
        services.TryAddSingleton<IEventClaims>(sp => sp.GetRequiredService<EventClaimStore>());
        services.TryAddSingleton<ShardLeaseStore>();
        services.TryAddSingleton<IShardLeases>(sp => sp.GetRequiredService<ShardLeaseStore>());
        services.AddHostedService<StorageMaintenanceService>();
        return services;
    }
}
