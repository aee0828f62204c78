using Microsoft.Extensions.Configuration;

namespace Bot.Host.Cli;

/// <summary><c>bot run</c>: starts every configured chat platform.</summary>
internal static class RunCommand
{
    public static Task<int> RunAsync(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        _ = argv;
        _ = config;
        _ = stdout;
        stderr.WriteLine("error: no chat platform is configured. Set Discord:Token for Discord, or Slack:BotToken and Slack:AppToken for Slack (appsettings.json or environment variables such as Discord__Token).");
        return Task.FromResult(ExitCodes.Usage);
    }
}

/// <summary><c>bot discord …</c> and <c>bot slack …</c> helpers.</summary>
internal static class PlatformCommands
{
    public static int Discord(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout)
    {
        _ = config;
        _ = stdout;
        throw new UsageException(argv.Count == 0 ? "discord needs a subcommand: invite" : $"unknown discord subcommand '{argv[0]}'");
    }

    public static int Slack(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout)
    {
        _ = config;
        _ = stdout;
        throw new UsageException(argv.Count == 0 ? "slack needs a subcommand: manifest" : $"unknown slack subcommand '{argv[0]}'");
    }
}
