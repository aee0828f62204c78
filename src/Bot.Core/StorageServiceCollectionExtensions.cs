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
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.Section);
        services.TryAddSingleton<BotDatabase>();
        services.TryAddSingleton<QueryLogStore>();
        services.TryAddSingleton<IQueryLog>(sp => sp.GetRequiredService<QueryLogStore>());
        services.TryAddSingleton<FeedbackStore>();
        services.TryAddSingleton<DigestRunStore>();
        services.TryAddSingleton<ArticleSnapshotStore>();
        services.TryAddSingleton<Conversations.IConversationStore, SqliteConversationStore>();
        // A factory, not a type: a storage-only container still validates; resolving it needs AddBotCore's handler and engine.
        services.TryAddSingleton(sp => new Conversations.ConversationService(
            sp.GetRequiredService<Commands.IQuestionHandler>(), sp.GetRequiredService<Search.SearchEngine>(), sp.GetRequiredService<Conversations.IConversationStore>(),
            sp.GetService<Microsoft.Extensions.Options.IOptions<Conversations.ConversationOptions>>() ?? Microsoft.Extensions.Options.Options.Create(new Conversations.ConversationOptions()),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<Microsoft.Extensions.Logging.ILogger<Conversations.ConversationService>>()));
        services.AddHostedService<StorageMaintenanceService>();
        return services;
    }
}
