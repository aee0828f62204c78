namespace Bot.Slack;

/// <summary>
/// Remembers event ids (and envelope / trigger ids for non-event deliveries) for a window of at least 10 minutes, so a
/// redelivery (retry_attempt ≥ 1, X-Slack-Retry-Num, or the same event again on another socket) is handled once.
/// </summary>
internal sealed class SlackDeduper
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Expires)> _order = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;

    public SlackDeduper(TimeProvider time, TimeSpan window)
    {
        _time = time;
        _window = window;
    }

    /// <summary>True the first time <paramref name="key"/> is seen within the window; false for a duplicate.</summary>
    public bool TryFirstSee(string key)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            while (_order.Count > 0 && _order.Peek().Expires <= now)
            {
                var (oldKey, expires) = _order.Dequeue();
                if (_seen.TryGetValue(oldKey, out var current) && current == expires)
                {
                    _seen.Remove(oldKey);
                }
            }

            if (_seen.TryGetValue(key, out var until) && until > now)
            {
                return false;
            }

            var expiry = now + _window;
            _seen[key] = expiry;
            _order.Enqueue((key, expiry));
            return true;
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }
}
