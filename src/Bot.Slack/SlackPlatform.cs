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
    private readonly ChannelPacer _pacer;

    public SlackPlatform(SlackWebApiClient api, SlackRenderer renderer, IOptions<SlackOptions> options, TimeProvider time)
    {
        _api = api;
        _renderer = renderer;
        _pacer = new ChannelPacer(time, options.Value.ChannelPostInterval);
    }

    public string Name => Events.SlackReplier.PlatformName;

    public async Task<PostResult> PostAsync(ChannelRef channel, BotMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        var parts = _renderer.RenderDigest(message);
        var ids = new List<string>(parts.Count);
        using var turn = await _pacer.WaitTurnAsync(channel, cancellationToken).ConfigureAwait(false);
        foreach (var part in parts)
        {
            if (ids.Count > 0)
            {
                await turn.NextAsync(cancellationToken).ConfigureAwait(false);
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
        }

        return new PostResult(ids);
    }
}
