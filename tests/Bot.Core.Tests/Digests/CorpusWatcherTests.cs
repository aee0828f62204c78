using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Digests;
using Bot.Core.Storage;

namespace Bot.Core.Tests.Digests;

public sealed class CorpusWatcherTests
{
    private static readonly QueryContext NotLogged = new(QueryLogStore.InternalPlatform, "");

    private const string NewArticle = """
        펭귄로봇 연구소, 남극 탐사용 인공지능 공개
        펭귄로봇 연구소는 남극 빙하를 스스로 탐사하는 인공지능 로봇을 공개했습니다. 이 로봇은 영하 40도에서도 작동합니다.
        연구소에 따르면 펭귄로봇은 태양광으로 충전되며 한 번 충전으로 일주일 동안 움직일 수 있습니다.
        펭귄로봇 연구소는 내년부터 남극 기지 세 곳에 로봇을 배치할 계획이라고 밝혔습니다.
        """;

    [Fact]
    public async Task AddedFile_WhileRunning_IsSearchableAndInTheNextDigest()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var tick = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        await using var h = DigestHarness.Create(start, DigestHarness.Schedule("morning", "0 9 * * *", "Asia/Seoul", postWhenEmpty: false));
        await h.StartAsync();
        var watcher = h.Get<CorpusWatcher>();
        await DigestHarness.WaitUntil(() => watcher.Checks >= 1 && watcher.Armed >= 1, "first check");

        const string question = "펭귄로봇은 어떻게 충전돼?";
        var before = await h.Handler.AskAsync(question, NotLogged, 3, CancellationToken.None);
        Assert.NotEqual(AnswerStatus.Answered, before.Status);

        File.WriteAllText(Path.Combine(h.SeedsPath, "900_penguin.txt"), NewArticle);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await DigestHarness.WaitUntil(() => watcher.Checks >= 2, "second check");

        var after = await h.Handler.AskAsync(question, NotLogged, 3, CancellationToken.None);
        Assert.Equal(AnswerStatus.Answered, after.Status);
        Assert.Equal("900_penguin", after.Best!.DocId);
        var search = await h.Handler.SearchAsync("펭귄로봇 남극", NotLogged, 5, CancellationToken.None);
        Assert.Contains(search.Citations, c => c.DocId == "900_penguin");

        await h.WaitForArmed("morning", tick);
        h.AdvanceTo(tick);
        await DigestHarness.WaitUntil(() => h.Discord.Posts.Count == 1 && h.Slack.Posts.Count == 1, "digest posted");
        var section = h.Slack.Posts.Single().Message.Sections[0];
        Assert.Equal(DigestText.Korean.NewArticlesHeading, section.Heading);
        var item = Assert.Single(section.Items);
        Assert.StartsWith("펭귄로봇 연구소, 남극 탐사용 인공지능 공개 (새 기사)\n", item.Text, StringComparison.Ordinal);
        Assert.Contains("펭귄로봇", item.Text[item.Text.IndexOf('\n', StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckNow_SeedsUnchanged_DoesNothing()
    {
        await using var h = DigestHarness.Create(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero), []);
        var watcher = h.Get<CorpusWatcher>();
        Assert.NotNull(watcher.CheckNow());
        Assert.Null(watcher.CheckNow());
        File.Delete(Directory.GetFiles(h.SeedsPath, "*.txt").First());
        Assert.Equal(1, watcher.CheckNow()!.Removed);
    }
}
