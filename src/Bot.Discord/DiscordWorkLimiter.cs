using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>Bounds how many questions run retrieval at once. Acknowledgements (defers) never wait on it.</summary>
internal sealed class DiscordWorkLimiter
{
    private readonly SemaphoreSlim _slots;

    public DiscordWorkLimiter(IOptions<DiscordOptions> options) => _slots = new SemaphoreSlim(options.Value.MaxConcurrentQuestions);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_slots);
    }

    private sealed class Releaser(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
