using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.TestSupport;

/// <summary>
/// The REAL Core question handler over the repository's seeds with a temporary index, built once per test process
/// (the handler is thread-safe and read-only) and shared by every adapter test. One copy for every test project.
/// </summary>
internal static class TestCore
{
    private static readonly Lazy<(ServiceProvider Services, TempDir Dir)> Shared = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared handler.</summary>
    public static IQuestionHandler Handler => Shared.Value.Services.GetRequiredService<IQuestionHandler>();

    /// <summary>The shared engine behind <see cref="Handler"/> (its query planner reads follow-ups: <see cref="Bot.Core.Conversations.FollowUpResolver"/>).</summary>
    public static SearchEngine Engine => Shared.Value.Services.GetRequiredService<SearchEngine>();

    /// <summary>
    /// The folder of the shared index over the repository's seeds (built on first use), for a test that wires its own
    /// Core (AddBotCore) and only needs to load an index that is already up to date rather than build one.
    /// </summary>
    public static string IndexPath => Shared.Value.Dir.Sub("index");

    /// <summary>The shared handler (the same instance as <see cref="Handler"/>; kept for call sites that read as a factory).</summary>
    public static IQuestionHandler CreateHandler() => Handler;

    private static (ServiceProvider, TempDir) Build()
    {
        var tmp = RepoPaths.NewTempDir("bot-test-core");
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
