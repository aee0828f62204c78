using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.ChatKit;

/// <summary>
/// "Whole passage": the button id (strictly parsed, ids come from clients) and the passage-with-neighbours lookup on a
/// real index over the repository's seeds, checked against the corpus as the loader splits it.
/// </summary>
public sealed class WholePassagesTests : IClassFixture<EngineFixture>
{
    private readonly EngineFixture _fx;
    private readonly WholePassages _passages;

    public WholePassagesTests(EngineFixture fx)
    {
        _fx = fx;
        _passages = new WholePassages(fx.Engine);
    }

    [Fact]
    public void Find_GivesEveryPassage_WithItsPreviousAndNext_AsTheCorpusSplitsIt()
    {
        var corpus = CorpusLoader.Load(RepoPaths.Seeds);
        Assert.NotEmpty(corpus.Articles);
        foreach (var article in corpus.Articles)
        {
            for (var i = 0; i < article.Passages.Count; i++)
            {
                var passage = article.Passages[i];
                var id = WholePassages.CustomId(passage.DocId, passage.Ordinal);
                Assert.NotNull(id);
                Assert.InRange(id!.Length, 1, 100); // Discord custom_id; Slack allows 255
                var found = _passages.Find(id);
                Assert.NotNull(found);
                Assert.Equal(passage.Text, found!.Passage.Text);
                Assert.Equal(passage.Ordinal, found.Passage.Ordinal);
                Assert.Equal(article.Title, found.Article.Title);
                Assert.Equal(article.Passages.Count, found.Article.PassageCount);
                Assert.Equal(i > 0 ? article.Passages[i - 1].Text : null, found.Previous?.Text);
                Assert.Equal(i + 1 < article.Passages.Count ? article.Passages[i + 1].Text : null, found.Next?.Text);
            }
        }
    }

