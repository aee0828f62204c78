using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Storage;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>The Slack answer as <see cref="SlackRenderer"/> builds it (with the feedback buttons), for the dashboard's playground.</summary>
public sealed class SlackAnswerPreview : IAnswerPreview
{
    private readonly SlackRenderer _renderer = new();

    public string Platform => "slack";

    public string RenderJson(Answer answer)
    {
        var message = _renderer.RenderAnswer(answer, 3, FeedbackVotes.IsRateable(answer) ? AnswerRecord.NewId() : null);
        var node = new JsonObject { ["text"] = message.Text, ["blocks"] = message.Blocks.DeepClone() };
        return node.ToJsonString(SlackJson.Options);
    }
}

/// <summary>Slack's Socket Mode state for the dashboard (wraps <see cref="SlackHealthProbe"/>).</summary>
public sealed class SlackPlatformStatus : IPlatformStatus
{
    private readonly SlackHealthProbe _probe;
    private readonly int _connections;
    private readonly bool _socketMode;

    public SlackPlatformStatus(SlackHealthProbe probe, IOptions<SlackOptions> options)
    {
        _probe = probe;
        _connections = Math.Max(1, options.Value.NumberOfConnections);
        _socketMode = options.Value.SocketModeEnabled;
    }

    public string Platform => "slack";

    public PlatformStatus Snapshot()
    {
        var h = _probe.Snapshot();
        var detail = h.TokenRejected ? "token rejected" : h.StopReason;
        if (!_socketMode)
        {
            // HTTP mode: Slack calls us; there is no connection to hold.
            return new PlatformStatus(Platform, detail is null, "HTTP receiver", 0, detail);
        }

        var connected = h.OpenSockets > 0 && detail is null;
        return new PlatformStatus(Platform, connected, $"{h.OpenSockets} socket(s) open", Math.Max(0, h.Connects - _connections), detail);
    }
}
