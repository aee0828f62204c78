using Bot.Core.Storage;

namespace Bot.Core.Chat;

/// <summary>
/// Remembers recently handled keys (message, interaction, event, envelope or trigger ids) so a replayed or redelivered
/// event is handled once. A key is forgotten after <c>window</c> (when given) or, oldest first, once more than
/// <c>capacity</c> keys are held. Thread-safe.
/// <para>With a shared <see cref="IEventClaims"/> (the database replicas share), a key new to this process is also
/// claimed there, so of several replicas receiving the same event only the one whose claim wins handles it; the
/// in-memory check stays first, a cheap filter for this process's own redeliveries.</para>
/// </summary>
public sealed class RecentKeys
{
    /// <summary>How long a shared claim lasts when no window is given (Discord replays arrive within minutes).</summary>
    public static readonly TimeSpan SharedClaimTtl = TimeSpan.FromHours(1);

    private readonly IEventClaims? _shared;
    private readonly string _scope;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Expires)> _order = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan? _window;
    private readonly int _capacity;

    /// <param name="time">The clock the window is measured on.</param>
    /// <param name="window">How long a key is remembered; null: until evicted by <paramref name="capacity"/>.</param>
    /// <param name="capacity">Most keys held at once.</param>
    /// <param name="shared">Claims shared with other replicas (null: this process decides alone).</param>
    /// <param name="scope">Prefix of the shared claim keys, naming the platform and kind (<c>discord:message:</c>).</param>
    public RecentKeys(TimeProvider time, TimeSpan? window, int capacity = int.MaxValue, IEventClaims? shared = null, string scope = "")
    {
        _shared = shared;
        _scope = scope;
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

    /// <summary>
    /// True the first time <paramref name="key"/> is seen (within the window) by this process and, with shared claims, by
    /// any replica; false for a duplicate.
    /// </summary>
    public bool TryFirstSee(string key) => TryFirstSee(key, sharedTtl: null);

    /// <summary>
    /// Like <see cref="TryFirstSee(string)"/>, but the shared claim lasts only <paramref name="sharedTtl"/> (when given): for
    /// an event not yet acknowledged to the platform, so that if this process dies before its ack, the platform's
    /// redelivery to another replica finds the claim expired and is answered there. <see cref="Confirm"/> gives the claim
    /// its full lifetime once the ack is sent.
    /// </summary>
    public bool TryFirstSee(string key, TimeSpan? sharedTtl) =>
        TryFirstSeeHere(key) && (_shared is null || _shared.TryClaim(_scope + key, sharedTtl ?? FullTtl));

    /// <summary>Extends the shared claim of a key won with a short TTL to its full lifetime (no-op without shared claims).</summary>
    public void Confirm(string key) => _shared?.Extend(_scope + key, FullTtl);

    /// <summary>Whether claims are shared with other replicas.</summary>
    public bool Shared => _shared is not null;

    private TimeSpan FullTtl => _window ?? SharedClaimTtl;

    private bool TryFirstSeeHere(string key)
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
