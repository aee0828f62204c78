namespace Bot.Slack.WebApi;

/// <summary>
/// A Web API call failed: <see cref="Error"/> is Slack's error name (e.g. "not_in_channel"), or a synthetic
/// "http_&lt;status&gt;" / "transport_error" for failures below the Web API envelope. Never carries a token.
/// </summary>
public sealed class SlackApiException : Exception
{
    public SlackApiException(string method, string error, string? detail = null, Exception? inner = null)
        : base($"Slack {method} failed: {error}{(string.IsNullOrEmpty(detail) ? "" : " (" + detail + ")")}", inner)
    {
        Method = method;
        Error = error;
    }

    public SlackApiException()
        : this("", "unknown_error")
    {
    }

    public SlackApiException(string message)
        : base(message)
    {
        Method = "";
        Error = "unknown_error";
    }

    public SlackApiException(string message, Exception inner)
        : base(message, inner)
    {
        Method = "";
        Error = "unknown_error";
    }

    public string Method { get; }

    public string Error { get; }

    /// <summary>True for errors meaning the token can never work again; the adapter stops calling.</summary>
    public bool IsAuthFatal => SlackErrors.IsAuthFatal(Error);
}

/// <summary>Classification of Slack error names.</summary>
internal static class SlackErrors
{
    /// <summary>The token is dead: stop calling the API with it.</summary>
    public static bool IsAuthFatal(string error) => error is "invalid_auth" or "not_authed" or "token_revoked"
        or "token_expired" or "account_inactive" or "user_removed_from_team" or "team_disabled" or "org_login_required";

    /// <summary>apps.connections.open errors after which Socket Mode must not retry (node SDK's unrecoverable set).</summary>
    public static bool IsUnrecoverableOpenError(string error) => IsAuthFatal(error) || error is "missing_scope"
        or "not_allowed_token_type" or "invalid_token_type";

    /// <summary>Errors for which repeating the same post cannot succeed.</summary>
    public static bool IsPermanentPostError(string error) => IsAuthFatal(error) || error is "not_in_channel"
        or "channel_not_found" or "is_archived" or "missing_scope" or "restricted_action" or "msg_too_long"
        or "invalid_blocks" or "msg_blocks_too_long" or "no_text" or "invalid_arguments" or "not_allowed_token_type"
        or "ekm_access_denied" or "cannot_reply_to_message" or "too_many_attachments";
}
