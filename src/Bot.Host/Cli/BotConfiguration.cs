using Microsoft.Extensions.Configuration;

namespace Bot.Host.Cli;

/// <summary>Configuration sources, later ones win: appsettings.json (optional, current folder), environment variables
/// (<c>Discord__Token</c>; also with the <c>BOT_</c> prefix), then <c>--set Key=Value</c> options.</summary>
internal static class BotConfiguration
{
    public static IConfigurationRoot Build(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("BOT_");
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }
}
