using Bot.Core.Commands;
using Bot.Core.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Core;

public static class BotCoreServiceCollectionExtensions
{
    /// <summary>Registers the corpus, index and retrieval layer: <see cref="SearchEngine"/>, the shared <see cref="QuestionExecutor"/>, <see cref="IQuestionHandler"/>, and the "Conversation" options (<see cref="Conversations.ConversationService"/> itself needs a store: AddBotStorage).</summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<CorpusOptions>().Bind(configuration.GetSection(CorpusOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IndexOptions>().Bind(configuration.GetSection(IndexOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetrievalOptions>().Bind(configuration.GetSection(RetrievalOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QuestionExecutorOptions>().Bind(configuration.GetSection(QuestionExecutorOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<QuestionExecutor>();
        services.TryAddSingleton<SearchEngine>();
        services.TryAddSingleton<QuestionHandler>();
        services.TryAddSingleton<IQuestionHandler>(sp => sp.GetRequiredService<QuestionHandler>());
        services.AddOptions<Conversations.ConversationOptions>().Bind(configuration.GetSection(Conversations.ConversationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
