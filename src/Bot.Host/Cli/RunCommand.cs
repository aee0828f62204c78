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

        // Build or check the index before connecting, so the first question does not pay for it.
        var engine = host.Services.GetRequiredService<SearchEngine>();
        engine.EnsureIndex();
        await stdout.WriteLineAsync($"serving {engine.Manifest!.Passages} passages from {engine.Manifest.Articles} articles on {string.Join(" and ", platforms)}; Ctrl+C stops").ConfigureAwait(false);
        await host.RunAsync().ConfigureAwait(false);
        return ExitCodes.Ok;
    }

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
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Services.AddBotCore(config).AddBotStorage(config).AddDigests(config);
        AddPlatforms(builder.Services, config);
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
