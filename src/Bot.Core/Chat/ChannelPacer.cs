namespace Bot.Core.Chat;

/// <summary>
/// Keeps posts to one channel apart: one post at a time per channel, and at least the gap between the end of one post
/// and the start of the next, measured on the injected clock. Different channels do not wait for each other. The digest
/// runner paces whole digests with it (<c>Digest:ChannelPacing</c>); an adapter that splits one message into several
/// platform posts holds one turn and calls <see cref="ITurn.NextAsync"/> between the parts (e.g.
/// <c>Slack:ChannelPostInterval</c>), so the parts of two messages never interleave.
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

    /// <summary>One channel's turn; dispose it when the post is done (that moment starts the gap).</summary>
    public interface ITurn : IDisposable
    {
        /// <summary>Marks the end of one part and waits the gap before the next, keeping the turn.</summary>
        Task NextAsync(CancellationToken cancellationToken);
    }

    /// <summary>Waits for the channel's turn; dispose the result when the post is done.</summary>
    public async Task<ITurn> WaitTurnAsync(ChannelRef channel, CancellationToken cancellationToken)
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
            await WaitGapAsync(slot, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            slot.Semaphore.Release();
            throw;
        }

        return new Turn(this, slot);
    }

    private async Task WaitGapAsync(Slot slot, CancellationToken cancellationToken)
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

    private sealed class Slot
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public DateTimeOffset? LastEnd { get; set; }
    }

    private sealed class Turn(ChannelPacer pacer, Slot slot) : ITurn
    {
        private int _done;

        public Task NextAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _done) == 1, this);
            slot.LastEnd = pacer._time.GetUtcNow();
            return pacer.WaitGapAsync(slot, cancellationToken);
        }

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
