using Bot.Core;
using Bot.Dashboard.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers the dashboard (section "Dashboard", validated at start-up): <see cref="DashboardQueries"/>,
    /// <see cref="ArticleCatalog"/> and <see cref="DashboardServer"/>, hosted when <paramref name="hosted"/>. Needs AddBotCore,
    /// AddBotStorage and AddDigests; shows every registered <see cref="Bot.Core.Chat.IPlatformStatus"/> and
    /// <see cref="Bot.Core.Chat.IAnswerPreview"/>.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration, bool hosted = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<DashboardOptions>(configuration, DashboardOptions.Section)
            .PostConfigure(o =>
            {
                // An empty ListenUrl (as in appsettings.example.json) keeps the page off in `bot run` and means the default in `bot dashboard`.
                o.ListenUrl = string.IsNullOrWhiteSpace(o.ListenUrl) ? DashboardOptions.DefaultListenUrl : o.ListenUrl.Trim();
                o.Token = string.IsNullOrEmpty(o.Token) ? null : o.Token;
            });
        services.TryAddSingleton<DashboardQueries>();
        services.TryAddSingleton<ArticleCatalog>();
        services.TryAddSingleton<DashboardServer>();
        if (hosted)
        {
            services.AddHostedService(sp => sp.GetRequiredService<DashboardServer>());
        }

        return services;
    }
}
