using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Discord.Tests.Fakes;

/// <summary>The fake's REST side: GET /gateway/bot, messages (nonce-deduplicated), typing, interaction callbacks, webhooks, command registration; scripted answers first.</summary>
internal sealed partial class FakeDiscordServer
{
    /// <summary>Adds a scripted answer; the first matching script wins; <paramref name="once"/> scripts are used up.</summary>
    public void Script(Func<RecordedRequest, bool> match, FakeResponse response, bool once = true)
    {
        lock (_gate)
        {
            _scripts.Add((match, response, once));
        }
    }

    private async Task HandleRestAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var path = "/" + (context.Request.RouteValues["path"]?.ToString() ?? "");
        var request = new RecordedRequest(context.Request.Method, path, headers, body, _time.GetUtcNow(), Stopwatch.GetTimestamp());
        Requests.Enqueue(request);

        FakeResponse? scripted = null;
        lock (_gate)
        {
            var index = _scripts.FindIndex(s => s.Match(request));
            if (index >= 0)
            {
                scripted = _scripts[index].Response;
                if (_scripts[index].Once)
                {
                    _scripts.RemoveAt(index);
                }
            }
        }

        var response = scripted ?? DefaultResponse(request);
        if (response.Hold is { } hold)
        {
            await hold;
        }

        request.Status = response.Status;
        context.Response.StatusCode = response.Status;
        foreach (var (k, v) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[k] = v;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    private FakeResponse DefaultResponse(RecordedRequest r)
    {
        var segments = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (r.Method == "GET" && r.Path == "/gateway/bot")
        {
            if (r.Header("authorization") is not { } auth || !auth.StartsWith("Bot ", StringComparison.Ordinal))
            {
                return FakeResponse.Error(401, 0, "401: Unauthorized");
            }

            return new FakeResponse(200, JsonSerializer.Serialize(new
            {
                url = GatewayUrl,
                shards = Sharding.RecommendedShards,
                session_start_limit = new { total = 1000, remaining = SessionStartRemaining, reset_after = 14_400_000, max_concurrency = Sharding.MaxConcurrency },
            }));
        }

        if (r.Method == "GET" && r.Path == "/applications/@me")
        {
            return new FakeResponse(200, JsonSerializer.Serialize(new { id = AppId, name = "kbot" }));
        }

        if (r.Method == "POST" && segments is ["channels", var channel, "messages"])
        {
            var json = r.Json!;
            var nonce = json["nonce"]?.GetValue<string>();
            var enforce = json["enforce_nonce"]?.GetValue<bool>() == true;
            var id = nonce is not null && enforce ? _nonces.GetOrAdd(nonce, _ => NewMessage(channel, json)) : NewMessage(channel, json);
            return new FakeResponse(200, JsonSerializer.Serialize(new { id, channel_id = channel, content = json["content"]?.GetValue<string>() }));
        }

        if (r.Method == "POST" && segments is ["channels", _, "typing"])
        {
            return new FakeResponse(204);
        }

        if (r.Method == "POST" && segments is ["interactions", _, _, "callback"])
        {
            return new FakeResponse(204);
        }

        if (r.Method == "PATCH" && segments is ["webhooks", _, _, "messages", "@original"])
        {
            return new FakeResponse(200, JsonSerializer.Serialize(new { id = NextId() }));
        }

        if (r.Method == "POST" && segments is ["webhooks", _, _])
        {
            return new FakeResponse(200, JsonSerializer.Serialize(new { id = NextId() }));
        }

        if (r.Method == "PUT" && segments is ["applications", _, "commands"] or ["applications", _, "guilds", _, "commands"])
        {
            var list = r.Json!.AsArray();
            foreach (var item in list)
            {
                item!["id"] = NextId();
            }

            return new FakeResponse(200, list.ToJsonString());
        }

        return FakeResponse.Error(404, 0, "404: Not Found");
    }

    private string NewMessage(string channel, JsonNode json)
    {
        var id = NextId();
        CreatedMessages.Enqueue((channel, id, json.DeepClone()));
        return id;
    }
}
