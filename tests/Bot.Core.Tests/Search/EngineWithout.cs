using Bot.Core.Commands;
using Bot.Core.Search;
using Bot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Search;

/// <summary>An engine on the real seeds whose data file at <c>key</c> (a dictionary) points at a path that does not
/// exist: what the bot does without it, beside the fixture's engine with it.</summary>
internal sealed class EngineWithout : IDisposable
{
    private readonly TempDir _tmp;
    private readonly ServiceProvider _services;

    public EngineWithout(string key)
    {
        _tmp = RepoPaths.NewTempDir("bot-without");
        _services = EngineFixture.Build(RepoPaths.Seeds, _tmp.Sub("index"), new() { [key] = _tmp.Sub("missing") });
        _services.GetRequiredService<SearchEngine>().EnsureIndex();
        Handler = _services.GetRequiredService<QuestionHandler>();
    }

    public QuestionHandler Handler { get; }

    /// <summary>A path inside this engine's scratch folder (nothing is there).</summary>
    public string Sub(string name) => _tmp.Sub(name);

    public void Dispose()
    {
        _services.Dispose();
        _tmp.Dispose();
    }
}

/// <summary>Tests of what a data file changes in an answer: the fixture's engine (<see cref="With"/>) beside one whose file
/// at <c>key</c> points at nothing (<see cref="Without"/>), which must still answer.</summary>
public abstract class WithAndWithoutTests : IClassFixture<EngineFixture>, IDisposable
{
    private readonly EngineWithout _engine;

    protected WithAndWithoutTests(EngineFixture fixture, string key)
    {
        With = fixture.Handler;
        _engine = new EngineWithout(key);
        Without = _engine.Handler;
    }

    protected QuestionHandler With { get; }

    protected QuestionHandler Without { get; }

    /// <summary>A path inside the engine-without's scratch folder (nothing is there).</summary>
    protected string ScratchPath(string name) => _engine.Sub(name);

    public void Dispose()
    {
        _engine.Dispose();
        GC.SuppressFinalize(this);
    }
}
