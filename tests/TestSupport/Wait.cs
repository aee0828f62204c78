using System.Diagnostics;

namespace Bot.TestSupport;

/// <summary>
/// Waiting on a condition instead of sleeping, for every test project: polls until the condition holds or the timeout
/// (30 s by default: a busy CI machine may be slow to start sockets) runs out, then fails naming what it waited for.
/// </summary>
internal static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Polls <paramref name="condition"/> every <paramref name="poll"/> (10 ms by default); runs <paramref name="whileWaiting"/>
    /// before each pause (e.g. to move a fake clock on); throws a <see cref="TimeoutException"/> naming <paramref name="what"/>.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Action? whileWaiting = null, TimeSpan? poll = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var pause = poll ?? TimeSpan.FromMilliseconds(10);
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > limit)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }

            whileWaiting?.Invoke();
            await Task.Delay(pause);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value, and returns it (see <see cref="UntilAsync"/>).</summary>
    public static async Task<T> ForAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null, Action? whileWaiting = null)
        where T : class
    {
        T? value = null;
        await UntilAsync(() => (value = probe()) is not null, what, timeout, whileWaiting);
        return value!;
    }
}
