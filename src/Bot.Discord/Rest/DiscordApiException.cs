using System.Globalization;
using System.Net;

namespace Bot.Discord.Rest;

/// <summary>
/// Discord refused a REST call. Carries the HTTP status, Discord's JSON error code and message and the route
/// <em>template</em> (never a token: interaction and webhook tokens are shown as placeholders).
/// </summary>
public sealed class DiscordApiException : Exception
{
    public DiscordApiException(string route, HttpStatusCode? status, int? code, string discordMessage)
        : base(Describe(route, status, code, discordMessage))
    {
        Route = route;
        Status = status;
        Code = code;
        DiscordMessage = discordMessage;
    }

    public DiscordApiException()
        : this("", null, null, "")
    {
    }

    public DiscordApiException(string message)
        : this("", null, null, message)
    {
    }

    public DiscordApiException(string message, Exception inner)
        : base(message, inner)
    {
        Route = "";
        DiscordMessage = message;
    }

    /// <summary>Method and route template, e.g. "POST /channels/{channel_id}/messages".</summary>
    public string Route { get; }

    /// <summary>HTTP status; null when no response arrived (timeout, network).</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>Discord's JSON error code (e.g. 50013), if the body had one.</summary>
    public int? Code { get; }

    public string DiscordMessage { get; }

    /// <summary>The JSON code as a string ("50013"), else "http_403", else "network".</summary>
    public string ErrorName => Code is { } c
        ? c.ToString(CultureInfo.InvariantCulture)
        : Status is { } s ? "http_" + ((int)s).ToString(CultureInfo.InvariantCulture) : "network";

    /// <summary>A readable name of the JSON error code, e.g. "MissingPermissions".</summary>
    public string CodeName => DiscordErrorCodes.Name(Code);

    private static string Describe(string route, HttpStatusCode? status, int? code, string message)
    {
        var http = status is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : "no response";
        var c = code is { } value ? $" code {value} ({DiscordErrorCodes.Name(value)})" : "";
        return $"Discord {route} failed: HTTP {http}{c}: {message}";
    }
}

/// <summary>Discord JSON error codes the bot reacts to.</summary>
public static class DiscordErrorCodes
{
    public const int UnknownChannel = 10003;
    public const int UnknownMessage = 10008;
    public const int UnknownWebhook = 10015;
    public const int UnknownInteraction = 10062;
    public const int InteractionAlreadyAcknowledged = 40060;
    public const int RequestEntityTooLarge = 40005;
    public const int MissingAccess = 50001;
    public const int CannotSendEmptyMessage = 50006;
    public const int MissingPermissions = 50013;
    public const int InvalidFormBody = 50035;

    public static string Name(int? code) => code switch
    {
        UnknownChannel => "UnknownChannel",
        UnknownMessage => "UnknownMessage",
        UnknownWebhook => "UnknownWebhook",
        UnknownInteraction => "UnknownInteraction",
        InteractionAlreadyAcknowledged => "InteractionAlreadyAcknowledged",
        RequestEntityTooLarge => "RequestEntityTooLarge",
        MissingAccess => "MissingAccess",
        CannotSendEmptyMessage => "CannotSendEmptyMessage",
        MissingPermissions => "MissingPermissions",
        InvalidFormBody => "InvalidFormBody",
        null => "None",
        _ => "Other",
    };
}
