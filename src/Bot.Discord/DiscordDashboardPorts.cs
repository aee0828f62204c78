using System.Text.Json;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;

namespace Bot.Discord;

/// <summary>The Discord answer as <see cref="DiscordRenderer"/> builds it (with the feedback row), for the dashboard's playground.</summary>
public sealed class DiscordAnswerPreview : IAnswerPreview
{
    private readonly DiscordRenderer _renderer = new();

    public string Platform => "discord";

    public string RenderJson(Answer answer)
    {
        var payload = _renderer.RenderAnswer(answer, AnswerStyle.Ask);
        if (FeedbackVotes.IsRateable(answer))
        {
            payload = DiscordRenderer.WithFeedback(payload, answer.Language, AnswerRecord.NewId());
        }

        return JsonSerializer.Serialize(payload, DiscordJson.Rest);
    }
}

/// <summary>Discord's gateway state for the dashboard (wraps <see cref="DiscordHealthProbe"/>).</summary>
public sealed class DiscordPlatformStatus : IPlatformStatus
{
    private readonly DiscordHealthProbe _probe;

    public DiscordPlatformStatus(DiscordHealthProbe probe) => _probe = probe;

    public string Platform => "discord";

    public PlatformStatus Snapshot()
    {
        var h = _probe.Snapshot();
        var detail = h.TokenRejected ? "token rejected" : h.FatalCloseCode is { } code ? $"close code {code}" : null;
        if (h.ShardCount is > 1 || h.Shards.Count(s => s.Running) != 1)
        {
            // Per shard, e.g. "shards 0, 1 of 4: 0 Ready, 1 Resuming"
            var running = h.Shards.Where(s => s.Running).ToList();
            var shards = running.Count == 0 ? "no shard of " + (h.ShardCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?")
                : $"shards {string.Join(", ", running.Select(s => s.Id))} of {h.ShardCount}: {string.Join(", ", running.Select(s => $"{s.Id} {s.State}"))}";
            detail = detail is null ? shards : detail + "; " + shards;
        }

        // The first IDENTIFY is the connection itself; every later IDENTIFY or RESUME is a reconnect.
        var reconnects = Math.Max(0, h.Identifies - 1) + h.Resumes;
        return new PlatformStatus(Platform, h.State == GatewayState.Ready, h.State.ToString(), reconnects, detail);
    }
}
