using Bot.Core;
using Bot.Core.Corpus;
using Bot.Core.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Host.Cli;

/// <summary>The command line: index | ask | run | bench | help. Exit codes: 0 ok, 1 failure, 2 bad usage or input.</summary>
internal static class BotCli
{
    public const string Usage = """
        bot — answers questions about the Korean articles in seeds/, with cited snippets.

        usage:
          bot ask "question" [--top N] [--json] [--explain]   answer one question
          bot ask --batch FILE [--out FILE]                   JSONL {id, question} -> JSONL results (eval format)
          bot ask --thread FILE "question" [--json]           a question in the thread kept in FILE (follow-ups continue it)
          bot chat [--thread FILE] [--json] [--no-context]    questions from stdin, one per line, as one thread (empty line: new one)
          bot index [--force] [--no-compact]                  update the index (only the changed articles; --force: full build)
          bot run                                             start every configured chat platform (Ctrl+C stops)
          bot dashboard                                       serve the operators' web page (Dashboard:ListenUrl; Ctrl+C stops)
          bot digest preview [name]                           print the digest each schedule would post now
          bot digest run [name]                               post it now through the configured platforms
          bot discord invite                                  print the Discord OAuth2 invite URL
          bot slack manifest                                  print a Slack app manifest
          bot bench [--corpus DIR] [--sizes 1k,10k,100k] [--queries N]   retrieval benchmark
          bot bench --update [--corpus DIR] [--articles N]       one changed article → searchable (incremental index)
          bot help

        options for every command: --set Key=Value (configuration, e.g. --set Index:Path=/tmp/idx)
        configuration: appsettings.json, environment variables (Discord__Token or BOT_Discord__Token), --set
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok;
            }

            var (rest, overrides) = ExtractSettings(args.Skip(1));
            var config = BotConfiguration.Build(overrides);
            return args[0] switch
            {
                "ask" => AskCommand.Run(rest, config, stdout, stderr),
                "chat" => await ChatCommand.RunAsync(rest, config, stdin ?? Console.In, stdout, stderr).ConfigureAwait(false),
                "index" => IndexCommand.Run(rest, config, stdout, stderr),
                "bench" => BenchCommand.Run(rest, config, stdout, stderr),
                "run" => await RunCommand.RunAsync(rest, config, stdout, stderr).ConfigureAwait(false),
                "dashboard" => await DashboardCommand.RunAsync(rest, config, stdout, stderr).ConfigureAwait(false),
                "digest" => await DigestCommand.RunAsync(rest, config, stdout, stderr, RunCommand.AddPlatforms).ConfigureAwait(false),
                "discord" => await PlatformCommands.DiscordAsync(rest, config, stdout).ConfigureAwait(false),
                "slack" => PlatformCommands.Slack(rest, config, stdout),
                _ => throw new UsageException($"unknown command '{args[0]}' (try: bot help)"),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync($"error: invalid configuration: {string.Join("; ", ex.Failures)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (CorpusException ex)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (FormatException ex)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Bot.Core.Storage.StorageException ex)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (LockObtainFailedException ex)
        {
            await stderr.WriteLineAsync($"error: the index is locked ({OneLine(ex.Message)}); try again when the other process has finished").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (UnauthorizedAccessException ex)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Anything else comes from the environment (a damaged index file, a broken library state): one line, never a stack trace.
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)} ({ex.GetType().Name}); if the index is damaged, `bot index --force` rebuilds it").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Pulls "--set Key=Value" pairs out of the arguments.</summary>
    private static (List<string> Remaining, List<KeyValuePair<string, string?>> Overrides) ExtractSettings(IEnumerable<string> args)
    {
        var rest = new List<string>();
        var overrides = new List<KeyValuePair<string, string?>>();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            string? pair = null;
            if (a == "--set")
            {
                pair = e.MoveNext() ? e.Current : throw new UsageException("--set needs Key=Value");
            }
            else if (a.StartsWith("--set=", StringComparison.Ordinal))
            {
                pair = a["--set=".Length..];
            }

            if (pair is null)
            {
                rest.Add(a);
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"--set needs Key=Value, got '{pair}'");
            }

            overrides.Add(new(pair[..eq], pair[(eq + 1)..]));
        }

        return (rest, overrides);
    }

    /// <summary>Services for one-shot commands: Core only, warnings and errors logged to stderr.</summary>
    public static ServiceProvider CoreServices(IConfiguration config, LogLevel level = LogLevel.Warning, bool evalLevers = false)
    {
        RejectOldLeverSetting(config);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(level).AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddBotCore(config);
        if (evalLevers)
        {
            // measurement only (ask --batch): the levers of section "Eval"; a running bot never binds them
            services.AddSingleton(config.GetSection(EvalLevers.Section).Get<EvalLevers>() ?? new EvalLevers());
        }

        var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        ValidateOptions(sp);
        return sp;
    }

    /// <summary>The measurement levers moved out of the production options: say so instead of silently measuring with all on.</summary>
    internal static void RejectOldLeverSetting(IConfiguration config)
    {
        if (!string.IsNullOrEmpty(config[RetrievalOptions.Section + ":Disable"]))
        {
            throw new UsageException($"Retrieval:Disable is now {EvalLevers.Section}:Disable (read by bench and ask --batch only), e.g. --set {EvalLevers.Section}:Disable=maxscore");
        }
    }

    private static void ValidateOptions(IServiceProvider sp)
    {
        _ = sp.GetRequiredService<IOptions<CorpusOptions>>().Value;
        _ = sp.GetRequiredService<IOptions<IndexOptions>>().Value;
        _ = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
    }
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