    [Fact]
    public void UnknownPassages_AreNull()
    {
        var article = CorpusLoader.Load(RepoPaths.Seeds).Articles[0];
        Assert.Null(_passages.Find(WholePassages.CustomId(article.DocId, article.Passages.Count + 1)));
        Assert.Null(_passages.Find(WholePassages.CustomId("999_nosuchdoc", 1)));
        Assert.Null(new WholePassages(null).Find(WholePassages.CustomId(article.DocId, 1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("passage")]
    [InlineData("passage:")]
    [InlineData("passage:000_e8f83522e6e43577")]
    [InlineData("passage:000_e8f83522e6e43577#")]
    [InlineData("passage:000_e8f83522e6e43577#0")]
    [InlineData("passage:000_e8f83522e6e43577#01")]
    [InlineData("passage:000_e8f83522e6e43577#-1")]
    [InlineData("passage:000_e8f83522e6e43577#100000")]
    [InlineData("passage:000_e8f83522e6e43577#1#2")]
    [InlineData("passage:../000_e8f83522e6e43577#1")]
    [InlineData("passage:000 e8f83522e6e43577#1")]
    [InlineData("passage:000_e8f83522e6e43577#1 ")]
    [InlineData("passage:000_e8f83522e6e43577#１")]
    [InlineData("more:000_e8f83522e6e43577#1")]
    [InlineData("PASSAGE:000_e8f83522e6e43577#1")]
    public void MalformedOrForgedIds_AreRefused(string? customId)
    {
        Assert.False(WholePassages.TryParse(customId, out _, out _));
        Assert.Null(_passages.Find(customId));
    }

    [Fact]
    public void CustomId_RefusesDocIdsThatCannotTravel()
    {
        Assert.Null(WholePassages.CustomId("a:b", 1));
        Assert.Null(WholePassages.CustomId("a#b", 1));
        Assert.Null(WholePassages.CustomId("doc", 0));
        Assert.Null(WholePassages.CustomId(new string('a', 81), 1));
        Assert.True(WholePassages.TryParse(WholePassages.CustomId("기사_1", 7), out var doc, out var ord));
        Assert.Equal(("기사_1", 7), (doc, ord));
    }

    [Fact]
    public async Task Offer_TheBestOfAnAnswer_TheClosestOfADecline_NothingForEmptyQuestions()
    {
        var answer = await _fx.Handler.AskAsync("딥시크 모델은 오픈소스야?", new QueryContext("test", ""), 5, CancellationToken.None);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        var offered = _passages.Offer(answer);
        Assert.Equal(WholePassages.CustomId(answer.Best!.DocId, answer.Best.Passage), Assert.Single(offered).CustomId);

        var declined = await _fx.Handler.AskAsync("딥시크 본사 구내식당 점심 메뉴는 뭐야?", new QueryContext("test", ""), 5, CancellationToken.None);
        Assert.Equal(AnswerStatus.NotFound, declined.Status);
        Assert.NotEmpty(declined.Citations);
        var choices = _passages.Offer(declined);
        Assert.Equal(declined.Citations.Take(WholePassages.MaxChoices).Select(c => WholePassages.CustomId(c.DocId, c.Passage)), choices.Select(c => c.CustomId));
        Assert.All(choices, c => Assert.NotNull(_passages.Find(c.CustomId)));

        var empty = await _fx.Handler.AskAsync("   ", new QueryContext("test", ""), 5, CancellationToken.None);
        Assert.Empty(_passages.Offer(empty));
        Assert.Empty(new WholePassages(null).Offer(answer));
    }

    [Fact]
    public void APassageOfARemovedArticle_IsGone()
    {
        using var tmp = RepoPaths.NewTempDir("bot-core-passage");
        var seeds = tmp.Sub("seeds");
        Directory.CreateDirectory(seeds);
        foreach (var file in Directory.GetFiles(RepoPaths.Seeds))
        {
            File.Copy(file, Path.Combine(seeds, Path.GetFileName(file)));
        }

        using var sp = EngineFixture.Build(seeds, tmp.Sub("index"));
        var engine = sp.GetRequiredService<SearchEngine>();
        engine.EnsureIndex();
        var passages = new WholePassages(engine);
        var victim = Directory.GetFiles(seeds).Order(StringComparer.Ordinal).First();
        var id = WholePassages.CustomId(Path.GetFileNameWithoutExtension(victim), 1);
        Assert.NotNull(passages.Find(id));

        File.Delete(victim);
        Assert.True(engine.RefreshIfSeedsChanged());
        Assert.Null(passages.Find(id));
    }

    [Fact]
    public async Task Buttons_LabelledInTheAnswersLanguage_AndReadBackAsOurs()
    {
        var answer = await _fx.Handler.AskAsync("딥시크 모델은 오픈소스야?", new QueryContext("test", ""), 5, CancellationToken.None);
        var (customId, label) = Assert.Single(_passages.Buttons(answer));
        Assert.Equal(_passages.Offer(answer)[0].CustomId, customId);
        Assert.Equal(UiText.Korean.WholePassageButton, label);
        Assert.True(WholePassages.IsButtonLabel(UiText.Korean, label));
        Assert.False(WholePassages.IsButtonLabel(UiText.English, label));

        var declined = await _fx.Handler.AskAsync("딥시크 본사 구내식당 점심 메뉴는 뭐야?", new QueryContext("test", ""), 5, CancellationToken.None);
        Assert.Equal(AnswerStatus.NotFound, declined.Status);
        var choices = _passages.Buttons(declined);
        Assert.NotEmpty(choices);
        Assert.Equal(declined.Citations.Take(choices.Count).Select(UiText.Korean.PassageChoice), choices.Select(c => c.Label));
        Assert.All(choices, c => Assert.True(WholePassages.IsButtonLabel(UiText.Korean, c.Label)));
        Assert.False(WholePassages.IsButtonLabel(UiText.Korean, UiText.Korean.MoreSourcesButton));
        Assert.True(WholePassages.IsButtonLabel(UiText.English, UiText.English.PassageChoice(declined.Citations[0])));
    }

    [Fact]
    public void Click_FindsThePassage_OrRefusesInTheButtonsLanguage()
    {
        var article = CorpusLoader.Load(RepoPaths.Seeds).Articles[0];
        var click = _passages.Click(WholePassages.CustomId(article.DocId, 1), Language.English);
        Assert.Null(click.Refusal);
        Assert.Equal(article.Passages[0].Text, click.Found!.Passage.Text);

        Assert.Equal(new PassageClick(null, UiText.English.ButtonExpired), _passages.Click("passage:../etc#1", Language.English));
        Assert.Equal(new PassageClick(null, UiText.Korean.ButtonExpired), _passages.Click(WholePassages.CustomId(article.DocId, article.Passages.Count + 1), Language.Korean));
        Assert.Equal(UiText.Korean.ButtonExpired, new WholePassages(null).Click(WholePassages.CustomId(article.DocId, 1), Language.Korean).Refusal);
    }
}
