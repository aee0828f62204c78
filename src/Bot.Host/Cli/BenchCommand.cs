using Microsoft.Extensions.Configuration;

namespace Bot.Host.Cli;

internal static class BenchCommand
{
    public static int Run(IReadOnlyList<string> argv, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        _ = argv;
        _ = config;
        _ = stdout;
        _ = stderr;
        throw new UsageException("bench: not built yet");
    }
}
