namespace Bot.Slack.Events;

/// <summary>
/// One delivery whose acknowledgement (the Socket Mode ack frame, or the HTTP response) is still to be sent. The
/// classifier notes the de-duplication key it claimed for it; once the transport has sent the ack it hands the delivery
/// back (<see cref="SlackEventDispatcher.Acknowledged"/>) and the claim, taken for <see cref="SlackOptions.UnackedClaimTtl"/>
/// only, is extended to its full lifetime.
/// </summary>
internal sealed class PendingAck
{
    /// <summary>The key claimed for this delivery (null: nothing claimed, e.g. a duplicate or an ignored payload).</summary>
    public string? ClaimedKey { get; set; }
}
