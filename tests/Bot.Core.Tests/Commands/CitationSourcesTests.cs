using Bot.Core.Commands;
using Bot.Core.Search;
using Bot.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Commands;

/// <summary>Article metadata through a real index to the answer's citations and /source.</summary>
public class CitationSourcesTests
{
    [Fact]
    public void Ask_ArticleWithFrontMatter_CitationCarriesUrlAndDate_PlainArticleDoesNot()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = Directory.CreateDirectory(tmp.Sub("seeds")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Corpus", "Samples", "markdown-post.md"), Path.Combine(seeds, "r1.md"));
        File.WriteAllText(Path.Combine(seeds, "plain.txt"), "엔비디아 주가\n엔비디아 주가가 하루 만에 17% 떨어졌습니다.\n");
        using var sp = EngineFixture.Build(seeds, tmp.Sub("index"));
        var handler = sp.GetRequiredService<QuestionHandler>();

        var r1 = handler.Ask("R1-Zero는 어떻게 훈련했어?", 3);
        var best = Assert.IsType<Bot.Core.Answers.Citation>(r1.Best);
        Assert.Equal("r1", best.DocId);
        Assert.Equal("딥시크 R1, 추론 모델의 새 기준", best.Title);
        Assert.Equal("https://notes.example.org/posts/deepseek-r1", best.Url);
        Assert.Equal(new DateOnly(2025, 1, 30), best.Published);

        var plain = handler.Ask("엔비디아 주가는 얼마나 떨어졌어?", 3);
        Assert.Equal("plain", plain.Best!.DocId);
        Assert.Null(plain.Best.Url);
        Assert.Null(plain.Best.Published);

        var source = handler.Source("r1");
        Assert.Equal("박지민", source.Article!.Metadata.Author);
        Assert.Equal(new DateOnly(2025, 1, 30), source.Article.Metadata.Published);
    }

    [Fact]
    public void EnsureIndex_IndexBuiltByOlderVersion_IsStale()
    {
        var old = new IndexManifest("hash", "ko-bigram-10", 1, 1, "");
        Assert.True(IndexStore.IsStale(old, "hash"));
    }
}
