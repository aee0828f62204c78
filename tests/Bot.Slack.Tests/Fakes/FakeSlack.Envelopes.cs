using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Fakes;

/// <summary>Envelope and payload builders (shapes from platforms.md) and the signed HTTP sender of the fake Slack.</summary>
internal sealed partial class FakeSlack
{
    // ---------- envelope builders (shapes from platforms.md §3.2 / §3.4 / §3.5) ----------

    public static JsonObject EventEnvelope(string envelopeId, string eventId, JsonObject ev, int retryAttempt = 0, string retryReason = "") => new()
    {
        ["envelope_id"] = envelopeId,
        ["type"] = "events_api",
        ["accepts_response_payload"] = false,
        ["retry_attempt"] = retryAttempt,
        ["retry_reason"] = retryReason,
        ["payload"] = EventCallback(eventId, ev),
    };

    public static JsonObject EventCallback(string eventId, JsonObject ev) => new()
    {
        ["token"] = "verification-token-ignored",
        ["team_id"] = "T1",
        ["api_app_id"] = "A1",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1754000000,
        ["authorizations"] = new JsonArray(new JsonObject { ["team_id"] = "T1", ["user_id"] = "U_BOT", ["is_bot"] = true }),
        ["event"] = ev,
    };

    public static JsonObject Mention(string text, string ts = "1754000000.000100", string channel = "C9", string? threadTs = null, string user = "U7")
    {
        var ev = new JsonObject
        {
            ["type"] = "app_mention",
            ["user"] = user,
            ["text"] = text,
            ["ts"] = ts,
            ["channel"] = channel,
            ["event_ts"] = ts,
        };
        if (threadTs is not null)
        {
            ev["thread_ts"] = threadTs;
        }

        return ev;
    }

    public static JsonObject DirectMessage(string text, string ts = "1754000000.000200", string channel = "D42", string user = "U7") => new()
    {
        ["type"] = "message",
        ["channel"] = channel,
        ["user"] = user,
        ["text"] = text,
        ["ts"] = ts,
        ["event_ts"] = ts,
        ["channel_type"] = "im",
    };

    public static JsonObject SlashPayload(string command, string text, string responseUrl, string channel = "C9") => new()
    {
        ["token"] = "verification-token-ignored",
        ["team_id"] = "T1",
        ["team_domain"] = "acme",
        ["channel_id"] = channel,
        ["channel_name"] = "news",
        ["user_id"] = "U7",
        ["user_name"] = "minji",
        ["command"] = command,
        ["text"] = text,
        ["api_app_id"] = "A1",
        ["is_enterprise_install"] = "false",
        ["response_url"] = responseUrl,
        ["trigger_id"] = "13345." + Guid.NewGuid().ToString("N"),
    };

    public static JsonObject SlashEnvelope(string envelopeId, JsonObject payload, bool acceptsResponsePayload = true) => new()
    {
        ["envelope_id"] = envelopeId,
        ["type"] = "slash_commands",
        ["accepts_response_payload"] = acceptsResponsePayload,
        ["payload"] = payload,
    };

    public static JsonObject ShortcutPayload(string messageText, string messageTs, string? threadTs, string responseUrl, string channel = "C9", string callbackId = "find_sources")
    {
        var message = new JsonObject { ["type"] = "message", ["user"] = "U8", ["text"] = messageText, ["ts"] = messageTs };
        if (threadTs is not null)
        {
            message["thread_ts"] = threadTs;
        }

        return new JsonObject
        {
            ["type"] = "message_action",
            ["token"] = "verification-token-ignored",
            ["action_ts"] = "1754000100.000001",
            ["team"] = new JsonObject { ["id"] = "T1", ["domain"] = "acme" },
            ["user"] = new JsonObject { ["id"] = "U7", ["name"] = "minji" },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "news" },
            ["callback_id"] = callbackId,
            ["trigger_id"] = "13346." + Guid.NewGuid().ToString("N"),
            ["message_ts"] = messageTs,
            ["message"] = message,
            ["response_url"] = responseUrl,
        };
    }

    /// <summary>
    /// A block_actions payload for one button click, shaped like Slack's (and the SDKs' BlockAction type): user, container,
    /// channel, message, response_url, actions[{type, block_id, action_id, text, value, action_ts}].
    /// </summary>
    public static JsonObject BlockActionsPayload(string actionId, string userId, string responseUrl, string blockId = "feedback:ko",
        string buttonText = "\U0001F44D 도움이 됐어요", string channel = "C9", string messageTs = "1754000001.000001", string? value = null) => new()
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = userId, ["username"] = "minji", ["name"] = "minji", ["team_id"] = "T1" },
        ["api_app_id"] = "A1",
        ["token"] = "verification-token-ignored",
        ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false },
        ["trigger_id"] = "13347." + Guid.NewGuid().ToString("N"),
        ["team"] = new JsonObject { ["id"] = "T1", ["domain"] = "acme" },
        ["enterprise"] = null,
        ["is_enterprise_install"] = false,
        ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "news" },
        ["message"] = new JsonObject { ["type"] = "message", ["user"] = "U_BOT", ["bot_id"] = "B_BOT", ["text"] = "answer", ["ts"] = messageTs },
        ["state"] = new JsonObject { ["values"] = new JsonObject() },
        ["response_url"] = responseUrl,
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "button",
            ["block_id"] = blockId,
            ["action_id"] = actionId,
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = buttonText, ["emoji"] = true },
            ["value"] = value ?? actionId,
            ["action_ts"] = "1754000101.000001",
        }),
    };

    public static JsonObject InteractiveEnvelope(string envelopeId, JsonObject payload) => new()
    {
        ["envelope_id"] = envelopeId,
        ["type"] = "interactive",
        ["accepts_response_payload"] = false,
        ["payload"] = payload,
    };

    // ---------- signed HTTP sender ----------

    public static async Task<HttpResponseMessage> SendSignedAsync(HttpClient client, Uri url, string contentType, byte[] body,
        string? signingSecret, long timestamp, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var ts = timestamp.ToString(CultureInfo.InvariantCulture);
        request.Headers.Add("X-Slack-Request-Timestamp", ts);
        if (signingSecret is not null)
        {
            var prefix = Encoding.ASCII.GetBytes("v0:" + ts + ":");
            var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), prefix.Concat(body).ToArray());
            request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(mac));
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request);
    }

    public static byte[] Form(params (string Key, string Value)[] fields) =>
        Encoding.UTF8.GetBytes(string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value))));
}
