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
    /// <see cref="IShardLeases"/>), and the hosted <see cref="StorageMaintenanceService"/> (opens/migrates the database at
    /// start-up; purges the query log daily).
    /// </summary>
    public static IServiceCollection AddBotStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.BusyTimeout > TimeSpan.Zero, "Storage:BusyTimeout must be positive")
            .Validate(o => o.ClaimTimeout > TimeSpan.Zero, "Storage:ClaimTimeout must be positive")
            .Validate(o => o.IsPostgres || string.Equals(o.Provider?.Trim(), StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase),
                "Storage:Provider must be 'sqlite' or 'postgres'")
            .Validate(o => !o.IsPostgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Storage:ConnectionString must be set when Storage:Provider is postgres (Npgsql format: Host=…;Database=…;Username=…;Password=…)")
            .Validate(o => !o.IsPostgres || !string.IsNullOrEmpty(o.FeedbackSalt), FeedbackStore.MissingSaltMessage)
            .ValidateOnStart();
        services.TryAddSingleton<BotDatabase>();
        services.TryAddSingleton<QueryLogStore>();
        services.TryAddSingleton<IQueryLog>(sp => sp.GetRequiredService<QueryLogStore>());
        services.TryAddSingleton<FeedbackStore>();
        services.TryAddSingleton<DigestRunStore>();
        services.TryAddSingleton<ArticleSnapshotStore>();
        services.TryAddSingleton<EventClaimStore>();
        services.TryAddSingleton<IEventClaims>(sp => sp.GetRequiredService<EventClaimStore>());
        services.TryAddSingleton<ShardLeaseStore>();
        services.TryAddSingleton<IShardLeases>(sp => sp.GetRequiredService<ShardLeaseStore>());
        services.AddHostedService<StorageMaintenanceService>();
        return services;
    }
}
