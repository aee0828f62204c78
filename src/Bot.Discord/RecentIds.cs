namespace Bot.Discord;

/// <summary>A bounded set of recently handled ids (messages, interactions) so a replayed event is handled once.</summary>
internal sealed class RecentIds
{
    private readonly int _capacity;
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly object _gate = new();

    public RecentIds(int capacity = 10_000) => _capacity = capacity;

    /// <summary>True the first time <paramref name="id"/> is seen.</summary>
    public bool TryAdd(string id)
    {
        lock (_gate)
        {
            if (!_set.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > _capacity)
            {
                _set.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
