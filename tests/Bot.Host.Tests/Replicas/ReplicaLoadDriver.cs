using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.Slack.Tests.Fakes;

namespace Bot.Host.Tests.Replicas;

internal enum EventKind
{
    DiscordMention,
    DiscordDm,
    DiscordSlash,
    SlackMention,
    SlackDm,
    SlackSlash,
}

/// <summary>One event the driver sent: its answer key, where it went, and (Slack) what the fake's delivery made of it.</summary>
internal sealed class SentEvent(string key, EventKind kind, DateTimeOffset sentAt)
{
    public string Key { get; } = key;

    public EventKind Kind { get; } = kind;

    public DateTimeOffset SentAt { get; } = sentAt;

    public bool IsDiscord => Kind <= EventKind.DiscordSlash;

    /// <summary>Discord: the shard Discord sends it to (guild events by guild id, DMs to 0).</summary>
    public int Shard { get; init; }

    /// <summary>Discord: the gateway connection it was dispatched on (null: no shard session to send it on).</summary>
    public FakeGatewayConnection? Connection { get; set; }

    /// <summary>Slack: the fake's delivery (attempts, ack).</summary>
    public Task<DeliveryOutcome>? Delivery { get; set; }

    public DeliveryOutcome? Outcome => Delivery is { IsCompletedSuccessfully: true } d ? d.Result : null;
}

/// <summary>What the platforms received for the sent events: answers per key, busy notices, digest posts.</summary>
internal sealed record Tally(
    IReadOnlyDictionary<string, int> Answers,
    IReadOnlyDictionary<string, DateTimeOffset> FirstAnswerAt,
    IReadOnlySet<string> Busy,
    IReadOnlyList<DateTimeOffset> DiscordDigests,
    IReadOnlyList<DateTimeOffset> SlackDigests)
{
    public int AnswersOf(SentEvent e) => Answers.GetValueOrDefault(e.Key);
}

/// <summary>
/// Drives mentions, DMs and slash commands on both platforms at a steady rate, in turn (one sixth each): Discord
/// mentions and /ask in guilds on both shards, Discord DMs (shard 0), Slack mentions and DMs (each in its own channel,
/// Slack paces posts per channel) and /ask. Discord events are dispatched where Discord would (the shard's session);
/// Slack envelopes go through the fake's delivery (one connection, redelivered to another after a missed ack).
/// </summary>
internal sealed class ReplicaLoadDriver(ReplicaCluster cluster)
{
    private static readonly string[] Questions =
    [
        "딥시크는 어느 나라 기업이야?", "딥시크 모델은 오픈소스야?", "엔비디아 주가는 어떻게 됐어?", "딥시크의 훈련 비용은?",
        "미국의 반도체 수출 규제", "딥시크 R1 모델의 특징", "오픈AI와 딥시크의 차이", "지식 증류란?", "딥시크 창업자",
    ];

    private static int s_run;
    private readonly ConcurrentQueue<SentEvent> _sent = new();
    private readonly ConcurrentDictionary<string, string> _tokenToId = new();
    private readonly ConcurrentDictionary<string, string> _envelopeToKey = new();
    private readonly string _run = Interlocked.Increment(ref s_run).ToString(CultureInfo.InvariantCulture);
    private int _n;

    public IReadOnlyList<SentEvent> Sent => _sent.ToArray();

    /// <summary>
    /// Sends <paramref name="perSecond"/> events a second for <paramref name="duration"/> (catching up when late), or until
    /// <paramref name="stop"/> is cancelled, whichever comes first.
    /// </summary>
    public async Task<IReadOnlyList<SentEvent>> RunAsync(double perSecond, TimeSpan duration, CancellationToken stop = default)
    {
        var batch = new List<SentEvent>();
        var total = (int)(perSecond * duration.TotalSeconds);
        var started = DateTimeOffset.UtcNow;
        for (var i = 0; i < total && !stop.IsCancellationRequested; i++)
        {
            var due = started + TimeSpan.FromSeconds(i / perSecond);
            var wait = due - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.FromMilliseconds(2))
            {
                await Task.Delay(wait);
            }

            batch.Add(await SendOneAsync(Interlocked.Increment(ref _n)));
        }

