namespace Bot.Core.Conversations;

/// <summary>
/// A conversation thread: the platform, the channel and the thread within it (Slack: the parent message's <c>ts</c>;
/// Discord: the id of the first message of the reply chain; CLI: a name). No user id: the context belongs to the thread,
/// whoever writes in it. Stored only as a salted hash (<see cref="IConversationStore"/>), so no channel id (DM channels
/// among them) reaches the database.
/// </summary>
public sealed record ThreadKey(string Platform, string ChannelId, string ThreadId)
{
    public override string ToString() => $"{Platform}/{ChannelId}/{ThreadId}";
}
