using Bot.Core;
using Bot.Core.Chat;
using Bot.Core.Digests;
using Bot.Core.Search;
using Bot.Core.Storage;
using Bot.Dashboard;
using Bot.Discord;
using Bot.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot dashboard</c>: the operators' page on its own, no chat platform needed. Opens the local index and database, prints
/// the URL, serves until Ctrl+C. Digests are previewed, never posted, and nothing runs on a schedule.
/// </summary>
internal static class DashboardCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string>());
        args.RejectUnknown();
        if (args.Positionals.Count > 0)
        {
            throw new UsageException($"dashboard takes no arguments (got '{args.Positionals[0]}')");
        }

        await using var sp = BuildStandalone(config, LogLevel.Warning);
        var server = await StartAsync(sp, CancellationToken.None).ConfigureAwait(false);
        await stdout.WriteLineAsync($"dashboard: {server.Address} (Ctrl+C stops)").ConfigureAwait(false);

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await server.StopAsync(timeout.Token).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Opens the index (building it when missing) and the database, then starts Kestrel.</summary>
    internal static async Task<DashboardServer> StartAsync(IServiceProvider sp, CancellationToken cancellationToken)
    {
        _ = sp.GetRequiredService<IOptions<DashboardOptions>>().Value;
        sp.GetRequiredService<SearchEngine>().EnsureIndex();
        sp.GetRequiredService<BotDatabase>().Initialize();
        sp.GetRequiredService<CorpusWatcher>().CheckNow();
        var server = sp.GetRequiredService<DashboardServer>();
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>The standalone composition: Core, storage, digests (for previews), the renderers' previews; no hosted services run.</summary>
    internal static ServiceProvider BuildStandalone(IConfiguration config, LogLevel level, Action<IServiceCollection>? customize = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(level).AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddBotCore(config).AddBotStorage(config).AddDigests(config);
        AddDashboardParts(services, config, hosted: false);
        customize?.Invoke(services);
        var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _ = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = sp.GetRequiredService<IOptions<DigestOptions>>().Value;
        return sp;
    }

    /// <summary>
    /// The dashboard and what it shows of the adapters: both renderers' previews always, each configured platform's
    /// connection state. Called by <c>bot run</c> (hosted) and <c>bot dashboard</c>.
    /// </summary>
    internal static void AddDashboardParts(IServiceCollection services, IConfiguration config, bool hosted)
    {
        services.AddDashboard(config, hosted);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAnswerPreview, DiscordAnswerPreview>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAnswerPreview, SlackAnswerPreview>());
        if (hosted && DiscordOptions.IsConfigured(config))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformStatus, DiscordPlatformStatus>());
        }

        if (hosted && SlackOptions.IsConfigured(config))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformStatus, SlackPlatformStatus>());
        }
    }
}
