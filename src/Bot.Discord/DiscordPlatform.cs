using System.Net;
using Bot.Core.Chat;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>
/// <see cref="IChatPlatform"/> for Discord: renders a <see cref="BotMessage"/> into as many messages as the limits need
/// and posts them in order with POST /channels/{id}/messages. Refusals become <see cref="ChatPlatformException"/>
/// (permanent for 401/403/404 and unknown-channel/missing-access/permission codes), logged once, never retried blindly.
/// </summary>
internal sealed class DiscordPlatform : IChatPlatform
{
    private readonly DiscordRestClient _rest;
    private readonly DiscordRenderer _renderer;
    private readonly ILogger<DiscordPlatform> _logger;

    public DiscordPlatform(DiscordRestClient rest, DiscordRenderer renderer, ILogger<DiscordPlatform> logger)
    {
        _rest = rest;
        _renderer = renderer;
        _logger = logger;
    }

    public string Name => "discord";

    public async Task<PostResult> PostAsync(ChannelRef channel, BotMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        var ids = new List<string>();
        foreach (var part in _renderer.RenderMessage(message))
        {
            var payload = part with { Nonce = Guid.NewGuid().ToString("N")[..25], EnforceNonce = true };
            try
            {
                ids.Add(await _rest.CreateMessageAsync(channel.ChannelId, payload, cancellationToken).ConfigureAwait(false));
            }
            catch (DiscordApiException ex)
            {
                var permanent = ex.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest ||
                                ex.Code is DiscordErrorCodes.UnknownChannel or DiscordErrorCodes.MissingAccess or DiscordErrorCodes.MissingPermissions;
                DiscordLog.PostRefused(_logger, channel.ChannelId, ex.ErrorName, ex.CodeName);
                // A server error or timeout after retries may have created the message; a 4xx refusal did not.
                var uncertain = ex.Status is null || (int)ex.Status.Value >= 500;
                throw new ChatPlatformException(Name, ex.ErrorName, ex.Message, permanent, uncertain, ids);
            }
        }

        return new PostResult(ids);
    }
}
