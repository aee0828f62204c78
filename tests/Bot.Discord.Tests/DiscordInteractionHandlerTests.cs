using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Xunit.Abstractions;

namespace Bot.Discord.Tests;

/// <summary>Checklist items 21-26: commands, defers, webhooks, failures, the 15-minute window.</summary>
public sealed class DiscordInteractionHandlerTests(ITestOutputHelper output)
{
    private static Task Settle() => Task.Delay(200);

    private static RecordedRequest[] Callbacks(DiscordTestHost host, string id) => host.Fake.RequestsTo("POST", "/interactions/" + id + "/").ToArray();

    private static RecordedRequest[] Patches(DiscordTestHost host) => host.Fake.Requests.Where(r => r.Method == "PATCH").ToArray();

    private static string Text(JsonNode body) =>
        (body["content"]?.GetValue<string>() ?? "") + "\n" + string.Join("\n", (body["embeds"]?.AsArray() ?? []).Select(e =>
            (e!["title"]?.GetValue<string>() ?? "") + "\n" + (e["description"]?.GetValue<string>() ?? "") + "\n" +
            (e["footer"]?["text"]?.GetValue<string>() ?? "") + "\n" +
            string.Join("\n", (e["fields"]?.AsArray() ?? []).Select(f => f!["name"]!.GetValue<string>() + "\n" + f["value"]!.GetValue<string>()))));

    [Fact] // 21
    public async Task Startup_BulkOverwritesTheExactCommandList_ToTheGuild_IdempotentAcrossRestarts()
    {
        string first;
        await using (var host = await DiscordTestHost.StartReadyAsync(c => c["Discord:GuildId"] = Events.GuildId))
        {
            var put = Assert.Single(host.Fake.Requests, r => r.Method == "PUT");
            Assert.Equal($"/applications/{FakeDiscordServer.AppId}/guilds/{Events.GuildId}/commands", put.Path);
            Assert.Equal("Bot " + DiscordTestHost.Token, put.Header("authorization"));
            first = put.Body;
            var list = put.Json!.AsArray();
            Assert.Equal(["ask", "search", "source", "help", "Find sources"], list.Select(c => c!["name"]!.GetValue<string>()));
            Assert.Equal([1, 1, 1, 1, 3], list.Select(c => c!["type"]!.GetValue<int>()));
            Assert.All(list, c =>
            {
                Assert.Equal("[0,1]", c!["contexts"]!.ToJsonString());
                Assert.Equal("[0]", c["integration_types"]!.ToJsonString());
                Assert.NotNull(c["name_localizations"]!["ko"]);
                Assert.Matches(@"^[-_'\p{L}\p{N} ]{1,32}$", c["name_localizations"]!["ko"]!.GetValue<string>());
            });
            Assert.All(list.Take(4), c =>
            {
                Assert.Matches(@"^[-_'\p{L}\p{N}]{1,32}$", c!["name"]!.GetValue<string>());
                Assert.InRange(c["description"]!.GetValue<string>().Length, 1, 100);
                Assert.NotNull(c["description_localizations"]!["ko"]);
            });
            Assert.Null(list[4]!["description"]);
            var ask = list[0]!["options"]!.AsArray();
            Assert.Equal(("question", 3, true), (ask[0]!["name"]!.GetValue<string>(), ask[0]!["type"]!.GetValue<int>(), ask[0]!["required"]!.GetValue<bool>()));
            Assert.Equal(("top", 4, false), (ask[1]!["name"]!.GetValue<string>(), ask[1]!["type"]!.GetValue<int>(), ask[1]!["required"]!.GetValue<bool>()));
            var source = list[2]!["options"]![0]!;
            Assert.Equal("document", source["name"]!.GetValue<string>());
            Assert.True(source["autocomplete"]!.GetValue<bool>());
            Assert.Equal("query", list[1]!["options"]![0]!["name"]!.GetValue<string>());
        }

        await using (var again = await DiscordTestHost.StartReadyAsync(c => c["Discord:GuildId"] = Events.GuildId))
        {
            var put = Assert.Single(again.Fake.Requests, r => r.Method == "PUT");
            Assert.Equal(first, put.Body);
        }
    }

