namespace Bot.Core.Chat;

/// <summary>
/// Remembers recently handled keys (message, interaction, event, envelope or trigger ids) so a replayed or redelivered
/// event is handled once. A key is forgotten after <c>window</c> (when given) or, oldest first, once more than
/// <c>capacity</c> keys are held. Thread-safe.
/// </summary>
public sealed class RecentKeys
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Expires)> _order = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan? _window;
    private readonly int _capacity;

    /// <param name="time">The clock the window is measured on.</param>
    /// <param name="window">How long a key is remembered; null: until evicted by <paramref name="capacity"/>.</param>
    /// <param name="capacity">Most keys held at once.</param>
    public RecentKeys(TimeProvider time, TimeSpan? window, int capacity = int.MaxValue)
    {
        _time = time;
        _window = window;
        _capacity = Math.Max(1, capacity);
    }

    /// <summary>Keys currently remembered.</summary>
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

    /// <summary>True the first time <paramref name="key"/> is seen (within the window); false for a duplicate.</summary>
    public bool TryFirstSee(string key)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            while (_order.Count > 0 && _order.Peek().Expires <= now)
            {
                Forget(_order.Dequeue());
            }

            if (_seen.TryGetValue(key, out var until) && until > now)
            {
                return false;
            }

            var expiry = _window is { } window ? now + window : DateTimeOffset.MaxValue;
            _seen[key] = expiry;
            _order.Enqueue((key, expiry));
            while (_seen.Count > _capacity && _order.Count > 0)
            {
                Forget(_order.Dequeue());
            }

            return true;
        }
    }

    private void Forget((string Key, DateTimeOffset Expires) entry)
    {
        if (_seen.TryGetValue(entry.Key, out var current) && current == entry.Expires)
        {
            _seen.Remove(entry.Key);
        }
    }
}
