using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Search;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Support;

/// <summary>
/// The REAL Core question handler over the repository's seeds with a temporary index, built once per test process
/// (the handler is thread-safe and read-only) and shared by every adapter test.
/// </summary>
internal static class TestCore
{
    private static readonly Lazy<(ServiceProvider Services, TempDir Dir)> Shared = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IQuestionHandler CreateHandler() => Shared.Value.Services.GetRequiredService<IQuestionHandler>();

    private static (ServiceProvider, TempDir) Build()
    {
        var tmp = RepoPaths.NewTempDir("bot-discord-core");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = RepoPaths.Seeds,
            ["Index:Path"] = tmp.Sub("index"),
            ["Corpus:WatchInterval"] = "00:00:00",
        }).Build();
        var sp = new ServiceCollection().AddLogging().AddBotCore(config).BuildServiceProvider();
        sp.GetRequiredService<SearchEngine>().EnsureIndex();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            sp.Dispose();
            tmp.Dispose();
        };
        return (sp, tmp);
    }
}
