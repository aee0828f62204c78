using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Corpus;
using Bot.Core.Digests;
using Bot.Core.Storage;
using Bot.TestSupport;

namespace Bot.Core.Tests.Digests;

public sealed class DigestComposerTests
{
    private static readonly QueryContext NotLogged = new(QueryLogStore.InternalPlatform, "");
    private static readonly ChannelRef SlackC1 = new("slack", "C1");
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] AnsweredQuestions =
    [
        "딥시크 R1은 어떤 모델이야?", "딥시크는 어느 나라 기업이야?", "딥시크 V3 훈련 비용은 얼마야?", "엔비디아 주가는 어떻게 됐어?",
        "딥시크 창업자는 누구야?", "오픈AI는 딥시크를 어떻게 봐?", "딥시크가 주목받는 이유는?", "딥시크 오픈소스 전략은?",
        "미중 AI 패권 경쟁은 어떻게 돼?", "GPU 수출 규제는?", "딥시크 앱 순위는?", "딥시크 모델의 비용 효율성은?",
    ];

    private static void Log(DigestHarness h, string question, int times, TimeSpan at, AnswerStatus status = AnswerStatus.Answered, string? reason = null)
    {
        for (var i = 0; i < times; i++)
        {
            h.QueryLog.Insert(new QueryLogEntry(Start + at + TimeSpan.FromSeconds(i), "slack", "C1", "ask", question, status, reason, null, null) { InChannel = true });
        }
    }

    private static DigestSchedule Schedule(Language language = Language.Korean, params DigestSection[] sections) =>
        DigestSchedule.From(new DigestScheduleOptions
        {
            Name = "daily", Title = language == Language.Korean ? "아침" : null, Cron = "0 9 * * *", Language = language, Sections = [.. sections],
            Targets = [new() { Platform = "discord", ChannelId = "D1" }, new() { Platform = "slack", ChannelId = "C1" }],
        });

    [Fact]
    public async Task Compose_EverySection_InOrder_WithSummariesCitationsAndGaps()
    {
        await using var h = DigestHarness.Create(Start, []);
        var watcher = h.Get<CorpusWatcher>();
        Assert.True(watcher.CheckNow()!.Baseline);

        h.Time.Advance(TimeSpan.FromHours(1));
        var edited = Directory.GetFiles(h.SeedsPath, "*.txt").Order(StringComparer.Ordinal).First();
        File.AppendAllText(edited, "\n딥시크는 새로운 추론 모델을 곧 공개할 예정이라고 밝혔습니다.\n");
        var changes = watcher.CheckNow()!;
        Assert.Equal((0, 1), (changes.Added, changes.Changed));

        Log(h, "딥시크 창업자는 누구야?", 3, TimeSpan.FromHours(2));
        Log(h, "엔비디아 주가는 어떻게 됐어?", 1, TimeSpan.FromHours(3));
        Log(h, "딥시크 본사는 어디야?", 2, TimeSpan.FromHours(4), AnswerStatus.NotFound, "기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.");
        Log(h, "   ", 1, TimeSpan.FromHours(4), AnswerStatus.Empty, "질문이 비어 있습니다.");

        var content = await h.Get<DigestComposer>().ComposeAsync(Schedule(), SlackC1, Start, Start + TimeSpan.FromDays(1), CancellationToken.None);

        // The digest's own retrieval is not logged as a question.
        Assert.Equal(7, h.QueryLog.Entries(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).Count);
        Assert.False(content.IsEmpty);
        var m = content.Message;
        Assert.Equal(Language.Korean, m.Language);
        Assert.Equal("아침 다이제스트 · 2026년 11월 24일", m.Title);
        Assert.Equal(["새로 들어오거나 바뀐 기사", "많이 나온 질문", "답하지 못한 질문 (기사 보강이 필요합니다)"], m.Sections.Select(s => s.Heading));

        var article = Assert.Single(m.Sections[0].Items);
        var parsed = CorpusLoader.Parse(Path.GetFileNameWithoutExtension(edited), File.ReadAllBytes(edited));
        Assert.StartsWith($"{parsed.Title} (수정됨)\n", article.Text, StringComparison.Ordinal);

        var questions = m.Sections[1].Items;
        Assert.Equal(["“딥시크 창업자는 누구야?” — 3회", "“엔비디아 주가는 어떻게 됐어?” — 1회"], questions.Select(i => i.Text));
        foreach (var item in questions)
        {
            var q = item.Text[1..item.Text.IndexOf('”', StringComparison.Ordinal)];
            var expected = (await h.Handler.AskAsync(q, NotLogged, 1, CancellationToken.None)).Best!;
            Assert.NotNull(item.Citation);
            Assert.Equal((expected.DocId, expected.Passage, expected.Snippet.Text), (item.Citation!.DocId, item.Citation.Passage, item.Citation.Snippet.Text));
        }

        var gap = Assert.Single(m.Sections[2].Items);
        Assert.Equal("“딥시크 본사는 어디야?” — 2회\n기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.", gap.Text);
        Assert.Null(gap.Citation);
        Assert.Equal("기간: 11월 23일 09:00 ~ 11월 24일 09:00 (Asia/Seoul)", m.Footer);
    }

    [Fact]
    public async Task Compose_LongDigest_KeepsOrderAndEveryCitationThroughThePost()
    {
        var settings = new Dictionary<string, string?> { ["Digest:TopQuestionsCount"] = "20" };
        await using var h = DigestHarness.Create(Start, settings);
        var watcher = h.Get<CorpusWatcher>();
        watcher.CheckNow();
        h.Time.Advance(TimeSpan.FromMinutes(5));
        foreach (var f in Directory.GetFiles(h.SeedsPath, "*.txt"))
        {
            File.AppendAllText(f, "\n이 기사는 다이제스트 시험을 위해 내용이 보강되었습니다.\n");
        }

        foreach (var (f, n) in Directory.GetFiles(h.SeedsPath, "*.txt").Order(StringComparer.Ordinal).Take(3).Select((f, n) => (f, n)))
        {
            File.WriteAllText(Path.Combine(h.SeedsPath, $"90{n}_copy.txt"), $"사본 기사 {n}: " + File.ReadAllText(f));
        }

        var changes = watcher.CheckNow()!;
        Assert.Equal((3, 5), (changes.Added, changes.Changed));
        for (var i = 0; i < AnsweredQuestions.Length; i++)
        {
            Log(h, AnsweredQuestions[i], AnsweredQuestions.Length - i, TimeSpan.FromMinutes(10 + i));
        }

        for (var i = 0; i < 10; i++)
        {
            Log(h, $"딥시크 본사 {i}층에는 무엇이 있어?", 1, TimeSpan.FromMinutes(30 + i), AnswerStatus.NotFound, "기사에서 답을 찾지 못했습니다. 기사에 '본사'라는 말이 나오지 않습니다.");
        }

        var schedule = Schedule();
        var content = await h.Get<DigestComposer>().ComposeAsync(schedule, SlackC1, Start, Start + TimeSpan.FromDays(1), CancellationToken.None);
        var text = DigestPlainText.Render(content.Message);
        Assert.True(text.Length > 6000, $"digest is {text.Length} characters; the test wants more than one Discord message's worth");

        var articles = content.Message.Sections[0].Items;
        Assert.Equal(8, articles.Count);
        Assert.Equal(5, articles.Count(a => a.Text.Contains("(수정됨)\n", StringComparison.Ordinal)));
        Assert.Equal(3, articles.Count(a => a.Text.Contains("(새 기사)\n", StringComparison.Ordinal)));
        Assert.Equal(10, content.Message.Sections[2].Items.Count);
        var questions = content.Message.Sections[1].Items;
        Assert.Equal(AnsweredQuestions.Select((q, i) => $"“{q}” — {AnsweredQuestions.Length - i}회"), questions.Select(q => q.Text));
        var cited = 0;
        foreach (var (item, q) in questions.Zip(AnsweredQuestions))
        {
            var best = await h.Handler.AskAsync(q, NotLogged, 1, CancellationToken.None);
            if (best.Status == AnswerStatus.Answered)
            {
                cited++;
                Assert.Equal((best.Best!.DocId, best.Best.Passage), (item.Citation?.DocId, item.Citation?.Passage ?? 0));
            }
            else
            {
                Assert.Null(item.Citation);
            }
        }

        Assert.True(cited >= 8, $"only {cited} questions were answered");

        // Rendered in order: each item appears after the previous one.
        var pos = 0;
        foreach (var item in content.Message.Sections.SelectMany(s => s.Items))
        {
            var at = text.IndexOf(item.Text.Split('\n')[0], pos, StringComparison.Ordinal);
            Assert.True(at >= pos, $"'{item.Text}' out of order");
            pos = at;
        }

        // Posted through the runner, the platform receives the same message: sections, items and citations intact.
        var results = await h.Get<DigestRunner>().RunTickAsync(schedule, Start + TimeSpan.FromDays(1), DigestRunStore.TriggerManual, CancellationToken.None);
        Assert.All(results, r => Assert.Equal(TargetOutcome.Posted, r.Outcome));
        var posted = h.Slack.Posts.Single().Message;
        Assert.Equal(content.Message.Sections.SelectMany(s => s.Items).Select(i => (i.Text, i.Citation?.DocId, i.Citation?.Passage, i.Citation?.Snippet.Text)),
            posted.Sections.SelectMany(s => s.Items).Select(i => (i.Text, i.Citation?.DocId, i.Citation?.Passage, i.Citation?.Snippet.Text)));
    }

    [Fact]
    public async Task Compose_SelectedSectionsAndEnglish()
    {
        await using var h = DigestHarness.Create(Start, []);
        h.Get<CorpusWatcher>().CheckNow();
        Log(h, "딥시크 창업자는 누구야?", 2, TimeSpan.FromHours(1));
        Log(h, "What is the headquarters address?", 1, TimeSpan.FromHours(2), AnswerStatus.NotFound, "The articles don't answer that.");

        var only = await h.Get<DigestComposer>().ComposeAsync(Schedule(Language.English, DigestSection.Unanswered), SlackC1, Start, Start + TimeSpan.FromDays(1), CancellationToken.None);
        var section = Assert.Single(only.Message.Sections);
        Assert.Equal("Questions the articles could not answer", section.Heading);
        Assert.StartsWith("daily digest · November 24, 2026", only.Message.Title, StringComparison.Ordinal);
        Assert.Equal("“What is the headquarters address?” — asked 1×\nThe articles don't answer that.", Assert.Single(section.Items).Text);

        var none = await h.Get<DigestComposer>().ComposeAsync(Schedule(Language.English, DigestSection.NewArticles), SlackC1, Start, Start + TimeSpan.FromDays(1), CancellationToken.None);
        Assert.True(none.IsEmpty);
    }

    [Fact]
    public async Task Preview_ComposesSinceTheLastDeliveredDigestAndRecordsNothing()
    {
        await using var h = DigestHarness.Create(Start + TimeSpan.FromHours(60), DigestHarness.Schedule("daily", "0 9 * * *", "Asia/Seoul"));
        var runner = h.Get<DigestRunner>();
        var schedule = runner.Schedules.Single();
        var delivered = Start + TimeSpan.FromDays(1);
        var id = h.Runs.TryBegin("daily", delivered, new ChannelRef("slack", "C1"), DigestRunStore.TriggerSchedule, Start)!.Value;
        h.Runs.Complete(id, DigestRunState.Posted, ["1"]);
        Log(h, "딥시크 창업자는 누구야?", 1, TimeSpan.FromHours(20));    // before the last digest
        Log(h, "엔비디아 주가는 어떻게 됐어?", 1, TimeSpan.FromHours(30)); // after it
        var now = h.Time.GetUtcNow();

        // Slack's period starts at its last posted digest; Discord never had one, so its period is the last cron period.
        Assert.Equal(delivered, runner.PeriodStart(schedule, new ChannelRef("slack", "C1"), now));
        Assert.Equal(Start + TimeSpan.FromDays(2), runner.PeriodStart(schedule, new ChannelRef("discord", "D1"), now));

        var preview = await runner.PreviewAsync(schedule, new ChannelRef("slack", "C1"), now, CancellationToken.None);

        Assert.Equal((delivered, now), (preview.PeriodStart, preview.PeriodEnd));
        var text = DigestPlainText.Render(preview.Message);
        Assert.Contains("엔비디아 주가는 어떻게 됐어?", text, StringComparison.Ordinal);
        Assert.DoesNotContain("딥시크 창업자는 누구야?", text, StringComparison.Ordinal);
        Assert.Single(h.Runs.Runs());
        Assert.Empty(h.AllPosts);
    }

    [Fact]
    public void Summarize_RealSeeds_TwoOrThreeSentencesTakenFromTheArticleInOrder()
    {
        foreach (var article in CorpusLoader.Load(RepoPaths.Seeds).Articles)
        {
            var summary = ExtractiveSummarizer.Summarize(article, 3);
            var sentences = ExtractiveSummarizer.Sentences(article);
            var picked = sentences.Where(s => summary.Contains(s.Length > 180 ? s[..100] : s, StringComparison.Ordinal)).ToList();
            Assert.InRange(picked.Count, 2, 3);
            Assert.InRange(summary.Length, 40, 600);
            Assert.DoesNotContain("|", summary, StringComparison.Ordinal);
            var positions = picked.Select(s => sentences.IndexOf(s)).ToList();
            Assert.Equal(positions.Order(), positions);
            var order = picked.Select(s => summary.IndexOf(s.Length > 180 ? s[..100] : s, StringComparison.Ordinal)).ToList();
            Assert.Equal(order.Order(), order);
        }
    }
}
