using Bot.Core.Chat;

namespace Bot.Core.Digests;

/// <summary>
/// Keeps posts to one channel apart: one post at a time per channel, and at least <c>Digest:ChannelPacing</c> (≥ 1 s)
/// between the end of one and the start of the next, measured on the injected clock. Different channels do not wait
/// for each other. (Splitting one digest into several platform messages is paced by the adapter.)
/// </summary>
public sealed class ChannelPacer
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _gap;
    private readonly Dictionary<ChannelRef, Slot> _slots = [];
    private readonly Lock _gate = new();

    public ChannelPacer(TimeProvider time, TimeSpan gap)
    {
        _time = time;
        _gap = gap;
    }

    /// <summary>Waits for the channel's turn; dispose the result when the post is done.</summary>
    public async Task<IDisposable> WaitTurnAsync(ChannelRef channel, CancellationToken cancellationToken)
    {
        Slot slot;
        lock (_gate)
        {
            if (!_slots.TryGetValue(channel, out slot!))
            {
                slot = new Slot();
                _slots[channel] = slot;
            }
        }

        await slot.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.LastEnd is { } last)
            {
                var wait = last + _gap - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            slot.Semaphore.Release();
            throw;
        }

        return new Turn(this, slot);
    }

    private sealed class Slot
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public DateTimeOffset? LastEnd { get; set; }
    }

    private sealed class Turn(ChannelPacer pacer, Slot slot) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                slot.LastEnd = pacer._time.GetUtcNow();
                slot.Semaphore.Release();
            }
        }
    }
}
