using Bot.Core.Commands;
using Bot.Core.Search;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests;

/// <summary>A real index over the repository's seeds in a temporary folder, shared by a test class.</summary>
public sealed class EngineFixture : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-core");
    private readonly ServiceProvider _sp;

    public EngineFixture()
    {
        _sp = Build(RepoPaths.Seeds, _tmp.Sub("index"));
        Handler = _sp.GetRequiredService<QuestionHandler>();
        Engine = _sp.GetRequiredService<SearchEngine>();
        Engine.EnsureIndex();
    }

    public QuestionHandler Handler { get; }

    public SearchEngine Engine { get; }

    public static ServiceProvider Build(string seeds, string index, Dictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?> { ["Corpus:SeedsPath"] = seeds, ["Index:Path"] = index };
        foreach (var kv in extra ?? [])
        {
            values[kv.Key] = kv.Value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddBotCore(config).BuildServiceProvider();
    }

    public void Dispose()
    {
        _sp.Dispose();
        _tmp.Dispose();
    }
}