        return batch;
    }

    private async Task<SentEvent> SendOneAsync(int n)
    {
        var kind = (EventKind)(n % 6);
        var q = Questions[n % Questions.Length];
        var id = $"{_run}x{n}";
        SentEvent sent;
        switch (kind)
        {
            case EventKind.DiscordMention:
            case EventKind.DiscordSlash:
            {
                var shard = n / 6 % 2; // every other mention and /ask on each shard (n % 6 picks the kind)
                var guild = Events.GuildOnShard(shard, 2, n / 12 % 5);
                var data = kind == EventKind.DiscordMention
                    ? Events.Guild($"<@{FakeDiscordServer.BotUserId}> {q}", guildId: guild)
                    : Events.Command("ask", [Events.Option("question", q)], guildId: guild);
                var key = (string)data["id"]!;
                if (kind == EventKind.DiscordSlash)
                {
                    _tokenToId[(string)data["token"]!] = key;
                }

                sent = new SentEvent(key, kind, DateTimeOffset.UtcNow) { Shard = shard };
                await DispatchAsync(sent, kind == EventKind.DiscordMention ? "MESSAGE_CREATE" : "INTERACTION_CREATE", data, guild);
                break;
            }

            case EventKind.DiscordDm:
            {
                var data = Events.Dm(q);
                sent = new SentEvent((string)data["id"]!, kind, DateTimeOffset.UtcNow);
                await DispatchAsync(sent, "MESSAGE_CREATE", data, null);
                break;
            }

            case EventKind.SlackMention:
            case EventKind.SlackDm:
            {
                var channel = (kind == EventKind.SlackMention ? "C" : "D") + id;
                var ts = "1754000000." + n.ToString("D6", CultureInfo.InvariantCulture);
                var ev = kind == EventKind.SlackMention
                    ? FakeSlack.Mention("<@U_BOT> " + q, ts: ts, channel: channel)
                    : FakeSlack.DirectMessage(q, ts: ts, channel: channel);
                sent = new SentEvent(channel, kind, DateTimeOffset.UtcNow);
                _envelopeToKey["env-" + id] = channel;
                sent.Delivery = Task.Run(() => cluster.Slack.DeliverAsync(FakeSlack.EventEnvelope("env-" + id, "Ev" + id, ev)));
                break;
            }

            default:
            {
                var responseId = "r" + id;
                sent = new SentEvent(responseId, kind, DateTimeOffset.UtcNow);
                _envelopeToKey["env-" + id] = responseId;
                var envelope = FakeSlack.SlashEnvelope("env-" + id, FakeSlack.SlashPayload("/ask", q, cluster.Slack.ResponseUrl(responseId).ToString(), channel: "C" + id));
                sent.Delivery = Task.Run(() => cluster.Slack.DeliverAsync(envelope));
                break;
            }
        }

        _sent.Enqueue(sent);
        return sent;
    }

    private async Task DispatchAsync(SentEvent sent, string type, object data, string? guildId)
    {
        try
        {
            var connection = cluster.Discord.Route(guildId);
            await cluster.Discord.DispatchAsync(type, data, connection).WaitAsync(TimeSpan.FromSeconds(2));
            sent.Connection = connection;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // no live session for that shard (Discord would not deliver it either), or the socket is gone
        }
    }

    /// <summary>Answers per event key, from what the fakes recorded (every 2xx request that carries an answer).</summary>
    public Tally Count()
    {
        var answers = new Dictionary<string, int>(StringComparer.Ordinal);
        var first = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var busy = new HashSet<string>(StringComparer.Ordinal);
        var busyText = Bot.Core.Answers.UiText.For(Bot.Core.Answers.Language.Korean).Busy;
        var discordDigests = new List<DateTimeOffset>();
        var slackDigests = new List<DateTimeOffset>();

        void Answer(string? key, DateTimeOffset at, string body)
        {
            if (key is null)
            {
                return;
            }

            answers[key] = answers.GetValueOrDefault(key) + 1;
            if (!first.TryGetValue(key, out var seen) || at < seen)
            {
                first[key] = at;
            }

            if (body.Contains(busyText, StringComparison.Ordinal))
            {
                busy.Add(key);
            }
        }

        foreach (var r in cluster.Discord.Requests.ToArray().Where(r => r.Status is >= 200 and < 300))
        {
            var segments = r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (r.Method == "POST" && segments is ["channels", var channel, "messages"])
            {
                if (channel == ReplicaCluster.DiscordDigestChannel)
                {
                    discordDigests.Add(r.At);
                }
                else
                {
                    Answer(r.Json?["message_reference"]?["message_id"]?.GetValue<string>(), r.At, r.Body);
                }
            }
            else if (r.Method == "PATCH" && segments is ["webhooks", _, var token, "messages", "@original"])
            {
                Answer(_tokenToId.GetValueOrDefault(token), r.At, r.Body);
            }
            else if (r.Method == "POST" && segments is ["interactions", var id, _, "callback"] && r.Json?["type"]?.GetValue<int>() == 4)
            {
                Answer(id, r.At, r.Body);
            }
        }

        foreach (var call in cluster.Slack.CallsTo("chat.postMessage"))
        {
            var channel = call.Json?["channel"]?.GetValue<string>();
            if (channel == ReplicaCluster.SlackDigestChannel)
            {
                slackDigests.Add(call.At);
            }
            else
            {
                Answer(channel, call.At, System.Text.Encoding.UTF8.GetString(call.Body));
            }
        }

        foreach (var post in cluster.Slack.ResponsePosts)
        {
            Answer(post.Id, post.At, System.Text.Encoding.UTF8.GetString(post.Body));
        }

        // a slash command turned away because Core's queue was full is answered by its ack ("busy, try again")
        foreach (var ack in cluster.Slack.Acks.Where(a => a.Payload?["text"]?.GetValue<string>()?.Contains(busyText, StringComparison.Ordinal) == true))
        {
            Answer(_envelopeToKey.GetValueOrDefault(ack.EnvelopeId), ack.At, busyText);
        }

        return new Tally(answers, first, busy, discordDigests, slackDigests);
    }

    /// <summary>
    /// Waits until every sent event that is owed an answer (<paramref name="owed"/>, default all) is answered and no Slack
    /// delivery is pending, or answers stop coming for <paramref name="quiet"/>, or <paramref name="max"/>.
    /// </summary>
    public async Task<Tally> DrainAsync(TimeSpan quiet, TimeSpan max, Func<SentEvent, bool>? owed = null)
    {
        var deadline = DateTimeOffset.UtcNow + max;
        var last = -1;
        var lastChange = DateTimeOffset.UtcNow;
        while (true)
        {
            var tally = Count();
            var sent = Sent;
            var answered = sent.Count(e => tally.AnswersOf(e) > 0);
            if (answered != last)
            {
                last = answered;
                lastChange = DateTimeOffset.UtcNow;
            }

            var pendingSlack = sent.Any(e => e.Delivery is { IsCompleted: false });
            var allOwedAnswered = owed is null ? answered == sent.Count : sent.Where(owed).All(e => tally.AnswersOf(e) > 0);
            if ((allOwedAnswered && !pendingSlack) || DateTimeOffset.UtcNow > deadline || (!pendingSlack && DateTimeOffset.UtcNow - lastChange > quiet))
            {
                await Task.Delay(500); // a late second answer would show now
                return Count();
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>A compact JSON array of the kinds, for reports.</summary>
    public static JsonObject ByKind(IEnumerable<SentEvent> events, Tally tally)
    {
        var result = new JsonObject();
        foreach (var group in events.GroupBy(e => e.Kind).OrderBy(g => g.Key))
        {
            result[group.Key.ToString()] = $"{group.Count(e => tally.AnswersOf(e) > 0)}/{group.Count()} answered, {group.Count(e => tally.AnswersOf(e) > 1)} twice";
        }

        return result;
    }
}
