using Bot.Core.Corpus;
using Bot.TestSupport;

namespace Bot.Core.Tests.Corpus;

/// <summary>Front matter, Markdown and HTML articles, on real-looking files (Corpus/Samples).</summary>
public class ArticleFormatsTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Corpus", "Samples", name);

    private static Article Load(string name) =>
        CorpusLoader.Parse(Path.GetFileNameWithoutExtension(name), File.ReadAllBytes(Sample(name)), Path.GetExtension(name));

    [Fact]
    public void Parse_HtmlBlogPage_MainTextOnly_FurnitureDropped()
    {
        var article = Load("blog-page.html");
        var text = article.CleanText;

        Assert.Contains("엔비디아 주가가 하루 만에 17% 떨어졌습니다.", text, StringComparison.Ordinal); // a paragraph over two source lines
        Assert.Contains("- 시가총액 약 5,890억 달러 증발", text, StringComparison.Ordinal);
        Assert.Contains("엔비디아 | 17%", text, StringComparison.Ordinal);
        Assert.Contains("특히 H100 같은 최신 칩의 판매 전망이 흔들렸습니다.", text, StringComparison.Ordinal); // <br> ends a line
        foreach (var furniture in new[] { "홈", "소개", "검색", "공유", "광고 문의", "댓글", "좋은 글", "인기 글", "HBM", "뉴스레터", "All rights", "개인정보", "gtag", "font-family", "태그:" })
        {
            Assert.DoesNotContain(furniture, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parse_HtmlBlogPage_MetadataFromHead()
    {
        var article = Load("blog-page.html");

        Assert.Equal("엔비디아 주가와 딥시크 쇼크", article.Title); // the site name (og:site_name) cut off
        Assert.Equal("https://technote.example.com/2025/01/nvidia-deepseek-shock", article.Metadata.Url);
        Assert.Equal("김하늘", article.Metadata.Author);
        Assert.Equal(new DateOnly(2025, 1, 28), article.Metadata.Published);
    }

    [Fact]
    public void Parse_HtmlBlogPage_HeadingsStartPassages_LineNumbersFromTheFile()
    {
        var article = Load("blog-page.html");
        var raw = File.ReadAllLines(Sample("blog-page.html"));

        var heading = Assert.Single(article.Lines, l => l.Text == "왜 주가가 떨어졌나");
        Assert.True(heading.IsHeading);
        Assert.Contains("왜 주가가 떨어졌나", raw[heading.Number - 1], StringComparison.Ordinal);
        Assert.Contains(article.Passages, p => p.Heading == "전망" && p.Text.StartsWith("전망", StringComparison.Ordinal));
        Assert.All(article.Lines, l => Assert.InRange(l.Number, 1, raw.Length));
    }

    [Theory]
    [InlineData("<html><head><title>T</title></head><body><p>본문입니다.</p><p><time datetime=\"2024-03-05T10:00:00Z\">3월 5일</time></p></body></html>", 2024, 3, 5)]
    [InlineData("<html><head><script type=\"application/ld+json\">[{\"@type\":\"WebPage\"},{\"@type\":\"Article\",\"datePublished\":\"2023-11-02\"}]</script></head><body><p>본문.</p></body></html>", 2023, 11, 2)]
    public void Parse_HtmlDateFromTimeOrJsonLd(string html, int y, int m, int d)
    {
        var article = CorpusLoader.Parse("p", System.Text.Encoding.UTF8.GetBytes(html), ".html");
        Assert.Equal(new DateOnly(y, m, d), article.Metadata.Published);
    }

    [Fact]
    public void Parse_HtmlWithoutMetadata_TitleFromText_NoLink()
    {
        var article = CorpusLoader.Parse("p", "<p>첫 문단입니다. 둘째 문장.</p><script>var x = 1;</script><a href=\"rel/link\">링크</a>"u8.ToArray(), ".html");
        Assert.Null(article.Metadata.Url);
        Assert.Null(article.Metadata.Published);
        Assert.Equal("첫 문단입니다.", article.Title);
        Assert.DoesNotContain("var x", article.CleanText, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MarkdownPost_FrontMatterAndStructure()
    {
        var article = Load("markdown-post.md");
        var raw = File.ReadAllLines(Sample("markdown-post.md"));

        Assert.Equal("딥시크 R1, 추론 모델의 새 기준", article.Title);
        Assert.Equal("https://notes.example.org/posts/deepseek-r1", article.Metadata.Url);
        Assert.Equal("박지민", article.Metadata.Author);
        Assert.Equal(new DateOnly(2025, 1, 30), article.Metadata.Published);

        var text = article.CleanText;
        Assert.DoesNotContain("tags", text, StringComparison.Ordinal);
        Assert.DoesNotContain("**", text, StringComparison.Ordinal);
        Assert.DoesNotContain("](", text, StringComparison.Ordinal);
        Assert.DoesNotContain("r1.png", text, StringComparison.Ordinal);
        Assert.Contains("공식 발표에 따르면", text, StringComparison.Ordinal); // link text kept, soft break joined
        Assert.Contains("- 지도학습 없이 강화학습만으로 시작한 R1-Zero", text, StringComparison.Ordinal);
        Assert.Contains("R1-Zero | 순수 강화학습", text, StringComparison.Ordinal);
        Assert.Contains("공개된 가중치 덕분에", text, StringComparison.Ordinal);

        var headings = article.Lines.Where(l => l.IsHeading).Select(l => l.Text).ToList();
        Assert.Equal(["딥시크 R1 살펴보기", "훈련 방식", "의미", "결론"], headings);
        Assert.All(article.Lines, l => Assert.Contains(l.Text.TrimStart('-', ' ').Split(' ')[0], raw[l.Number - 1], StringComparison.Ordinal));
        Assert.Contains(article.Passages, p => p.Heading == "의미" && p.Text.StartsWith("의미", StringComparison.Ordinal));
        Assert.Contains(article.Passages, p => p.Heading == "훈련 방식");
    }

    [Fact]
    public void Parse_TextWithFrontMatter_MetadataRead_LinesKeepTheirNumbers()
    {
        var text = "---\ntitle: 제목\nurl: https://example.com/a\npublished: 2025-02-01T09:00:00+09:00\n---\n첫 문장입니다.\n둘째 문장입니다.";
        var article = CorpusLoader.Parse("a", System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Equal("제목", article.Title);
        Assert.Equal("https://example.com/a", article.Metadata.Url);
        Assert.Equal(new DateOnly(2025, 2, 1), article.Metadata.Published);
        Assert.Equal([6, 7], article.Lines.Select(l => l.Number));
    }

    [Theory]
    [InlineData("---\n구분선 다음의 본문입니다.\n---\n끝.")] // not a YAML mapping
    [InlineData("---\ntitle: [열린 괄호\n---\n본문입니다.")] // broken YAML
    [InlineData("---\n본문입니다.")] // never closed
    public void Parse_DashesThatAreNotFrontMatter_StayText(string text)
    {
        var article = CorpusLoader.Parse("a", System.Text.Encoding.UTF8.GetBytes(text));
        Assert.True(article.Metadata.IsEmpty);
        Assert.Contains("본문입니다", article.CleanText, StringComparison.Ordinal);
    }

    [Fact]
    public void FrontMatter_RelativeOrOddUrl_NoLink_BadDate_NoDate()
    {
        var meta = FrontMatter.Parse("url: javascript:alert(1)\npublished: someday\nauthor: 이름");
        Assert.NotNull(meta);
        Assert.Null(meta.Url);
        Assert.Null(meta.Published);
        Assert.Equal("이름", meta.Author);
    }

    [Fact]
    public void Load_MixedFormats_SameStemKeepsTxt_OthersLoaded_BadFileSkippedByName()
    {
        using var dir = RepoPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir.Path, "a.txt"), "텍스트 판입니다.\n");
        File.WriteAllText(Path.Combine(dir.Path, "a.md"), "# 마크다운 판\n\n본문.\n");
        File.Copy(Sample("blog-page.html"), Path.Combine(dir.Path, "b.html"));
        File.Copy(Sample("markdown-post.md"), Path.Combine(dir.Path, "c.md"));
        File.WriteAllBytes(Path.Combine(dir.Path, "d.html"), [0x3C, 0x70, 0x3E, 0xC3, 0x28, 0x3C]); // not UTF-8
        File.WriteAllText(Path.Combine(dir.Path, "notes.docx"), "ignored");

        var corpus = CorpusLoader.Load(dir.Path);

        Assert.Equal(["a", "b", "c"], corpus.Articles.Select(a => a.DocId));
        Assert.Contains("텍스트 판", corpus.Articles[0].CleanText, StringComparison.Ordinal);
        Assert.Contains(corpus.Skipped!, s => s.StartsWith("a.md: ", StringComparison.Ordinal) && s.Contains("a.txt", StringComparison.Ordinal));
        Assert.Contains(corpus.Skipped!, s => s.StartsWith("d.html: ", StringComparison.Ordinal) && s.Contains("UTF-8", StringComparison.Ordinal));
        Assert.Equal(2, corpus.Skipped!.Count);
    }

    [Fact]
    public void HashSeeds_TextFileByItsStemAndContentHash_RenamingToMarkdownChangesIt()
    {
        using var dir = RepoPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir.Path, "a.txt"), "본문.");
        var before = CorpusLoader.HashSeeds(dir.Path);
        static string Sha(string s) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));
        Assert.Equal(Sha("a\0" + Sha("본문.") + "\n"), before); // computable from the seed-file table without reading the files
        Assert.Equal(before, CorpusLoader.Load(dir.Path).SeedsHash);

        File.Move(Path.Combine(dir.Path, "a.txt"), Path.Combine(dir.Path, "a.md"));
        Assert.NotEqual(before, CorpusLoader.HashSeeds(dir.Path));
    }

    [Fact]
    public void Load_RealSeeds_NoMetadata()
    {
        var corpus = CorpusLoader.Load(RepoPaths.Seeds);
        Assert.All(corpus.Articles, a => Assert.True(a.Metadata.IsEmpty));
    }
}
