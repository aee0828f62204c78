using Bot.Core;
using Bot.Core.Commands;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// The REAL Core handler over the repository's seeds with a temporary index, built once per test run and shared
/// (read-only, thread-safe). Adapter tests wrap it in <see cref="RecordingQuestionHandler"/>.
/// </summary>
internal static class TestCore
{
    private static readonly Lazy<IQuestionHandler> Lazy = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IQuestionHandler Handler => Lazy.Value;

    private static IQuestionHandler Build()
    {
        var tmp = RepoPaths.NewTempDir("bot-slack-test");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => tmp.Dispose();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = RepoPaths.Seeds,
            ["Index:Path"] = tmp.Sub("index"),
        }).Build();
        var sp = new ServiceCollection().AddLogging().AddBotCore(config).BuildServiceProvider();
        var handler = sp.GetRequiredService<IQuestionHandler>();
        handler.AskAsync("딥시크", Bot.Core.Chat.QueryContext.Cli, 1, CancellationToken.None).GetAwaiter().GetResult(); // builds the index
        return handler;
    }
}
