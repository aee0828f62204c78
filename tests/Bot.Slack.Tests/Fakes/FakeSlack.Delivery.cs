using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fakes;

/// <summary>What became of one envelope handed to <see cref="FakeSlack.DeliverAsync"/>.</summary>
/// <param name="Attempts">Sockets it was sent to, in order (the first delivery, then redeliveries).</param>
/// <param name="AckedOn">The socket whose ack arrived in time (the same socket it was sent to), or null.</param>
internal sealed record DeliveryOutcome(string EnvelopeId, IReadOnlyList<int> Attempts, int? AckedOn);

/// <summary>
/// Slack's delivery over Socket Mode with several connections (platforms.md §3.2 items 4 and 6): each envelope goes to
/// one live connection (after hello), round robin; an ack counts only on the socket that got it and only within
/// <see cref="AckDeadline"/>. An events_api envelope not acked in time is redelivered to another live connection (the
/// same envelope_id and event_id, <c>retry_attempt</c> 1, 2, 3 with <c>retry_reason</c> "timeout"); a slash command or an
/// interactive payload is not (Slack shows the user a timeout error instead).
/// </summary>
internal sealed partial class FakeSlack
{
    private readonly ConcurrentDictionary<(int Socket, string Envelope), TaskCompletionSource> _ackWaiters = new();
    private int _roundRobin;

    /// <summary>How long Slack waits for an envelope's ack (3 s).</summary>
    public TimeSpan AckDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Redeliveries of an unacked events_api envelope (Slack: up to 3).</summary>
    public int MaxRedeliveries { get; set; } = 3;

    /// <summary>Live sockets that got hello: those Slack delivers to.</summary>
    public IReadOnlyList<FakeSlackSocket> LiveSockets => Sockets.Where(s => s.HelloSent && !s.Closed).ToArray();

    /// <summary>
    /// Delivers <paramref name="envelope"/> as Slack does (see the class summary); completes when it was acked in time, or
    /// when every attempt ran out (no live socket, or no ack within the deadline).
    /// </summary>
    public async Task<DeliveryOutcome> DeliverAsync(JsonObject envelope)
    {
        var envelopeId = envelope["envelope_id"]!.GetValue<string>();
        var redeliver = envelope["type"]?.GetValue<string>() == "events_api";
        var attempts = new List<int>();
        for (var attempt = 0; attempt <= (redeliver ? MaxRedeliveries : 0); attempt++)
        {
            var live = LiveSockets;
            // a redelivery goes to another connection when there is one
            var candidates = attempts.Count > 0 && live.Any(s => s.Id != attempts[^1]) ? live.Where(s => s.Id != attempts[^1]).ToList() : live;
            if (candidates.Count == 0)
            {
                await Task.Delay(AckDeadline); // nobody connected: Slack retries later
                continue;
            }

            var socket = candidates[(Interlocked.Increment(ref _roundRobin) & int.MaxValue) % candidates.Count];
            var frame = (JsonObject)envelope.DeepClone();
            if (attempt > 0)
            {
                frame["retry_attempt"] = attempt;
                frame["retry_reason"] = "timeout";
            }

            var acked = _ackWaiters.GetOrAdd((socket.Id, envelopeId), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            attempts.Add(socket.Id);
            try
            {
                await socket.SendAsync(frame);
                await acked.Task.WaitAsync(AckDeadline);
                return new DeliveryOutcome(envelopeId, attempts, socket.Id);
            }
            catch (Exception ex) when (ex is TimeoutException or WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // not acked in time on that socket (or it is gone)
            }
            finally
            {
                _ackWaiters.TryRemove((socket.Id, envelopeId), out _);
            }
        }

        return new DeliveryOutcome(envelopeId, attempts, null);
    }

    private void AckArrived(FakeSlackSocket socket, string envelopeId)
    {
        if (_ackWaiters.TryGetValue((socket.Id, envelopeId), out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
