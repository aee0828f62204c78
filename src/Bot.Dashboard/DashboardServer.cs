using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Dashboard;

/// <summary>Runs the dashboard's Kestrel server alongside the bot (a hosted service in <c>bot run</c>; started by hand in <c>bot dashboard</c>).</summary>
public sealed class DashboardServer : IHostedService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly DashboardOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<DashboardServer> _logger;
    private WebApplication? _app;

    public DashboardServer(IServiceProvider services, IOptions<DashboardOptions> options, ILoggerFactory loggers)
    {
        _services = services;
        _options = options.Value;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DashboardServer>();
    }

    /// <summary>The address Kestrel bound (the real port when the URL asked for port 0), once started.</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _app = DashboardApp.Build(_services, _options, _loggers);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var url = _app.Urls.First();
        Address = new Uri(url.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        DashboardLog.Listening(_logger, Address.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }
}
