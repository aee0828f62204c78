namespace Bot.Core.Chat;

/// <summary>
/// Lets one log line through per interval (injected clock) and counts the ones held back, so that anyone sending
/// garbage cannot flood the log: the next line that gets through says how many were not logged.
/// </summary>
public sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _nextAllowed = long.MinValue;
    private int _suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is the number held back since the last one.</summary>
    public bool TryEnter(out int suppressed)
    {
        var now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            if (now < _nextAllowed)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _nextAllowed = now + interval.Ticks;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
