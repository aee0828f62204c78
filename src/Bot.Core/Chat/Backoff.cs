namespace Bot.Core.Chat;

/// <summary>
/// The one retry delay of both adapters: capped exponential, <c>min(cap, first · 2^attempt)</c>, with "equal jitter"
/// downwards: a share <c>jitter</c> of it is random, so the delay lies in <c>[nominal · (1 − jitter), nominal]</c>.
/// Reconnect loops jitter (so many clients do not come back in step); retries whose timing a platform documents or a
/// caller relies on pass <c>jitter = 0</c>.
/// </summary>
public static class Backoff
{
    /// <param name="first">The delay of attempt 0.</param>
    /// <param name="cap">The longest delay.</param>
    /// <param name="attempt">0 for the first retry, 1 for the second, …</param>
    /// <param name="jitter">Random share of the delay, 0 (none) to 1.</param>
    /// <param name="sample">A uniform random number in [0, 1) (from the caller's Random, so tests can fix it).</param>
    public static TimeSpan Delay(TimeSpan first, TimeSpan cap, int attempt, double jitter = 0, double sample = 0)
    {
        var firstTicks = Math.Max(0, first.Ticks);
        var capTicks = Math.Max(0, cap.Ticks);
        var nominal = firstTicks == 0 ? 0 : Math.Min(capTicks, firstTicks * (double)(1L << Math.Clamp(attempt, 0, 30)));
        var share = Math.Clamp(jitter, 0, 1);
        return TimeSpan.FromTicks((long)(nominal * (1 - share + (share * Math.Clamp(sample, 0, 1)))));
    }
}
