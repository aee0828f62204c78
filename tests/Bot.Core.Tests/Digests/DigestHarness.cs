using System.Collections.Concurrent;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Digests;
using Bot.Core.Storage;
using Bot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.Digests;

/// <summary>A posted message as the platform double saw it.</summary>
internal sealed record RecordedPost(ChannelRef Channel, BotMessage Message, DateTimeOffset At);

/// <summary>
/// Stands in for a chat platform (Discord or Slack) behind <see cref="IChatPlatform"/>: records every post with the fake
/// clock's time; <see cref="Behavior"/> can make a post fail or hang.
/// </summary>
internal sealed class RecordingPlatform(string name, TimeProvider time) : IChatPlatform
{
    private int _n;

    public string Name => name;

    public ConcurrentQueue<RecordedPost> Posts { get; } = new();

    /// <summary>Runs after the post is recorded (i.e. after it "reached the platform"): throw to refuse, never finish to hang.</summary>
    public Func<RecordedPost, CancellationToken, Task>? Behavior { get; set; }

    public IReadOnlyList<RecordedPost> To(string channel) => Posts.Where(p => p.Channel.ChannelId == channel).ToList();

    public async Task<PostResult> PostAsync(ChannelRef channel, BotMessage message, CancellationToken cancellationToken)
    {
        var post = new RecordedPost(channel, message, time.GetUtcNow());
        Posts.Enqueue(post);
        if (Behavior is { } b)
        {
            await b(post, cancellationToken).ConfigureAwait(false);
        }

        return new PostResult([$"{name}-{Interlocked.Increment(ref _n)}"]);
    }
}

/// <summary>
/// One "bot process" for digest tests: the real Core (handler over a temporary copy of the seeds, temporary index),
/// the real SQLite storage in a temp folder, a fake clock, and recording platform doubles for "discord" and "slack".
/// Two harnesses over the same <see cref="Dir"/> are two processes sharing the database (a restart).
/// </summary>
internal sealed class DigestHarness : IAsyncDisposable
{
    private readonly bool _ownsDir;
    private List<IHostedService> _started = [];

    private DigestHarness(TempDir dir, bool ownsDir, DateTimeOffset start, Dictionary<string, string?> settings)
    {
        Dir = dir;
        _ownsDir = ownsDir;
        Time = new FakeTimeProvider(start);
        Discord = new RecordingPlatform("discord", Time);
        Slack = new RecordingPlatform("slack", Time);
        var values = new Dictionary<string, string?>
        {
            ["Corpus:SeedsPath"] = SeedsPath,
            ["Index:Path"] = Path.Combine(dir.Path, "index"),
            ["Storage:Path"] = DbPath,
            ["Storage:BusyTimeout"] = "00:00:02",
            ["Corpus:WatchInterval"] = "00:00:30",
        };
        foreach (var kv in settings)
        {
            values[kv.Key] = kv.Value;
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddBotCore(config).AddBotStorage(config).AddDigests(config);
        services.AddSingleton<IChatPlatform>(Discord);
        services.AddSingleton<IChatPlatform>(Slack);
        Services = services.BuildServiceProvider();
    }

    public TempDir Dir { get; }

    public string SeedsPath => Path.Combine(Dir.Path, "seeds");

    public string DbPath => Path.Combine(Dir.Path, "data", "bot.db");

    public FakeTimeProvider Time { get; }

    public RecordingPlatform Discord { get; }

    public RecordingPlatform Slack { get; }

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public DigestScheduler Scheduler => Get<DigestScheduler>();

    public DigestRunStore Runs => Get<DigestRunStore>();

    public QueryLogStore QueryLog => Get<QueryLogStore>();

    public IQuestionHandler Handler => Get<IQuestionHandler>();

    public IEnumerable<RecordedPost> AllPosts => Discord.Posts.Concat(Slack.Posts);

    /// <summary>A new process with its own folder (seeds copied from the repository).</summary>
    public static DigestHarness Create(DateTimeOffset start, Dictionary<string, string?> settings)
    {
        var dir = RepoPaths.NewTempDir("bot-digest");
        Directory.CreateDirectory(Path.Combine(dir.Path, "seeds"));
        foreach (var f in Directory.GetFiles(RepoPaths.Seeds, "*.txt"))
        {
            File.Copy(f, Path.Combine(dir.Path, "seeds", Path.GetFileName(f)));
        }

        return new DigestHarness(dir, ownsDir: true, start, settings);
    }

    /// <summary>Another process over the same folder and database (after a crash or restart), with its own clock.</summary>
    public DigestHarness Restart(DateTimeOffset start, Dictionary<string, string?> settings) => new(Dir, ownsDir: false, start, settings);

    /// <summary>Starts the hosted services in registration order, as the generic host does.</summary>
    public async Task StartAsync()
    {
        _started = Services.GetServices<IHostedService>().ToList();
        foreach (var s in _started)
        {
            await s.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>Simulates a killed process: its services are never stopped (a hung post stays hung), only the folder is kept.</summary>
    public void Crash() => _started = [];

    /// <summary>Stops the hosted services; a stop that does not finish in 5 s (e.g. a hung post) is abandoned, like a killed process.</summary>
    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        foreach (var s in Enumerable.Reverse(_started))
        {
            try
            {
                await s.StopAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _started = [];
    }

    /// <summary>Waits (real time, polling) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, int timeoutMs = 15_000)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException($"timed out waiting for: {what}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Waits until <paramref name="schedule"/> has armed its timer for <paramref name="tick"/>.</summary>
    public Task WaitForArmed(string schedule, DateTimeOffset tick) =>
        WaitUntil(() => Scheduler.Waiting.TryGetValue(schedule, out var t) && t == tick, $"{schedule} waiting for {tick:o}");

    /// <summary>Moves the fake clock to <paramref name="to"/>.</summary>
    public void AdvanceTo(DateTimeOffset to)
    {
        var by = to - Time.GetUtcNow();
        if (by > TimeSpan.Zero)
        {
            Time.Advance(by);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Services.DisposeAsync();
        if (_ownsDir)
        {
            Dir.Dispose();
        }
    }

    /// <summary>Settings for one schedule with a Discord and a Slack target.</summary>
    public static Dictionary<string, string?> Schedule(string name, string cron, string zone, bool postWhenEmpty = true, int index = 0,
        string discordChannel = "D1", string slackChannel = "C1")
    {
        var p = $"Digest:Schedules:{index}";
        var d = new Dictionary<string, string?>
        {
            [$"{p}:Name"] = name,
            [$"{p}:Cron"] = cron,
            [$"{p}:TimeZone"] = zone,
            ["Digest:PostWhenEmpty"] = postWhenEmpty ? "true" : "false",
        };
        var t = 0;
        if (discordChannel.Length > 0)
        {
            d[$"{p}:Targets:{t}:Platform"] = "discord";
            d[$"{p}:Targets:{t++}:ChannelId"] = discordChannel;
        }

        if (slackChannel.Length > 0)
        {
            d[$"{p}:Targets:{t}:Platform"] = "slack";
            d[$"{p}:Targets:{t}:ChannelId"] = slackChannel;
        }

        return d;
    }
}
