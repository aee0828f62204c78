namespace Bot.Discord.Gateway;

/// <summary>Discord Gateway v10 opcodes a bot uses.</summary>
internal enum GatewayOpcode
{
    /// <summary>Receive: an event was dispatched (carries <c>t</c> and <c>s</c>).</summary>
    Dispatch = 0,

    /// <summary>Send and receive: keep-alive; a server-sent one asks for an immediate heartbeat.</summary>
    Heartbeat = 1,

    /// <summary>Send: start a new session (token, intents, properties).</summary>
    Identify = 2,

    /// <summary>Send: update the bot's presence (unused).</summary>
    PresenceUpdate = 3,

    /// <summary>Send: resume a previous session (token, session_id, seq).</summary>
    Resume = 6,

    /// <summary>Receive: reconnect and resume.</summary>
    Reconnect = 7,

    /// <summary>Receive: the session is invalid; <c>d</c> says whether it may be resumed.</summary>
    InvalidSession = 9,

    /// <summary>Receive: first frame after connecting; carries <c>heartbeat_interval</c>.</summary>
    Hello = 10,

    /// <summary>Receive: a heartbeat was acknowledged.</summary>
    HeartbeatAck = 11,
}

/// <summary>Gateway intents the bot requests.</summary>
[Flags]
internal enum GatewayIntents
{
    None = 0,

    /// <summary>1 &lt;&lt; 0: guild and channel state.</summary>
    Guilds = 1 << 0,

    /// <summary>1 &lt;&lt; 9: MESSAGE_CREATE in guilds.</summary>
    GuildMessages = 1 << 9,

    /// <summary>1 &lt;&lt; 12: MESSAGE_CREATE in DMs.</summary>
    DirectMessages = 1 << 12,

    /// <summary>1 &lt;&lt; 15 (privileged): content of messages that don't mention the bot.</summary>
    MessageContent = 1 << 15,
}

/// <summary>Where a gateway connection is.</summary>
public enum GatewayState
{
    Disconnected,
    Connecting,
    Identifying,
    Resuming,
    Ready,

    /// <summary>Stopped for good: a fatal close code or a rejected token.</summary>
    Failed,
    Stopped,
}
