using System.Text.Json;
using Bot.Core.Chat;

namespace Bot.Discord.Gateway;

/// <summary>
/// The session state of one shard's gateway connection (§1.4): its <see cref="GatewayState"/>, session id, resume URL and the last sequence number
/// (what a RESUME needs), our user and application ids from READY, and the connection's counters. The receive loop
/// writes it; the heartbeat loop and health probes read it, so the sequence and counters are interlocked.
/// </summary>
internal sealed class GatewaySession
{
    private long _lastSeqValue = -1; // -1 = null
    private long _heartbeatsSent;
    private long _acks;
    private long _identifyCount;
    private long _resumeCount;
    private long _lastAckTicks;
    private volatile GatewayState _state = GatewayState.Disconnected;

    /// <summary>Where the connection is (written by the connection and the frame handler, read by anyone).</summary>
    public GatewayState State
    {
        get => _state;
        set => _state = value;
    }

    /// <summary>The session id from READY; null before READY or after the session was dropped.</summary>
    public string? SessionId { get; private set; }

    /// <summary>Where to RESUME (READY's resume_gateway_url).</summary>
    public string? ResumeUrl { get; private set; }

    /// <summary>Our own user id (from READY).</summary>
    public string? UserId { get; private set; }

    /// <summary>Our application id (from READY).</summary>
    public string? ApplicationId { get; private set; }

    /// <summary>The last sequence number received; null before the first dispatch of a session.</summary>
    public int? LastSequence
    {
        get
        {
            var value = Interlocked.Read(ref _lastSeqValue);
            return value < 0 ? null : (int)value;
        }

        private set => Interlocked.Exchange(ref _lastSeqValue, value ?? -1);
    }

    /// <summary>The next connection should RESUME rather than IDENTIFY.</summary>
    public bool WantResume { get; set; }

    /// <summary>True when a RESUME is both wanted and possible (a session id and a resume URL are known).</summary>
    public bool CanResume => WantResume && SessionId is not null && ResumeUrl is not null;

    public long HeartbeatsSent => Interlocked.Read(ref _heartbeatsSent);

    public long AcksReceived => Interlocked.Read(ref _acks);

    public long IdentifyCount => Interlocked.Read(ref _identifyCount);

    public long ResumeCount => Interlocked.Read(ref _resumeCount);

    /// <summary>When the last heartbeat ACK arrived (injected clock), or null.</summary>
    public DateTimeOffset? LastAck
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastAckTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Forgets the session (a new one must be identified); keeps the user and application ids.</summary>
    public void Drop()
    {
        SessionId = null;
        ResumeUrl = null;
        LastSequence = null;
    }

    /// <summary>Drops only the session id: the next connection identifies (the resume URL stays for logging).</summary>
    public void Invalidate() => SessionId = null;

    /// <summary>An IDENTIFY is being sent: a fresh session starts with a null sequence.</summary>
    public void Identifying()
    {
        SessionId = null;
        LastSequence = null;
        Interlocked.Increment(ref _identifyCount);
    }

    public void Resuming() => Interlocked.Increment(ref _resumeCount);

    public void HeartbeatSent() => Interlocked.Increment(ref _heartbeatsSent);

    public void Acked(DateTimeOffset now)
    {
        Interlocked.Increment(ref _acks);
        Interlocked.Exchange(ref _lastAckTicks, now.UtcTicks);
    }

    /// <summary>
    /// Takes a dispatch's sequence number: false when it was already processed (a replay overlapping what we saw), so
    /// the dispatch must be skipped; true otherwise (also for a dispatch without a sequence number).
    /// </summary>
    public bool Advance(int? sequence)
    {
        if (sequence is not { } value)
        {
            return true;
        }

        if (LastSequence is { } last && value <= last)
        {
            return false;
        }

        LastSequence = value;
        return true;
    }

    /// <summary>Keeps what READY says: session id, resume URL (else <paramref name="fallbackUrl"/>), user and application.</summary>
    public void Ready(JsonElement data, string? fallbackUrl)
    {
        SessionId = data.GetString("session_id");
        ResumeUrl = data.GetString("resume_gateway_url") ?? fallbackUrl;
        UserId = data.GetObject("user")?.GetString("id");
        ApplicationId = data.GetObject("application")?.GetString("id") ?? ApplicationId;
    }
}
