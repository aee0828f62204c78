using Microsoft.Extensions.Hosting;

namespace Bot.Core.Chat;

/// <summary>
/// What every chat adapter's hosted service shares as the host sees it (<see cref="IChatAdapterStatus"/>): its platform
/// name, whether it runs, and <see cref="StoppedForGood"/>, completed once with a one-line reason when the adapter has
/// stopped and will not recover by itself (a rejected token, a fatal close code, a crash). An adapter never takes the
/// host (or the other platform) down: it catches its own crash and reports it with <see cref="CrashReason"/>.
/// </summary>
public abstract class ChatAdapterService : BackgroundService, IChatAdapterStatus
{
    private readonly TaskCompletionSource<string> _stoppedForGood = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="platform">"discord" or "slack".</param>
    protected ChatAdapterService(string platform) => Platform = platform;

    public string Platform { get; }

    public Task<string> StoppedForGood => _stoppedForGood.Task;

    /// <summary>True between start and stop.</summary>
    public bool Running => ExecuteTask is { IsCompleted: false };

    /// <summary>Says why the adapter stopped for good (the first reason given wins).</summary>
    protected void StopForGood(string reason) => _stoppedForGood.TrySetResult(reason);

    /// <summary>The one-line reason for a crash of the adapter (no stack trace: the log line carries that).</summary>
    protected static string CrashReason(string adapter, Exception exception) =>
        $"{adapter} adapter crashed: {exception.GetType().Name}: {exception.Message}";
}
