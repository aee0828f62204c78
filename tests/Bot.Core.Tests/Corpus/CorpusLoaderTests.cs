using Bot.Core.Corpus;
using Bot.TestSupport;

namespace Bot.Core.Tests.Corpus;

/// <summary>Cleaning and splitting on the real seeds.</summary>
public class CorpusLoaderTests
{
    private static readonly CorpusSnapshot Seeds = CorpusLoader.Load(RepoPaths.Seeds);

    [Fact]
    public void Load_RealSeeds_FiveArticlesWithReadableTitles()
    {
        Assert.Equal(5, Seeds.Articles.Count);
        Assert.All(Seeds.Articles, a =>
        {
            Assert.InRange(a.Title.Length, 5, 100);
            Assert.DoesNotContain("반응형", a.Title, StringComparison.Ordinal);
            Assert.NotEqual(a.DocId, a.Title);
        });
        Assert.Equal("딥시크(DeepSeek) 돌풍, AI 시장 판도 바꿀까? 저비용 고성능 AI의 등장", Seeds.Articles.Single(a => a.DocId.StartsWith("004", StringComparison.Ordinal)).Title);
    }

    [Fact]
    public void Load_RealSeeds_BoilerplateGone_AuthorAndCategoryKept()
    {
        var all = string.Join('\n', Seeds.Articles.Select(a => a.CleanText));
        Assert.DoesNotContain("반응형", all, StringComparison.Ordinal);
        Assert.Contains("'이것저것궁금해요' 카테고리의 다른 글", all, StringComparison.Ordinal); // the category line stays
        Assert.DoesNotContain("스푸트니크", all, StringComparison.Ordinal); // only in the other-posts list
        Assert.DoesNotContain("#인공지능", all, StringComparison.Ordinal);
        Assert.DoesNotContain("키워드:", all, StringComparison.Ordinal);
        Assert.DoesNotContain("[사실적인 이미지", all, StringComparison.Ordinal);
        Assert.Contains("나는 유트립", all, StringComparison.Ordinal); // the author's introduction is content
        Assert.DoesNotContain("**", all, StringComparison.Ordinal);
        Assert.Contains("90% 절감", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Passages_RealSeeds_AboutThreeHundredCharsStableIdsAndLineRanges()
    {
        foreach (var a in Seeds.Articles)
        {
            Assert.NotEmpty(a.Passages);
            for (var i = 0; i < a.Passages.Count; i++)
            {
                var p = a.Passages[i];
                Assert.Equal(i + 1, p.Ordinal);
                Assert.Equal($"{a.DocId}#{i + 1}", p.Id);
                Assert.Equal(a.DocId, p.DocId);
                Assert.InRange(p.Text.Length, 1, PassageSplitter.MaxChars + 80);
                Assert.True(p.FirstLine <= p.LastLine);
                if (i > 0)
                {
                    Assert.True(p.FirstLine >= a.Passages[i - 1].LastLine);
                }
            }

            // Every kept line's text is in some passage (nothing lost in splitting).
            var joined = string.Join(' ', a.Passages.Select(p => p.Text.Replace('\n', ' ')));
            Assert.All(a.Lines, l => Assert.Contains(l.Text.Split(' ')[0], joined, StringComparison.Ordinal));
        }

        var sizes = Seeds.Articles.SelectMany(a => a.Passages).Select(p => p.Text.Length).Order().ToList();
        Assert.InRange(sizes[sizes.Count / 2], 150, 360);
    }

    [Fact]
    public void Load_Twice_SameIdsAndHash()
    {
        var again = CorpusLoader.Load(RepoPaths.Seeds);
        Assert.Equal(Seeds.SeedsHash, again.SeedsHash);
        Assert.Equal(Seeds.Articles.SelectMany(a => a.Passages).Select(p => p.Id), again.Articles.SelectMany(a => a.Passages).Select(p => p.Id));
        Assert.Equal(Seeds.SeedsHash, CorpusLoader.HashSeeds(RepoPaths.Seeds));
    }

    [Fact]
    public void SplitLongLine_CutsOnSentenceEnds()
    {
        var sentence = "딥시크는 새로운 모델을 공개했습니다. ";
        var line = string.Concat(Enumerable.Repeat(sentence, 40)).Trim();
        var parts = PassageSplitter.SplitLongLine(line);
        Assert.True(parts.Count >= 3);
        Assert.All(parts, p =>
        {
            Assert.InRange(p.Length, 1, PassageSplitter.TargetChars);
            Assert.EndsWith("다.", p, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Load_MissingFolder_ClearError()
    {
        var ex = Assert.Throws<CorpusException>(() => CorpusLoader.Load("/nonexistent/seeds"));
        Assert.Contains("Corpus:SeedsPath", ex.Message, StringComparison.Ordinal);
    }
}

public class PassageSplitterTests
{
    [Fact]
    public void Split_ShortIntroLineMovesToTheNextPassage()
    {
        var body = new string('가', 150) + "입니다.";
        var lines = new List<SourceLine>
        {
            new(1, body, false),
            new(2, body, false),
            new(3, "- 수혜 기업", false),
            new(4, "- 애플: " + new string('나', 200) + "입니다.", false),
        };
        var passages = PassageSplitter.Split("d", lines);
        Assert.Equal(2, passages.Count);
        Assert.StartsWith("- 수혜 기업\n- 애플", passages[1].Text, StringComparison.Ordinal);
        Assert.Equal(3, passages[1].FirstLine);
        Assert.Equal(2, passages[0].LastLine);
    }

    [Fact]
    public void Split_TableBeforeListHeadings_StaysOnePassageWithItsHeader()
    {
        // A table (a heading line for its header, short rows) followed by list items that look like headings: each
        // item used to carry the rows before it on, leaving the header alone and then one row per passage.
        var lines = new List<SourceLine>
        {
            new(1, "구분기존 AI 모델 (예: GPT)딥시크-V3", true),
            new(2, "운영 비용 | 높음 (GPU 대량 필요) | 낮음 (최적화된 연산) |", false),
            new(3, "모델 성능 | 고성능 | 동급 성능 유지 |", false),
            new(4, "컴퓨팅 자원 | 고사양 필요 | 저사양에서도 실행 가능 |", false),
            new(5, "✔ 파라미터 최적화 → 연산량 최소화", true),
            new(6, "✔ 모델 경량화 → 적은 메모리 사용", true),
            new(7, "이러한 기술 혁신 덕분에 딥시크는 중요한 무기를 가지게 되었습니다.", false),
        };
        var passages = PassageSplitter.Split("d", lines);
        Assert.Equal(2, passages.Count);
        Assert.Equal((1, 4), (passages[0].FirstLine, passages[0].LastLine));
        Assert.Contains("동급 성능 유지", passages[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("✔ 파라미터 최적화", passages[1].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- 수혜 기업", true)]
    [InlineData("결론", true)]
    [InlineData("딥시크는 중국 기업입니다.", false)]
    [InlineData("정말 놀랍죠", false)]
    public void IsDangling_ShortNonSentence(string line, bool expected) => Assert.Equal(expected, PassageSplitter.IsDangling(line));

    [Fact]
    public void Load_NonUtf8BinaryAndEmptyName_SkippedByNameOthersIndexed()
    {
        using var tmp = RepoPaths.NewTempDir();
        var seeds = tmp.Sub("seeds");
        Directory.CreateDirectory(seeds);
        File.WriteAllText(Path.Combine(seeds, "001_good.txt"), "좋은 글\n딥시크는 중국의 인공지능 회사입니다.\n");
        // "딥시크는 회사" in EUC-KR (CP949): valid Korean, invalid UTF-8
        File.WriteAllBytes(Path.Combine(seeds, "002_euckr.txt"), [0xB5, 0xF6, 0xBD, 0xC3, 0xC5, 0xA9, 0xB4, 0xC2, 0x20, 0xC8, 0xB8, 0xBB, 0xE7]);
        var random = new byte[20_000];
        new Random(14).NextBytes(random);
        File.WriteAllBytes(Path.Combine(seeds, "003_random.txt"), random);
        File.WriteAllText(Path.Combine(seeds, ".txt"), "이름 없는 글\n내용입니다.\n");

        var corpus = CorpusLoader.Load(seeds);

        Assert.Equal(["001_good"], corpus.Articles.Select(a => a.DocId));
        Assert.Equal(3, corpus.Skipped!.Count);
        Assert.Contains(corpus.Skipped, s => s.StartsWith("002_euckr.txt: not UTF-8", StringComparison.Ordinal));
        Assert.Contains(corpus.Skipped, s => s.StartsWith("003_random.txt: ", StringComparison.Ordinal));
        Assert.Contains(corpus.Skipped, s => s.StartsWith(".txt: the file name gives an empty document id", StringComparison.Ordinal));
        Assert.Empty(CorpusLoader.Load(RepoPaths.Seeds).Skipped!);
    }
}
