using System.Collections.Concurrent;
using Bot.Core.Chat;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>
/// <see cref="IChatPlatform"/> for Slack: renders a <see cref="BotMessage"/> into as many messages as Slack's limits need
/// and posts them in order with chat.postMessage, at least <see cref="SlackOptions.ChannelPostInterval"/> apart per
/// channel (TimeProvider). Slack errors become <see cref="ChatPlatformException"/> with the error name.
/// </summary>
internal sealed class SlackPlatform : IChatPlatform
{
    private readonly SlackWebApiClient _api;
    private readonly SlackRenderer _renderer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ConcurrentDictionary<string, ChannelPacer> _pacers = new(StringComparer.Ordinal);

    public SlackPlatform(SlackWebApiClient api, SlackRenderer renderer, IOptions<SlackOptions> options, TimeProvider time)
    {
        _api = api;
        _renderer = renderer;
        _time = time;
        _interval = options.Value.ChannelPostInterval;
    }

    public string Name => SlackEventDispatcher.PlatformName;

    public async Task<PostResult> PostAsync(ChannelRef channel, BotMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        var parts = _renderer.RenderDigest(message);
        var pacer = _pacers.GetOrAdd(channel.ChannelId, _ => new ChannelPacer());
        var ids = new List<string>(parts.Count);
        await pacer.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var part in parts)
            {
                if (pacer.LastPost is { } last)
                {
                    var wait = last + _interval - _time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    }
                }

                try
                {
                    ids.Add(await _api.PostMessageAsync(channel.ChannelId, part, null, cancellationToken).ConfigureAwait(false));
                }
                catch (SlackApiException ex)
                {
                    // a 5xx or transport failure after sending may still have created the message on Slack's side
                    var uncertain = ex.Error == "transport_error" || ex.Error.StartsWith("http_5", StringComparison.Ordinal);
                    throw new ChatPlatformException(Name, ex.Error, $"Slack refused the post to {channel}: {ex.Error}",
                        SlackErrors.IsPermanentPostError(ex.Error), uncertain, ids.ToArray());
                }
                finally
                {
                    pacer.LastPost = _time.GetUtcNow();
                }
            }
        }
        finally
        {
            pacer.Gate.Release();
        }

        return new PostResult(ids);
    }

    private sealed class ChannelPacer
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTimeOffset? LastPost { get; set; }
    }
}
