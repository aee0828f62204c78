using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Slack.Events;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.Events;

/// <summary>
/// Two replicas (two adapters, each with its own Socket Mode connection) on one database: Slack delivers an envelope to
/// one connection and may redeliver it to another; whichever replica claims it in the shared store answers, once.
/// </summary>
public sealed class SlackReplicaTests : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-slack-replicas");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }

    private Task<SlackTestHost> StartReplicaAsync(string provider, string? pg, bool http = false) => SlackTestHost.StartAsync(TestCore.Handler, c =>
    {
        if (http)
        {
            c["Slack:SigningSecret"] = SlackTestHost.SigningSecret;
            c["Slack:HttpListenUrl"] = "http://127.0.0.1:0";
        }

        c["Storage:Path"] = Path.Combine(_tmp.Path, "data", "bot.db");
        c["Storage:BusyTimeout"] = "00:00:05";
        c["Storage:ClaimTimeout"] = "00:00:10"; // a busy test machine must not let a slow claim through
        if (provider == "postgres")
        {
            c["Storage:Provider"] = "postgres";
            c["Storage:ConnectionString"] = pg;
            c["Storage:FeedbackSalt"] = "a test salt of sixteen+ chars";
        }
    }, socketMode: !http, addServices: (s, config) => s.AddBotStorage(config));

    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SameEnvelopeToBothReplicas_AnsweredOnce(string provider)
    {
        string? pg = null;
        if (provider == "postgres")
        {
            Skip.IfNot(PostgresServer.Instance.Available, PostgresServer.Instance.Missing);
            pg = PostgresServer.Instance.NewSchema("slack");
        }

        await using var a = await StartReplicaAsync(provider, pg);
        await using var b = await StartReplicaAsync(provider, pg);
        var sockets = new[] { await a.Fake.WaitForSocketAsync(1), await b.Fake.WaitForSocketAsync(1) };
        var mention = FakeSlack.EventEnvelope("env-r1", "Ev-r1", FakeSlack.Mention("<@U_BOT> 딥시크 창업자는 누구야?", ts: "1754000000.000501"));
        var slash = FakeSlack.SlashEnvelope("env-r2", FakeSlack.SlashPayload("/ask", "딥시크 본사는 어디야?", a.Fake.ResponseUrl("ask").ToString()));
        var shortcut = FakeSlack.InteractiveEnvelope("env-r3",
            FakeSlack.ShortcutPayload("딥시크는 항저우에 있다", "1754000200.000100", null, a.Fake.ResponseUrl("sc").ToString()));

        // each envelope reaches both replicas at once (a redelivery racing the first delivery)
        foreach (var envelope in new[] { mention, slash, shortcut })
        {
            await Task.WhenAll(sockets.Select(s => s.SendAsync(envelope.DeepClone())));
        }

        long Duplicates() => a.Services.GetRequiredService<SlackEventDispatcher>().Duplicates + b.Services.GetRequiredService<SlackEventDispatcher>().Duplicates;
        await a.Fake.WaitUntilAsync(() => Duplicates() == 3 && a.Fake.Posts.Count + b.Fake.Posts.Count == 2 && a.Fake.ResponsePosts.Count(p => p.Id == "ask") >= 1,
            "one answer per envelope and three duplicates");
        await Task.Delay(300); // anything answered twice would have arrived by now
        Assert.Equal(2, a.Fake.Posts.Count + b.Fake.Posts.Count);             // the mention and the shortcut, once each
        Assert.Single(a.Fake.ResponsePosts, p => p.Id == "ask");               // the slash command, once
        Assert.Equal(3, Duplicates());
    }

    /// <summary>
    /// Replica A claims two events; it sends the ack of one, then dies before the other's ack. Slack redelivers both to
    /// replica B (the unacked one after its 3 s ack deadline): B answers the one whose ack never went (A's short claim has
    /// expired) and drops the acked one (its claim was extended to the dedupe window).
    /// </summary>
    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ReplicaDiesBetweenClaimAndAck_RedeliveryToTheOtherReplicaIsAnswered(string provider)
    {
        string? pg = null;
        if (provider == "postgres")
        {
            Skip.IfNot(PostgresServer.Instance.Available, PostgresServer.Instance.Missing);
            pg = PostgresServer.Instance.NewSchema("slackack");
        }

        await using var a = await StartReplicaAsync(provider, pg);
        await using var b = await StartReplicaAsync(provider, pg);
        var socketB = await b.Fake.WaitForSocketAsync(1);
        var died = FakeSlack.EventEnvelope("env-d1", "Ev-d1", FakeSlack.Mention("<@U_BOT> 딥시크 창업자는 누구야?", ts: "1754000000.000601"));
        var acked = FakeSlack.EventEnvelope("env-a1", "Ev-a1", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디야?", ts: "1754000000.000602"));

        // A: both claimed (the classifier is the step before the ack), only env-a1's ack sent, then A is gone
        var classifierA = a.Services.GetRequiredService<SlackInboundClassifier>();
        using (var payload = JsonDocument.Parse(died["payload"]!.ToJsonString()))
        {
            Assert.NotNull(classifierA.ClassifyEventCallback(payload.RootElement, "env-d1", new PendingAck()));
        }

        var ackA = new PendingAck();
        using (var payload = JsonDocument.Parse(acked["payload"]!.ToJsonString()))
        {
            Assert.NotNull(classifierA.ClassifyEventCallback(payload.RootElement, "env-a1", ackA));
        }

        await classifierA.Acknowledged(ackA);

        // Slack's redeliveries reach B after the ack deadline (both replicas' clocks move on)
        a.Clock.Advance(TimeSpan.FromSeconds(3));
        b.Clock.Advance(TimeSpan.FromSeconds(3));
        foreach (var envelope in new[] { died, acked })
        {
            envelope["retry_attempt"] = 1;
            envelope["retry_reason"] = "timeout";
            await socketB.SendAsync(envelope.DeepClone());
        }

        var dispatcherB = b.Services.GetRequiredService<SlackEventDispatcher>();
        await b.Fake.WaitUntilAsync(() => b.Fake.Posts.Count >= 1 && dispatcherB.Duplicates == 1 && b.Fake.Acks.Count == 2, "B answers the unacked event");
        await Task.Delay(300); // a second answer would have arrived by now
        var post = Assert.Single(b.Fake.Posts);
        Assert.Equal("1754000000.000601", post["thread_ts"]?.GetValue<string>()); // the event whose ack never went
        Assert.Empty(a.Fake.Posts);
    }

    /// <summary>
    /// The Socket Mode client reports each ack: replica A answers an event and acks it; Slack's late redelivery to replica B,
    /// after A's short unacked claim would have expired, is dropped because the ack extended the claim.
    /// </summary>
    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AckedOnOneReplica_RedeliveryToTheOtherAfterTheShortTtl_IsDropped(string provider)
    {
        string? pg = null;
        if (provider == "postgres")
        {
            Skip.IfNot(PostgresServer.Instance.Available, PostgresServer.Instance.Missing);
            pg = PostgresServer.Instance.NewSchema("slackext");
        }

        await using var a = await StartReplicaAsync(provider, pg);
        await using var b = await StartReplicaAsync(provider, pg);
        var socketA = await a.Fake.WaitForSocketAsync(1);
        var socketB = await b.Fake.WaitForSocketAsync(1);
        var envelope = FakeSlack.EventEnvelope("env-x1", "Ev-x1", FakeSlack.Mention("<@U_BOT> 딥시크 창업자는 누구야?", ts: "1754000000.000701"));

        await socketA.SendAsync(envelope.DeepClone());
        await a.Fake.WaitUntilAsync(() => a.Fake.Acks.Any(k => k.EnvelopeId == "env-x1") && a.Fake.Posts.Count == 1, "A acks and answers");
        await Task.Delay(500); // the extension runs right after the ack, off the receive loop

        a.Clock.Advance(TimeSpan.FromSeconds(5)); // well past Slack:UnackedClaimTtl (2 s)
        b.Clock.Advance(TimeSpan.FromSeconds(5));
        envelope["retry_attempt"] = 1;
        envelope["retry_reason"] = "timeout";
        await socketB.SendAsync(envelope.DeepClone());

        var dispatcherB = b.Services.GetRequiredService<SlackEventDispatcher>();
        await b.Fake.WaitUntilAsync(() => dispatcherB.Duplicates == 1 && b.Fake.Acks.Count == 1, "B drops the redelivery");
        await Task.Delay(300);
        Assert.Empty(b.Fake.Posts);
        Assert.Single(a.Fake.Posts);
    }

    /// <summary>HTTP mode: the response is the ack; once it is sent the claim is extended, so Slack's retry of the same
    /// event to another replica behind the load balancer, after the short claim would have expired, is dropped.</summary>
    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task HttpEventAnsweredByOneReplica_RetryToTheOtherAfterTheShortTtl_IsDropped(string provider)
    {
        string? pg = null;
        if (provider == "postgres")
        {
            Skip.IfNot(PostgresServer.Instance.Available, PostgresServer.Instance.Missing);
            pg = PostgresServer.Instance.NewSchema("slackhttp");
        }

        await using var a = await StartReplicaAsync(provider, pg, http: true);
        await using var b = await StartReplicaAsync(provider, pg, http: true);
        Uri Url(SlackTestHost host) => new(host.Hosted.HttpReceiver.Urls[0].TrimEnd('/') + "/slack/events");
        var body = System.Text.Encoding.UTF8.GetBytes(FakeSlack.EventCallback("Ev-h1", FakeSlack.Mention("<@U_BOT> 딥시크 창업자는 누구야?", ts: "1754000000.000801")).ToJsonString());
        using var client = new HttpClient();

        using (var first = await FakeSlack.SendSignedAsync(client, Url(a), "application/json", body, SlackTestHost.SigningSecret, a.Clock.GetUtcNow().ToUnixTimeSeconds()))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        }

        await a.Fake.WaitUntilAsync(() => a.Fake.Posts.Count == 1, "A answers");
        await Task.Delay(500); // the extension runs once the response has been sent
        a.Clock.Advance(TimeSpan.FromSeconds(5));
        b.Clock.Advance(TimeSpan.FromSeconds(5));
        using (var retry = await FakeSlack.SendSignedAsync(client, Url(b), "application/json", body, SlackTestHost.SigningSecret, b.Clock.GetUtcNow().ToUnixTimeSeconds(),
                   ("X-Slack-Retry-Num", "1"), ("X-Slack-Retry-Reason", "http_timeout")))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, retry.StatusCode);
        }

        var dispatcherB = b.Services.GetRequiredService<SlackEventDispatcher>();
        await b.Fake.WaitUntilAsync(() => dispatcherB.Duplicates == 1, "B drops the retry");
        await Task.Delay(300);
        Assert.Empty(b.Fake.Posts);
    }
}
