using System.Text.Json.Nodes;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Digests;
using Bot.Core.Storage;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Xunit.Abstractions;

namespace Bot.Discord.Tests;

/// <summary>
/// Scheduled digests posted end to end through the real DiscordPlatform to the fake Discord (checklist 19, 44-47):
/// exactly once per (schedule, tick, target), refusals and uncertain outcomes recorded as the runner's policy says.
/// </summary>
public sealed class DiscordDigestEndToEndTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    /// <summary>09:00 in Seoul on 24 November.</summary>
    private static readonly DateTimeOffset Tick = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Questions =
    [
        "딥시크 R1은 어떤 모델이야?", "딥시크는 어느 나라 기업이야?", "딥시크 V3 훈련 비용은 얼마야?", "엔비디아 주가는 어떻게 됐어?",
        "딥시크 창업자는 누구야?", "오픈AI는 딥시크를 어떻게 봐?", "딥시크가 주목받는 이유는?", "딥시크 오픈소스 전략은?",
        "미중 AI 패권 경쟁은 어떻게 돼?", "GPU 수출 규제는?", "딥시크 앱 순위는?", "딥시크 모델의 비용 효율성은?",
    ];

    private const string Gap = "딥시크 본사는 어디야?";

    private static string Text(JsonNode body) =>
        (body["content"]?.GetValue<string>() ?? "") + "\n" + string.Join("\n", (body["embeds"]?.AsArray() ?? []).Select(e =>
            (e!["title"]?.GetValue<string>() ?? "") + "\n" + (e["description"]?.GetValue<string>() ?? "") + "\n" + (e["footer"]?["text"]?.GetValue<string>() ?? "")));

    /// <summary>A short digest: two asked questions (with citations) and one the articles could not answer.</summary>
    private static void LogShortPeriod(DiscordDigestHarness h)
    {
        h.Log("딥시크 창업자는 누구야?", 3, Start + TimeSpan.FromHours(2));
        h.Log("엔비디아 주가는 어떻게 됐어?", 1, Start + TimeSpan.FromHours(3));
        h.Log(Gap, 2, Start + TimeSpan.FromHours(4), AnswerStatus.NotFound, "기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.");
    }

    /// <summary>A digest too long for one Discord message (more than 6000 embed characters).</summary>
    private static void LogLongPeriod(DiscordDigestHarness h)
    {
        for (var i = 0; i < Questions.Length; i++)
        {
            h.Log(Questions[i], Questions.Length - i, Start + TimeSpan.FromMinutes(10 + i));
        }

        for (var i = 0; i < 10; i++)
        {
            // Long questions, as people paste them: the coverage-gap section alone is several thousand characters.
            h.Log($"딥시크 본사 {i}층에는 무엇이 있어? 그 층에서 일하는 연구원들은 어떤 모델을 만들고 있고, 회의실은 몇 개나 있으며, " +
                  "직원 식당의 메뉴는 무엇인지, 출입 절차는 어떻게 되는지, 방문객이 견학을 신청할 수 있는지, 주차장은 어디에 있는지, " +
                  "근처 지하철역에서 걸어서 몇 분이 걸리는지, 그리고 건물의 층수와 준공 연도까지 기사에 나온 대로 자세히 알려 줘.",
                1, Start + TimeSpan.FromMinutes(40 + i), AnswerStatus.NotFound, "기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.");
        }
    }

    private static void AssertDiscordMessage(JsonNode body)
    {
        Assert.Equal("[]", body["allowed_mentions"]!["parse"]!.ToJsonString());
        Assert.Null(body["components"]);
        Assert.Null(body["message_reference"]);
        Assert.InRange((body["content"]?.GetValue<string>() ?? "").Length, 0, 2000);
        var embeds = body["embeds"]?.AsArray() ?? [];
        Assert.InRange(embeds.Count, 0, 10);
        Assert.InRange(embeds.Sum(e => (e!["description"]?.GetValue<string>().Length ?? 0) + (e["footer"]?["text"]?.GetValue<string>().Length ?? 0)), 0, 6000);
    }

    [Fact] // 44, 45, 47: the scheduler fires at 09:00 Seoul on the fake clock and posts through the real adapter
    public async Task ScheduledTick_PostedThroughTheFakeDiscord_InOrderWithCitations_RecordedWithIds_SecondRunPostsNothing()
    {
        await using var h = await DiscordDigestHarness.CreateAsync(Start);
        LogShortPeriod(h);
        await h.Scheduler.StartAsync(CancellationToken.None);
        await FakeDiscordServer.WaitUntilAsync(() => h.Scheduler.Waiting.TryGetValue(DiscordDigestHarness.Schedule, out var t) && t == Tick, "armed for 09:00 Seoul");
        Assert.Empty(h.Posts);

        h.AdvanceTo(Tick);
        await FakeDiscordServer.WaitUntilAsync(() => h.Runs.Runs().Any(r => r.State == DigestRunState.Posted), "posted run", 20_000);

        var posts = h.Posts;
        var created = h.Fake.CreatedMessages.ToArray();
        Assert.Equal(posts.Length, created.Length);
        Assert.All(posts, p => Assert.Equal(200, p.Status));
        Assert.All(posts, p => Assert.Equal("Bot " + DiscordTestHost.Token, p.Header("authorization")));
        var text = string.Join("\n", posts.Select(p => Text(p.Json!)));
        output.WriteLine(text);
        foreach (var p in posts)
        {
            AssertDiscordMessage(p.Json!);
        }

        // The title first, then the sections and their items in order, with the quoted passage and its citation line.
        var order = new[] { "morning 다이제스트", "많이 나온 질문", "딥시크 창업자는 누구야?", "엔비디아 주가는 어떻게 됐어?", "답하지 못한 질문", Gap };
        var pos = 0;
        foreach (var part in order)
        {
            var at = text.IndexOf(part, pos, StringComparison.Ordinal);
            Assert.True(at >= pos, $"'{part}' missing or out of order");
            pos = at;
        }

        Assert.Contains("\n> ", text, StringComparison.Ordinal);
        Assert.Contains("번째 단락", text, StringComparison.Ordinal);
        Assert.Contains("**", text, StringComparison.Ordinal);

        var run = Assert.Single(h.Runs.Runs());
        Assert.Equal((DiscordDigestHarness.Schedule, Tick, new ChannelRef("discord", DiscordDigestHarness.Channel), DigestRunState.Posted),
            (run.Schedule, run.Tick, run.Target, run.State));
        Assert.Equal(created.Select(c => c.MessageId), run.MessageIds);

        // The same tick again (a second runner call, as after a restart): nothing is posted.
        var again = await h.Runner.RunTickAsync(h.MorningSchedule, Tick, DigestRunStore.TriggerSchedule, CancellationToken.None);
        Assert.Equal(TargetOutcome.AlreadyHandled, Assert.Single(again).Outcome);
        await Task.Delay(100);
        Assert.Equal(posts.Length, h.Posts.Length);
        Assert.Single(h.Runs.Runs());
    }

    [Fact] // 19, 46: 403/50013 on the digest channel: refused, recorded failed, no retry storm, nothing posted twice
    public async Task ChannelRefuses_403MissingPermissions_RecordedFailed_NotRetriedBlindly()
    {
        await using var h = await DiscordDigestHarness.CreateAsync(Start);
        LogShortPeriod(h);
        h.Fake.Script(r => r.Method == "POST" && r.Path == $"/channels/{DiscordDigestHarness.Channel}/messages",
            FakeResponse.Error(403, 50013, "Missing Permissions"), once: false);
        h.AdvanceTo(Tick);

        var result = Assert.Single(await h.Runner.RunTickAsync(h.MorningSchedule, Tick, DigestRunStore.TriggerSchedule, CancellationToken.None));
        Assert.Equal(TargetOutcome.Failed, result.Outcome);
        Assert.Contains("50013", result.Error, StringComparison.Ordinal);
        var post = Assert.Single(h.Posts);
        Assert.Equal(403, post.Status);
        Assert.Empty(h.Fake.CreatedMessages);

        var run = Assert.Single(h.Runs.Runs());
        Assert.Equal(DigestRunState.Failed, run.State);
        Assert.Empty(run.MessageIds);
        Assert.Contains("50013", run.Error, StringComparison.Ordinal);

        // The same tick again does not post (its record exists); the next tick tries again.
        Assert.Equal(TargetOutcome.AlreadyHandled, Assert.Single(await h.Runner.RunTickAsync(h.MorningSchedule, Tick, DigestRunStore.TriggerSchedule, CancellationToken.None)).Outcome);
        Assert.Single(h.Posts);
        var next = Tick + TimeSpan.FromDays(1);
        h.AdvanceTo(next);
        Assert.Equal(TargetOutcome.Failed, Assert.Single(await h.Runner.RunTickAsync(h.MorningSchedule, next, DigestRunStore.TriggerSchedule, CancellationToken.None)).Outcome);
        Assert.Equal(2, h.Posts.Length);
        Assert.Empty(h.Fake.CreatedMessages);
    }

    [Fact] // 20, 45, 47: a 500 on the second page of a split digest: maybe posted, recorded unknown, never re-posted
    public async Task LongDigest_SplitIntoPages_ServerErrorOnSecondPage_RecordedUnknown_NotRepostedThatTick()
    {
        await using var h = await DiscordDigestHarness.CreateAsync(Start);
        LogLongPeriod(h);
        var seen = 0;
        h.Fake.Script(r => r.Method == "POST" && r.Path == $"/channels/{DiscordDigestHarness.Channel}/messages" && Interlocked.Increment(ref seen) > 1,
            FakeResponse.Error(500, 0, "500: Internal Server Error"), once: false);
        h.AdvanceTo(Tick);

        // The same content renders into more than one Discord message.
        var preview = await h.Runner.PreviewAsync(h.MorningSchedule, Tick, CancellationToken.None);
        var pages = new DiscordRenderer().RenderMessage(preview.Message);
        output.WriteLine($"{pages.Count} pages, embed characters {string.Join(",", pages.Select(p => p.EmbedTotalLength))}, embeds {string.Join(",", pages.Select(p => p.Embeds?.Count ?? 0))}");
        Assert.True(pages.Count >= 2, $"the digest renders into {pages.Count} message(s); the test needs a split");

        var result = Assert.Single(await h.Runner.RunTickAsync(h.MorningSchedule, Tick, DigestRunStore.TriggerSchedule, CancellationToken.None));
        Assert.Equal(TargetOutcome.Unknown, result.Outcome);
        output.WriteLine(result.Error);

        var first = Assert.Single(h.Fake.CreatedMessages);
        Assert.Contains("morning 다이제스트", first.Body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var posts = h.Posts;
        Assert.Equal(200, posts[0].Status);
        Assert.All(posts.Skip(1), p => Assert.Equal(500, p.Status));
        // Bounded retries of the second page (same nonce, so Discord could deduplicate), never a third page.
        Assert.InRange(posts.Length, 2, 2 + 3);
        Assert.Single(posts.Skip(1).Select(p => p.Json!["nonce"]!.GetValue<string>()).Distinct());
        Assert.True(posts.Skip(1).All(p => p.Json!["enforce_nonce"]!.GetValue<bool>()));

        var run = Assert.Single(h.Runs.Runs());
        Assert.Equal(DigestRunState.Unknown, run.State);
        Assert.Contains("ChatPlatformException", run.Error, StringComparison.Ordinal);

        // Not re-posted for that tick, by this process or another.
        Assert.Equal(TargetOutcome.AlreadyHandled, Assert.Single(await h.Runner.RunTickAsync(h.MorningSchedule, Tick, DigestRunStore.TriggerSchedule, CancellationToken.None)).Outcome);
        Assert.Equal(posts.Length, h.Posts.Length);
    }

    [Fact] // 47: the DiscordPlatform itself: a split digest's pages in order, and the exception the runner relies on
    public async Task Platform_SplitDigest_PagesInOrder_AndPartialFailureCarriesPostedIds()
    {
        await using var h = await DiscordDigestHarness.CreateAsync(Start);
        LogLongPeriod(h);
        h.AdvanceTo(Tick);
        var preview = await h.Runner.PreviewAsync(h.MorningSchedule, Tick, CancellationToken.None);
        var platform = Assert.Single(h.Runner.Platforms);
        Assert.Equal("discord", platform.Name);

        var posted = await platform.PostAsync(new ChannelRef("discord", DiscordDigestHarness.Channel), preview.Message, CancellationToken.None);
        var created = h.Fake.CreatedMessages.ToArray();
        Assert.True(created.Length >= 2);
        Assert.Equal(created.Select(c => c.MessageId), posted.MessageIds);
        foreach (var c in created)
        {
            AssertDiscordMessage(c.Body);
        }

        // Every item of every section appears once, in order, across the pages.
        var text = string.Join("\n", created.Select(c => Text(c.Body)));
        var pos = 0;
        foreach (var item in preview.Message.Sections.SelectMany(s => s.Items))
        {
            var first = item.Text.Split('\n')[0];
            var at = text.IndexOf(first, pos, StringComparison.Ordinal);
            Assert.True(at >= pos, $"'{first}' missing or out of order");
            pos = at;
        }

        Assert.True(preview.Message.Sections.SelectMany(s => s.Items).Count(i => i.Citation is not null) >= 8);
        Assert.True(text.Split("번째 단락").Length - 1 >= 8, "citations lost in the split");

        // A failure on the second page: MaybePosted with the first page's id.
        var seen = 0;
        h.Fake.Script(r => r.Method == "POST" && r.Path == "/channels/1200000000000000077/messages" && Interlocked.Increment(ref seen) > 1,
            FakeResponse.Error(500, 0, "500: Internal Server Error"), once: false);
        var ex = await Assert.ThrowsAsync<ChatPlatformException>(() =>
            platform.PostAsync(new ChannelRef("discord", "1200000000000000077"), preview.Message, CancellationToken.None));
        Assert.True(ex.MaybePosted);
        Assert.False(ex.Permanent);
        Assert.Equal("discord", ex.Platform);
        var firstPage = h.Fake.CreatedMessages.Last(c => c.ChannelId == "1200000000000000077");
        Assert.Equal([firstPage.MessageId], ex.PostedMessageIds);
    }
}
