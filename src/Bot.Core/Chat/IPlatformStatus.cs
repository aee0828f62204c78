namespace Bot.Core.Chat;

/// <summary>A chat platform's connection as an operator sees it (the dashboard's overview, /readyz and /metrics).</summary>
/// <param name="Platform">"discord" or "slack".</param>
/// <param name="Connected">True while the platform can receive questions now.</param>
/// <param name="State">A short state word (Ready, Resuming, Failed, 2 sockets open…).</param>
/// <param name="Reconnects">Connections opened since start beyond the first ones (gateway resumes and re-identifies, socket reconnects).</param>
/// <param name="Detail">Why it stopped for good, when it did (a close code, a rejected token), else null.</param>
public sealed record PlatformStatus(string Platform, bool Connected, string State, long Reconnects, string? Detail);

/// <summary>Registered once per configured chat platform; <see cref="Snapshot"/> is cheap and thread-safe.</summary>
public interface IPlatformStatus
{
    string Platform { get; }

    PlatformStatus Snapshot();
}

/// <summary>
/// Renders an answer exactly as a platform adapter would post it (its real renderer), as that platform's JSON payload, so
/// the dashboard's playground can show it without a connection. Registered by the composition root, tokens not needed.
/// </summary>
public interface IAnswerPreview
{
    /// <summary>"discord" or "slack".</summary>
    string Platform { get; }

    /// <summary>The message payload (Discord: content/embeds/components; Slack: text/blocks) as JSON.</summary>
    string RenderJson(Answers.Answer answer);
}
