using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Support;
using Bot.TestSupport;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>Socket Mode envelopes (platforms.md §3.2): nothing before hello, every envelope acked on its own socket within 3 s whatever the handler does, slash-command acks, redeliveries handled once, acks routed over two connections.</summary>
public sealed class SlackSocketModeAckTests
{
    private static Task<SlackTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<FakeSlack>? beforeStart = null) =>
        SlackTestHost.StartAsync(TestCore.Handler, configure, beforeStart: beforeStart);

    // checklist 28
    [Fact]
    public async Task EnvelopeBeforeHello_IsNotProcessed()
    {
        await using var host = await StartAsync(beforeStart: f => f.NextSocket(SocketBehaviour.EnvelopeBeforeHello));
        var socket = await host.Fake.WaitForSocketAsync(1);
        await socket.SendAsync(FakeSlack.EventEnvelope("env-after", "Ev-after", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "the answer to the envelope after hello");

        Assert.DoesNotContain(host.Handler.Calls, c => c.Text.Contains("너무 이른", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Fake.Acks, a => a.EnvelopeId == "env-before-hello");
        Assert.Single(host.Handler.Calls);
    }

    // checklist 29
    [Fact]
    public async Task Envelope_AckedOnSameSocketWithin3s_WhileHandlerIsStillRunning()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.Hold();
        var sentAt = DateTimeOffset.UtcNow;
        await socket.SendAsync(FakeSlack.EventEnvelope("env-slow", "Ev-slow", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?")));

        var ack = await host.Fake.WaitForAsync(() => host.Fake.Acks.FirstOrDefault(a => a.EnvelopeId == "env-slow"), "ack");
        Assert.Equal(socket.Id, ack.SocketId);
        Assert.True(ack.At - sentAt < TimeSpan.FromSeconds(3), $"ack after {(ack.At - sentAt).TotalMilliseconds} ms");
        Assert.Equal("""{"envelope_id":"env-slow"}""", ack.Raw);
        Assert.Empty(host.Fake.Posts); // handler still held: the ack did not wait for it

        host.Handler.Release();
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "answer after release");
    }

    // checklist 29
    [Fact]
    public async Task Envelope_AckedEvenWhenHandlerThrows_AndUserGetsPoliteError()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.ThrowOnCall = new InvalidOperationException("index exploded");
        await socket.SendAsync(FakeSlack.EventEnvelope("env-throw", "Ev-throw", FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?")));
        await socket.SendAsync(FakeSlack.EventEnvelope("env-garbage", "Ev-garbage", new JsonObject { ["type"] = "app_mention", ["text"] = 42 }));

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 2, "both acks");
        Assert.All(host.Fake.Acks, a => Assert.Equal(socket.Id, a.SocketId));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "polite error");
        var text = host.Fake.Posts[0]["text"]!.GetValue<string>();
        Assert.Contains("죄송합니다", text, StringComparison.Ordinal);
        Assert.DoesNotContain("exploded", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", host.Fake.Posts[0].ToJsonString(), StringComparison.Ordinal);

        // the connection keeps working
        host.Handler.ThrowOnCall = null;
        await socket.SendAsync(FakeSlack.EventEnvelope("env-next", "Ev-next", FakeSlack.Mention("<@U_BOT> 딥시크")));
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 2, "next answer");
        Assert.Single(host.Fake.Sockets);
    }

    // checklist 30
    [Fact]
    public async Task SlashCommand_AckCarriesEphemeralWorking_AndAnswerGoesToResponseUrl()
    {
        await using var host = await StartAsync();
        var socket = await host.Fake.WaitForSocketAsync(1);
        host.Handler.Hold();
        await socket.SendAsync(FakeSlack.SlashEnvelope("env-ask", FakeSlack.SlashPayload("/ask", "딥시크 본사는 어디에 있나요?", host.Fake.ResponseUrl("ask1").ToString())));

        var ack = await host.Fake.WaitForAsync(() => host.Fake.Acks.FirstOrDefault(a => a.EnvelopeId == "env-ask"), "ack");
        Assert.Equal("ephemeral", ack.Payload!["response_type"]!.GetValue<string>());
        Assert.Equal("기사를 찾는 중입니다…", ack.Payload["text"]!.GetValue<string>());
        Assert.Empty(host.Fake.ResponsePosts);

        host.Handler.Release();
        var post = await host.Fake.WaitForAsync(() => host.Fake.ResponsePosts.FirstOrDefault(), "response_url post");
        Assert.Equal("ask1", post.Id);
        Assert.Equal("application/json; charset=utf-8", post.ContentType);
        Assert.Equal("", post.Authorization);
        Assert.Equal("in_channel", post.Json!["response_type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(post.Json["text"]!.GetValue<string>()));
        Assert.Equal("ask", host.Handler.Calls.Single().Kind);
        Assert.Empty(host.Fake.Posts);
    }

    // checklist 34
    [Fact]
    public async Task RedeliveredEvent_OnSameAndOtherSocket_HandledExactlyOnce()
    {
        await using var host = await StartAsync(c =>
        {
            c["Slack:NumberOfConnections"] = "2";
            c["Slack:ConnectionStagger"] = "00:00:10";
        });
        var first = await host.Fake.WaitForSocketAsync(1);
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(TimeSpan.FromSeconds(1)));
        var mention = FakeSlack.Mention("<@U_BOT> 딥시크 본사는 어디에 있나요?");
        await first.SendAsync(FakeSlack.EventEnvelope("env-a", "Ev-dup", mention.DeepClone().AsObject()));
        await first.SendAsync(FakeSlack.EventEnvelope("env-b", "Ev-dup", mention.DeepClone().AsObject(), retryAttempt: 1, retryReason: "timeout"));
        await second.SendAsync(FakeSlack.EventEnvelope("env-c", "Ev-dup", mention.DeepClone().AsObject(), retryAttempt: 0));

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 3, "all three acked");
        await host.Fake.WaitUntilAsync(() => host.Fake.Posts.Count == 1, "one answer");
        await Task.Delay(200);
        Assert.Single(host.Fake.Posts);
        Assert.Single(host.Handler.Calls);
        Assert.Equal(second.Id, host.Fake.Acks.Single(a => a.EnvelopeId == "env-c").SocketId);

        // still remembered 10 minutes later
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await second.SendAsync(FakeSlack.EventEnvelope("env-d", "Ev-dup", mention.DeepClone().AsObject(), retryAttempt: 3));
        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 4, "late redelivery acked");
        await Task.Delay(200);
        Assert.Single(host.Handler.Calls);
        var health = host.Health;
        Assert.Equal(4, health.Envelopes);
        Assert.Equal(3, health.Duplicates);
        Assert.Equal(2, health.OpenSockets);
        Assert.Equal(0, health.InFlight);
    }

    // checklist 35
    [Fact]
    public async Task TwoConnections_Staggered_EventsOnEitherHandled_AcksRouted()
    {
        await using var host = await StartAsync(c =>
        {
            c["Slack:NumberOfConnections"] = "2";
            c["Slack:ConnectionStagger"] = "00:00:10";
        });
        var first = await host.Fake.WaitForSocketAsync(1);
        await Task.Delay(100);
        Assert.Single(host.Fake.Sockets); // the second slot waits for the stagger
        var second = await host.Fake.WaitForSocketAsync(2, () => host.Clock.Advance(TimeSpan.FromSeconds(1)));
        Assert.True(host.Fake.CallsTo("apps.connections.open")[1].ClockAt - host.Fake.CallsTo("apps.connections.open")[0].ClockAt >= TimeSpan.FromSeconds(10));

        for (var i = 0; i < 5; i++)
        {
            await first.SendAsync(FakeSlack.EventEnvelope("a" + i, "Ev-a" + i, FakeSlack.Mention("<@U_BOT> 딥시크 " + i, ts: "1754000000.00020" + i)));
            await second.SendAsync(FakeSlack.EventEnvelope("b" + i, "Ev-b" + i, FakeSlack.Mention("<@U_BOT> 딥시크 " + i, ts: "1754000000.00030" + i)));
        }

        await host.Fake.WaitUntilAsync(() => host.Fake.Acks.Count == 10 && host.Fake.Posts.Count == 10, "all handled");
        Assert.All(host.Fake.Acks.Where(a => a.EnvelopeId.StartsWith('a')), a => Assert.Equal(first.Id, a.SocketId));
        Assert.All(host.Fake.Acks.Where(a => a.EnvelopeId.StartsWith('b')), a => Assert.Equal(second.Id, a.SocketId));
        Assert.Equal(2, host.Hosted.SocketMode.OpenSocketCount);
    }
}
