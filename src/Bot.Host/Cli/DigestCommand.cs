using Bot.Core;
using Bot.Core.Chat;
using Bot.Core.Digests;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot digest preview [name]</c>: prints the digest each schedule (or the named one) would post now, as plain text;
/// nothing is posted or recorded. <c>bot digest run [name]</c>: posts it once now through the configured platforms and
/// records it (so the next scheduled digest starts its period here).
/// </summary>
internal static class DigestCommand
{
    public static Task<int> RunAsync(IReadOnlyList<string> args, IConfiguration config, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, config, stdout, stderr, static (_, _) => { });

    /// <param name="addPlatforms">Registers the configured <see cref="IChatPlatform"/>s (e.g. the Discord and Slack adapters' AddXxx).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IConfiguration config, TextWriter stdout, TextWriter stderr,
        Action<IServiceCollection, IConfiguration> addPlatforms)
    {
        var cli = new CliArgs(args, new HashSet<string>());
        cli.RejectUnknown();
        if (cli.Positionals.Count == 0 || cli.Positionals[0] is not ("preview" or "run"))
        {
            throw new UsageException(cli.Positionals.Count == 0
                ? "digest needs a subcommand: preview [name] | run [name]"
                : $"unknown digest subcommand '{cli.Positionals[0]}' (use: preview [name] | run [name])");
        }

        if (cli.Positionals.Count > 2)
        {
            throw new UsageException($"digest {cli.Positionals[0]} takes at most one schedule name");
        }

        var name = cli.Positionals.Count == 2 ? cli.Positionals[1] : null;
        try
        {
            await using var sp = Services(config, addPlatforms);
            var runner = sp.GetRequiredService<DigestRunner>();
            var schedules = Select(runner, name);
            var time = sp.GetRequiredService<TimeProvider>();
            sp.GetRequiredService<BotDatabase>().Initialize();
            sp.GetRequiredService<CorpusWatcher>().CheckNow();
            return cli.Positionals[0] == "preview"
                ? await PreviewAsync(runner, schedules, time, stdout).ConfigureAwait(false)
                : await PostAsync(runner, schedules, time, stdout, stderr).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static IReadOnlyList<DigestSchedule> Select(DigestRunner runner, string? name)
    {
        if (runner.Schedules.Count == 0)
        {
            throw new UsageException("no digest schedules are configured; add Digest:Schedules entries (Name, Cron, TimeZone, Targets) to appsettings.json");
        }

        if (name is null)
        {
            return runner.Schedules;
        }

        return runner.Find(name) is { } s
            ? [s]
            : throw new UsageException($"unknown digest schedule '{name}' (configured: {string.Join(", ", runner.Schedules.Select(x => x.Name))})");
    }

    private static async Task<int> PreviewAsync(DigestRunner runner, IReadOnlyList<DigestSchedule> schedules, TimeProvider time, TextWriter stdout)
    {
        var now = time.GetUtcNow();
        for (var i = 0; i < schedules.Count; i++)
        {
            var s = schedules[i];
            if (i > 0)
            {
                await stdout.WriteLineAsync().ConfigureAwait(false);
            }

            // One preview per target: each shows only the questions asked in that channel.
            foreach (var target in s.Targets.Count == 0 ? [new Bot.Core.Chat.ChannelRef("", "")] : s.Targets)
            {
                var content = await runner.PreviewAsync(s, target, now, CancellationToken.None).ConfigureAwait(false);
                await stdout.WriteLineAsync($"[{s.Name}] → {target}").ConfigureAwait(false);
                await stdout.WriteAsync(DigestPlainText.Render(content.Message)).ConfigureAwait(false);
                if (content.IsEmpty && !runner.Options.PostWhenEmpty)
                {
                    await stdout.WriteLineAsync("(nothing to say: this digest would not be posted; set Digest:PostWhenEmpty=true to post it anyway)").ConfigureAwait(false);
                }
            }
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> PostAsync(DigestRunner runner, IReadOnlyList<DigestSchedule> schedules, TimeProvider time, TextWriter stdout, TextWriter stderr)
    {
        if (runner.Platforms.Count == 0)
        {
            await stderr.WriteLineAsync("error: no chat platform is configured to post digests. Set Discord:Token for Discord, or Slack:BotToken and Slack:AppToken for Slack (appsettings.json or environment variables such as Discord__Token).").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var failed = false;
        foreach (var s in schedules)
        {
            var results = await runner.RunTickAsync(s, time.GetUtcNow(), DigestRunStore.TriggerManual, CancellationToken.None).ConfigureAwait(false);
            foreach (var r in results)
            {
                failed |= r.Outcome is TargetOutcome.Failed or TargetOutcome.Unknown or TargetOutcome.NotConfigured;
                var detail = r.Outcome switch
                {
                    TargetOutcome.Posted => $"posted ({r.MessageIds.Count} message{(r.MessageIds.Count == 1 ? "" : "s")})",
                    TargetOutcome.Empty => "nothing to say, not posted (Digest:PostWhenEmpty is off)",
                    TargetOutcome.NotConfigured => $"skipped: {r.Error}",
                    _ => $"{r.Outcome.ToString().ToLowerInvariant()}: {r.Error}",
                };
                await (r.Outcome is TargetOutcome.Posted or TargetOutcome.Empty ? stdout : stderr)
                    .WriteLineAsync($"[{s.Name}] {r.Target}: {detail}").ConfigureAwait(false);
            }
        }

        return failed ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static ServiceProvider Services(IConfiguration config, Action<IServiceCollection, IConfiguration> addPlatforms)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddBotCore(config).AddBotStorage(config).AddDigests(config);
        addPlatforms(services, config);
        var sp = services.BuildServiceProvider();
        _ = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = sp.GetRequiredService<IOptions<DigestOptions>>().Value;
        return sp;
    }
}