    [Fact] // 21
    public async Task Startup_WithoutGuild_RegistersGlobally_OncePerProcessEvenAfterNewSessions()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        Assert.Single(host.Fake.RequestsTo("PUT", $"/applications/{FakeDiscordServer.AppId}/commands"));
        host.Time.Advance(TimeSpan.FromSeconds(10));
        await host.Fake.Current!.CloseAsync(4009);
        host.Time.Advance(TimeSpan.FromSeconds(10));
        await FakeDiscordServer.WaitUntilAsync(() => host.Gateway.IdentifyCount == 2 && host.Gateway.State == GatewayState.Ready, "second session");
        await Settle();
        Assert.Single(host.Fake.Requests, r => r.Method == "PUT");
    }

    [Fact] // 22, 23
    public async Task Ask_DeferredBeforeSlowRetrieval_ThenOriginalPatched()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        host.Questions.Hold();
        var interaction = Events.Command("ask", [Events.Option("question", "딥시크는 어느 나라 기업이야?")]);
        var id = (string)interaction["id"]!;
        var token = (string)interaction["token"]!;
        var sentAt = Stopwatch.GetTimestamp();
        var sentAtFake = host.Time.GetUtcNow();
        await host.Fake.DispatchAsync("INTERACTION_CREATE", interaction);

        await FakeDiscordServer.WaitUntilAsync(() => Callbacks(host, id).Length == 1, "defer");
        var defer = Callbacks(host, id)[0];
        Assert.Equal($"/interactions/{id}/{token}/callback", defer.Path);
        Assert.Equal(5, defer.Json!["type"]!.GetValue<int>());
        Assert.Null(defer.Json!["data"]?["flags"]);
        Assert.Null(defer.Header("authorization"));
        Assert.True(defer.At - sentAtFake < TimeSpan.FromSeconds(3));
        Assert.True(Stopwatch.GetElapsedTime(sentAt, defer.RealTimestamp) < TimeSpan.FromSeconds(3));
        await Settle();
        Assert.Empty(Patches(host));

        host.Questions.Release();
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        var patch = Patches(host)[0];
        output.WriteLine(patch.Body);
        Assert.Equal($"/webhooks/{FakeDiscordServer.AppId}/{token}/messages/@original", patch.Path);
        Assert.Equal("[]", patch.Json!["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.Contains("**", Text(patch.Json!), StringComparison.Ordinal);
        Assert.Contains("번째 단락", Text(patch.Json!), StringComparison.Ordinal);
        Assert.True(defer.RealTimestamp < patch.RealTimestamp);
        Assert.Single(Callbacks(host, id));
    }

    [Theory] // 23
    [InlineData("search", true)]
    [InlineData("help", true)]
    [InlineData("ask", false)]
    [InlineData("source", false)]
    public async Task Defer_EphemeralFlagOnlyForSearchAndHelp(string command, bool ephemeral)
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        object[]? options = command switch
        {
            "search" => [Events.Option("query", "딥시크 오픈소스")],
            "ask" => [Events.Option("question", "딥시크 오픈소스")],
            "source" => [Events.Option("document", "딥시크")],
            _ => null,
        };
        var interaction = Events.Command(command, options);
        await host.Fake.DispatchAsync("INTERACTION_CREATE", interaction);
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        var defer = Assert.Single(Callbacks(host, (string)interaction["id"]!));
        Assert.Equal(ephemeral ? 64 : (int?)null, defer.Json!["data"]?["flags"]?.GetValue<int>());
        var text = Text(Patches(host)[0].Json!);
        output.WriteLine(text);
        Assert.False(string.IsNullOrWhiteSpace(text));
    }

    [Fact] // 23: /search shows up to five passages
    public async Task Search_UpToFivePassages_EachCited()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("search", [Events.Option("query", "딥시크 비용")]));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        var fields = Patches(host)[0].Json!["embeds"]![0]!["fields"]!.AsArray();
        Assert.InRange(fields.Count, 2, 5);
        Assert.All(fields, f => Assert.Contains("번째 단락", f!["value"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(5, host.Questions.Tops.Single());
    }

    [Fact] // 24
    public async Task Options_ByName_MissingOptionalTopDefaults_PresentTopUsed()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "딥시크")]));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "first");
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("top", 5, type: 4), Events.Option("question", "딥시크 비용")]));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 2, "second");
        Assert.Equal([3, 5], host.Questions.Tops.OrderBy(t => t));
        Assert.Contains("ask:딥시크 비용", host.Questions.CallTexts);
    }

    [Fact] // 24
    public async Task Options_NestedInSubCommandGroup_FoundByName()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var nested = new object[]
        {
            new { name = "corpus", type = 2, options = new object[] { new { name = "query", type = 1, options = new object[] { Events.Option("question", "딥시크 엔비디아") } } } },
        };
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", nested));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        Assert.Equal(["ask:딥시크 엔비디아"], host.Questions.CallTexts);
    }

    [Fact] // 24 (unit)
    public void InteractionOptions_FlattensSubCommands_AndFindsFocused()
    {
        using var doc = JsonDocument.Parse("""
            {"name":"admin","type":1,"options":[{"name":"g","type":2,"options":[{"name":"s","type":1,"options":[
              {"name":"question","type":3,"value":"기준금리"},{"name":"top","type":4,"value":2},{"name":"document","type":3,"value":"딥","focused":true}]}]}]}
            """);
        var options = InteractionOptions.Parse(doc.RootElement);
        Assert.Equal(["g", "s"], options.SubCommands);
        Assert.Equal("기준금리", options.String("question"));
        Assert.Equal(2, options.Integer("top"));
        Assert.Null(options.Integer("missing"));
        Assert.Null(options.String("missing"));
        Assert.Equal("document", options.Focused!.Value.Key);
    }

    [Theory] // 25
    [InlineData(404, 10062)]
    [InlineData(400, 40060)]
    public async Task AckRefused_ThatCommandFailsAlone_NoSecondCallback_ConnectionUnaffected(int status, int code)
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var failing = Events.Command("ask", [Events.Option("question", "딥시크")]);
        var failingId = (string)failing["id"]!;
        host.Fake.Script(r => r.Path.StartsWith("/interactions/" + failingId + "/", StringComparison.Ordinal), FakeResponse.Error(status, code, "refused"), once: false);
        await host.Fake.DispatchAsync("INTERACTION_CREATE", failing);
        var ok = Events.Command("ask", [Events.Option("question", "딥시크 비용")]);
        await host.Fake.DispatchAsync("INTERACTION_CREATE", ok);
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "the other command answered");
        await Settle();
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await Settle();

        Assert.Single(Callbacks(host, failingId));
        Assert.Single(Patches(host));
        Assert.DoesNotContain(host.Fake.Requests, r => r.Path.Contains((string)failing["token"]!, StringComparison.Ordinal) && r.Method != "POST");
        Assert.Single(host.Fake.Connections);
        Assert.Equal(GatewayState.Ready, host.Gateway.State);
        Assert.Single(host.Logs.WithEvent(1202));
        Assert.DoesNotContain((string)failing["token"]!, host.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact] // 26
    public async Task AnswerAfterFifteenMinutes_DroppedWithLogLine_NoWebhookCall()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        host.Questions.Hold();
        var interaction = Events.Command("ask", [Events.Option("question", "딥시크")]);
        await host.Fake.DispatchAsync("INTERACTION_CREATE", interaction);
        await FakeDiscordServer.WaitUntilAsync(() => Callbacks(host, (string)interaction["id"]!).Length == 1, "defer");
        await FakeDiscordServer.WaitUntilAsync(() => host.Questions.Started == 1, "retrieval started");

        host.Time.Advance(TimeSpan.FromMinutes(15));
        host.Questions.Release();
        await FakeDiscordServer.WaitUntilAsync(() => host.Logs.WithEvent(1203).Any(), "expiry log");
        await Settle();
        Assert.Empty(Patches(host));
        Assert.DoesNotContain(host.Fake.Requests, r => r.Path.StartsWith("/webhooks/", StringComparison.Ordinal));
        Assert.Single(host.Logs.WithEvent(1203));
    }

    [Fact] // 26: just inside the window still answers
    public async Task AnswerJustInsideTheWindow_Delivered()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        host.Questions.Hold();
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "딥시크")]));
        await FakeDiscordServer.WaitUntilAsync(() => host.Questions.Started == 1, "retrieval started");
        host.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        host.Questions.Release();
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
    }

    [Fact] // 26
    public async Task DmInteraction_UserAndContext1_Handled()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var interaction = Events.Command("ask", [Events.Option("question", "딥시크 오픈소스")], dm: true);
        Assert.False(interaction.ContainsKey("member"));
        await host.Fake.DispatchAsync("INTERACTION_CREATE", interaction);
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        Assert.Single(Callbacks(host, (string)interaction["id"]!));
        Assert.Equal($"/webhooks/{FakeDiscordServer.AppId}/{(string)interaction["token"]!}/messages/@original", Patches(host)[0].Path);
    }

    [Fact]
    public async Task SourceAutocomplete_UpTo25Choices_ValueIsDocId_NoDefer()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var interaction = Events.Autocomplete("source", [Events.Option("document", "딥시크", focused: true)]);
        await host.Fake.DispatchAsync("INTERACTION_CREATE", interaction);
        await FakeDiscordServer.WaitUntilAsync(() => Callbacks(host, (string)interaction["id"]!).Length == 1, "autocomplete");
        var cb = Callbacks(host, (string)interaction["id"]!)[0].Json!;
        output.WriteLine(cb.ToJsonString());
        Assert.Equal(8, cb["type"]!.GetValue<int>());
        var choices = cb["data"]!["choices"]!.AsArray();
        Assert.InRange(choices.Count, 1, 25);
        var seeds = Directory.GetFiles(Bot.TestSupport.RepoPaths.Seeds, "*.txt").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.All(choices, c =>
        {
            Assert.Contains(c!["value"]!.GetValue<string>(), seeds);
            Assert.InRange(c["name"]!.GetValue<string>().Length, 1, 100);
        });
        await Settle();
        Assert.Empty(Patches(host));
    }

    [Fact]
    public async Task Source_ByDocId_ShowsTitleOpeningAndPassageCount()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var docId = Path.GetFileNameWithoutExtension(Directory.GetFiles(Bot.TestSupport.RepoPaths.Seeds, "*.txt").Order().First());
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("source", [Events.Option("document", docId)]));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        var text = Text(Patches(host)[0].Json!);
        output.WriteLine(text);
        Assert.Contains("단락", text, StringComparison.Ordinal);
        Assert.Contains(docId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindSources_SearchesTheTargetMessagesText()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        var interaction = Events.FindSources("딥시크가 엔비디아 주가를 떨어뜨렸대");
        await host.Fake.DispatchAsync("INTERACTION_CREATE", interaction);
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        Assert.Equal(["search:딥시크가 엔비디아 주가를 떨어뜨렸대"], host.Questions.CallTexts);
        var defer = Assert.Single(Callbacks(host, (string)interaction["id"]!));
        Assert.Equal(5, defer.Json!["type"]!.GetValue<int>());
        var text = Text(Patches(host)[0].Json!);
        output.WriteLine(text);
        Assert.Contains("> ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ko", "도움말")]
    [InlineData("en-US", "Help")]
    public async Task Help_FollowsLocale(string locale, string title)
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("help", null, locale: locale));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1, "answer");
        Assert.Equal(title, Patches(host)[0].Json!["embeds"]![0]!["title"]!.GetValue<string>());
    }

    [Fact] // 48: stop waits for in-flight answers until the deadline, then cancels them
    public async Task Stop_InFlightAnswerPastDeadline_Cancelled_SocketClosed1000()
    {
        var host = await DiscordTestHost.StartReadyAsync(c => c["Discord:ShutdownTimeout"] = "00:00:05");
        await using (host)
        {
            host.Questions.Hold();
            await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "딥시크")]));
            await FakeDiscordServer.WaitUntilAsync(() => host.Questions.Started == 1, "retrieval started");
            var stop = host.StopAsync();
            await FakeDiscordServer.WaitUntilAsync(() => host.Fake.Current!.Ended.IsCompleted, "socket closed");
            Assert.Equal(1000, host.Fake.Current!.ClientCloseCode);
            await Settle();
            Assert.False(stop.IsCompleted);
            host.Time.Advance(TimeSpan.FromSeconds(5));
            await stop.WaitAsync(TimeSpan.FromSeconds(10));
            var abandoned = Assert.Single(host.Logs.WithEvent(4111)); // the chat kit's InFlightReplies
            Assert.Contains("Discord shutdown: 1 answers abandoned", abandoned.Message, StringComparison.Ordinal);
            host.Questions.Release();
        }
    }

    // issue 14: the retrieval queue is bounded; a full queue answers "busy, try again" in the question's language
    [Fact]
    public async Task FullQueue_DeferredThenBusyInQuestionLanguage_MentionToo_QueuedOnesStillAnswered()
    {
        await using var host = await DiscordTestHost.StartReadyAsync(c =>
        {
            c["Retrieval:MaxConcurrentQuestions"] = "1";
            c["Retrieval:MaxQueuedQuestions"] = "1";
        });
        var limiter = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Bot.Core.Commands.QuestionExecutor>(host.Services);
        await FakeDiscordServer.WaitUntilAsync(() => host.Questions.WarmUpsDone == 1, "the start-up warm-up has left the one retrieval thread and its queue");
        host.Questions.Hold();
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "딥시크 본사는 어디에 있나요?")], id: "1400000000000000091"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Questions.Started == 1, "the only retrieval thread is busy");
        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "딥시크 모델은 오픈소스야?")], id: "1400000000000000092"));
        await FakeDiscordServer.WaitUntilAsync(() => limiter.Queued == 1, "the second question waits in the queue");

        await host.Fake.DispatchAsync("INTERACTION_CREATE", Events.Command("ask", [Events.Option("question", "What is DeepSeek?")], id: "1400000000000000093", locale: "ko"));
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{FakeDiscordServer.BotUserId}> 딥시크의 훈련 비용은?"));
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 1 && host.Fake.CreatedMessages.Count == 1, "busy replies");
        Assert.Single(Callbacks(host, "1400000000000000093")); // still deferred at once
        Assert.Contains(UiText.English.Busy, Text(Patches(host)[0].Json!), StringComparison.Ordinal);
        Assert.Contains(UiText.Korean.Busy, Text(host.Fake.CreatedMessages.Single().Body), StringComparison.Ordinal);
        Assert.Equal(1, host.Questions.Started);
        Assert.Equal(2, limiter.Busy);
        Assert.Single(host.Logs.WithEvent(Bot.Core.Commands.QuestionExecutor.QueueFullEventId));

        host.Questions.Release();
        await FakeDiscordServer.WaitUntilAsync(() => Patches(host).Length == 3, "the two accepted questions answered");
        Assert.Equal(2, host.Questions.Started);
        Assert.All(Patches(host).Skip(1), p => Assert.DoesNotContain(UiText.Korean.Busy, Text(p.Json!), StringComparison.Ordinal));
    }
}
