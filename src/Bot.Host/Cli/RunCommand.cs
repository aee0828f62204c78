using Bot.Core;
using Bot.Core.Search;
using Bot.Discord;
using Bot.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Cli;

/// <summary><c>bot run</c>: starts every configured chat platform in one generic host; Ctrl+C (SIGINT/SIGTERM) stops it cleanly.</summary>
internal static class RunCommand
{
    public const string NothingConfigured =
        "no chat platform is configured. Set Discord:Token for Discord, or Slack:BotToken and Slack:AppToken for Slack " +
        "(appsettings.json, or environment variables such as Discord__Token / BOT_Slack__BotToken)";

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string>());
        args.RejectUnknown();
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"run takes no arguments (got '{args.Positionals[0]}')");
        }

        var platforms = ConfiguredPlatforms(config);
        if (platforms.Count == 0)
        {
            throw new UsageException(NothingConfigured);
        }

        using var host = Build(config);

        // Configuration and storage first (one line each, no host stack trace), then the index, so a typo in a setting
        // does not wait for a build; then the index before connecting, so the first question does not pay for it.
        host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        host.Services.GetRequiredService<Bot.Core.Storage.BotDatabase>().Initialize();
        var engine = host.Services.GetRequiredService<SearchEngine>();
        engine.EnsureIndex();
        await stdout.WriteLineAsync($"serving {engine.Manifest!.Passages} passages from {engine.Manifest.Articles} articles on {string.Join(" and ", platforms)}; Ctrl+C stops").ConfigureAwait(false);
        return await ServeAsync(host, stderr).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the host until Ctrl+C / SIGTERM (exit 0), or until every configured platform has stopped for good (a rejected
    /// token, a fatal close code: exit 1, so a supervisor restarting on failure sees it). One platform failing leaves the
    /// other running.
    /// </summary>
    internal static async Task<int> ServeAsync(IHost host, TextWriter stderr)
    {
        await host.StartAsync().ConfigureAwait(false);
        var adapters = host.Services.GetServices<Bot.Core.Chat.IChatAdapterStatus>().ToList();
        var allStopped = adapters.Count == 0 ? new TaskCompletionSource<string[]>().Task : Task.WhenAll(adapters.Select(a => a.StoppedForGood));
        var shutdown = host.WaitForShutdownAsync();
        if (await Task.WhenAny(allStopped, shutdown).ConfigureAwait(false) == allStopped)
        {
            host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await shutdown.ConfigureAwait(false);
            await stderr.WriteLineAsync($"error: every configured chat platform stopped for good: {string.Join("; ", await allStopped.ConfigureAwait(false))}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await shutdown.ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The one shutdown budget (Host:ShutdownTimeout): both adapters drain at the same time within it.</summary>
    internal static TimeSpan ShutdownBudget(IConfiguration config) =>
        config.GetValue<TimeSpan?>("Host:ShutdownTimeout") is { } t && t >= TimeSpan.Zero ? t : TimeSpan.FromSeconds(10);

    internal static List<string> ConfiguredPlatforms(IConfiguration config)
    {
        var list = new List<string>();
        if (DiscordOptions.IsConfigured(config))
        {
            list.Add("Discord");
        }

        if (SlackOptions.IsConfigured(config))
        {
            list.Add("Slack");
        }

        return list;
    }

    /// <summary>The composition root of the running bot.</summary>
    internal static IHost Build(IConfiguration config)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddConfiguration(config);
        builder.Logging.AddConfiguration(config.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // SIGTERM: every hosted service stops at once (not Slack, then Discord), each adapter drains its answers within the
        // one budget, and the host waits that budget plus a little for sockets to close. A crashing service is logged by
        // its adapter and never stops the host (and so the other platform).
        var budget = ShutdownBudget(config);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = budget + TimeSpan.FromSeconds(3);
            o.ServicesStopConcurrently = true;
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
        });
        builder.Services.AddBotCore(config).AddBotStorage(config).AddDigests(config);
        AddPlatforms(builder.Services, config);
        builder.Services.PostConfigure<DiscordOptions>(o => o.ShutdownTimeout = budget);
        builder.Services.PostConfigure<SlackOptions>(o => o.ShutdownTimeout = budget);
        if (Bot.Dashboard.DashboardOptions.IsEnabled(config))
        {
            DashboardCommand.AddDashboardParts(builder.Services, config, hosted: true);
        }

        return builder.Build();
    }

    /// <summary>Every chat adapter; each registers its services only when configured.</summary>
    internal static void AddPlatforms(IServiceCollection services, IConfiguration config)
    {
        services.AddDiscord(config);
        services.AddSlack(config);
    }
}

/// <summary><c>bot discord …</c> and <c>bot slack …</c> helpers.</summary>
internal static class PlatformCommands
{
    public static async Task<int> DiscordAsync(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout)
    {
        if (argv.Count != 1 || argv[0] != "invite")
        {
            throw new UsageException(argv.Count == 0 ? "discord needs a subcommand: invite" : $"unknown discord subcommand '{string.Join(' ', argv)}' (try: discord invite)");
        }

        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await stdout.WriteLineAsync(await DiscordInvite.BuildUrlAsync(config, cts.Token).ConfigureAwait(false)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (InvalidOperationException ex)
        {
            throw new UsageException(ex.Message);
        }
        catch (Bot.Discord.Rest.DiscordApiException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    public static int Slack(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout)
    {
        if (argv.Count != 1 || argv[0] != "manifest")
        {
            throw new UsageException(argv.Count == 0 ? "slack needs a subcommand: manifest" : $"unknown slack subcommand '{string.Join(' ', argv)}' (try: slack manifest)");
        }

        stdout.WriteLine(SlackManifest.Build(config));
        return ExitCodes.Ok;
    }
}
