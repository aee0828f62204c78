using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Search;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Bot.Core;

public static class BotCoreServiceCollectionExtensions
{
    /// <summary>Registers the corpus, index and retrieval layer: <see cref="SearchEngine"/>, the shared <see cref="QuestionExecutor"/>, <see cref="IQuestionHandler"/>, and the "Conversation" options (<see cref="Conversations.ConversationService"/> itself needs a store: AddBotStorage).</summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<CorpusOptions>(configuration, CorpusOptions.Section);
        services.AddValidatedOptions<IndexOptions>(configuration, IndexOptions.Section);
        services.AddValidatedOptions<RetrievalOptions>(configuration, RetrievalOptions.Section);
        services.AddValidatedOptions<QuestionExecutorOptions>(configuration, QuestionExecutorOptions.Section);
        services.TryAddSingleton<QuestionExecutor>();
        services.TryAddSingleton<SearchEngine>();
        services.TryAddSingleton<QuestionHandler>();
        services.TryAddSingleton<IQuestionHandler>(sp => sp.GetRequiredService<QuestionHandler>());
        services.AddValidatedOptions<Conversations.ConversationOptions>(configuration, Conversations.ConversationOptions.Section);
        return services;
    }

    /// <summary>
    /// Registers the chat kit's <see cref="FeedbackVotes"/>, <see cref="ChatConversations"/> (follow-ups whenever a ConversationService is registered), <see cref="MoreSources"/> and <see cref="WholePassages"/> ("Whole passage" buttons, whenever a <see cref="SearchEngine"/> is registered) (once; every chat adapter calls
    /// this): feedback buttons and votes, and "More sources" buttons, only when storage is configured (AddBotStorage registers <see cref="FeedbackStore"/>), in whichever order.
    /// </summary>
    public static IServiceCollection AddChatKit(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new FeedbackVotes(sp.GetService<FeedbackStore>(), sp.GetRequiredService<ILogger<FeedbackVotes>>()));
        services.TryAddSingleton(sp => new MoreSources(sp.GetRequiredService<Commands.IQuestionHandler>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Microsoft.Extensions.Options.IOptions<Conversations.ConversationOptions>>(), sp.GetService<Conversations.IConversationStore>(), sp.GetService<ILogger<MoreSources>>()));
        services.TryAddSingleton(sp => new WholePassages(sp.GetService<SearchEngine>(), sp.GetService<ILogger<WholePassages>>()));
        services.TryAddSingleton(sp => new ChatConversations(sp.GetRequiredService<Commands.IQuestionHandler>(), sp.GetService<Conversations.ConversationService>()));
        return services;
    }
}
