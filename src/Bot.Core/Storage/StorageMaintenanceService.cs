using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Storage;

/// <summary>
/// Opens (creates, checks, migrates) the database when the host starts, so a locked or corrupt file stops start-up with
/// one <see cref="StorageException"/>; then purges the query log at start-up and once a day (once per UTC day across
/// replicas sharing the database, <see cref="QueryLogStore.PurgeOncePerDay"/>), and sweeps expired claims.
/// </summary>
public sealed partial class StorageMaintenanceService : BackgroundService
{
    private readonly BotDatabase _db;
    private readonly QueryLogStore _log;
    private readonly EventClaimStore? _claims;
    private readonly TimeProvider _time;
    private readonly ILogger<StorageMaintenanceService> _logger;

    public StorageMaintenanceService(BotDatabase db, QueryLogStore log, TimeProvider time, ILogger<StorageMaintenanceService> logger, EventClaimStore? claims = null)
    {
        _claims = claims;
        _db = db;
        _log = log;
        _time = time;
        _logger = logger;
    }

    public static TimeSpan PurgeInterval { get; } = TimeSpan.FromDays(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _db.Initialize();
        PurgeOnce();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PurgeInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            PurgeOnce();
        }
    }

    private void PurgeOnce()
    {
        try
        {
            var n = _log.PurgeOncePerDay();
            if (n > 0)
            {
                LogPurged(_logger, n.Value, _db.Options.QueryLogDays);
            }

            _claims?.Sweep();
        }
        catch (StorageException ex)
        {
            LogPurgeFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Rows} query-log and feedback rows older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int rows, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query-log purge failed, will retry tomorrow: {Reason}")]
    private static partial void LogPurgeFailed(ILogger logger, string reason);
}
