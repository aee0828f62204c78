namespace Bot.Discord.Rest;

/// <summary>
/// One REST call: the concrete <see cref="Path"/> and the <see cref="Template"/> used for rate-limit keys and logs
/// (the template never contains a token).
/// </summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Template">e.g. "/channels/{channel_id}/messages".</param>
/// <param name="MajorParameter">channel id, guild id, webhook id+token or interaction id; part of the bucket key.</param>
/// <param name="Path">The path after the API base, e.g. "/channels/123/messages".</param>
internal sealed record RestRoute(HttpMethod Method, string Template, string MajorParameter, string Path)
{
    /// <summary>Route key before Discord told us the bucket: method + template.</summary>
    public string RouteKey => Method.Method + " " + Template;

    public override string ToString() => RouteKey;
}
