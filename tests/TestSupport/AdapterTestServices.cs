using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Bot.TestSupport;

/// <summary>
/// What every chat adapter's test host (Discord's, Slack's) wires around the real adapter: captured logs, the clock, the
/// recording question handler over the real Core, the shared <see cref="QuestionExecutor"/> (Retrieval:* settings), and
/// on request the real SQLite storage with conversations; then the build, and the check that no secret was logged.
/// </summary>
internal static class AdapterTestServices
{
    /// <summary>The services an adapter host starts from; the caller adds the adapter (AddDiscord, AddSlack).</summary>
    public static IServiceCollection Create(IConfiguration config, LogSink logs, LogLevel minLevel, TimeProvider clock, RecordingQuestionHandler questions)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(minLevel).AddProvider(logs))
            .AddSingleton(clock)
            .AddSingleton<IQuestionHandler>(questions);
        services.AddOptions<QuestionExecutorOptions>().Bind(config.GetSection(QuestionExecutorOptions.Section));
        services.AddSingleton<QuestionExecutor>();
        return services;
    }

    /// <summary>
    /// The real storage (AddBotStorage: SQLite at Storage:Path) and the Conversation options; ConversationService reads
    /// follow-ups with the real engine's planner, so the shared <see cref="TestCore.Engine"/> is added as an instance
    /// (disposing a host never disposes the shared engine).
    /// </summary>
    public static IServiceCollection AddStorageAndConversations(this IServiceCollection services, IConfiguration config)
    {
        services.AddBotStorage(config);
        services.AddOptions<ConversationOptions>().Bind(config.GetSection(ConversationOptions.Section));
        services.TryAddSingleton(TestCore.Engine);
        return services;
    }

    /// <summary>Builds (validating every registration) and hands the executor to the recording handler.</summary>
    public static ServiceProvider Build(IServiceCollection services, RecordingQuestionHandler questions)
    {
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        questions.UseExecutor(provider.GetRequiredService<QuestionExecutor>());
        return provider;
    }

    /// <summary>Fails when any of <paramref name="secrets"/> appears in a captured log line (tokens never reach the logs).</summary>
    public static void AssertNoSecretLogged(LogSink logs, params string[] secrets)
    {
        var text = logs.AllText;
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
