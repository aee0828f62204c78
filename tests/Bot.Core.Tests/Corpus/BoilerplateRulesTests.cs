using Bot.Core.Corpus;

namespace Bot.Core.Tests.Corpus;

public class BoilerplateRulesTests
{
    [Theory]
    [InlineData("반응형", "widget")]
    [InlineData("  공유하기 ", "widget")]
    [InlineData("—", "separator")]
    [InlineData("---|---|", "separator")]
    [InlineData("크림 전쟁(1853~1856) : 유럽 열강의 충돌과 변화의 시작 (0) | 2025.01.29 |", "post-list row")]
    [InlineData("[사실적인 이미지: 딥시크 AI 모델과 기술 혁신을 상징하는 데이터 흐름 이미지]", "image placeholder")]
    [InlineData("#인공지능 #AI시장 #DeepSeek #01AI", "hashtags")]
    [InlineData("✍ 키워드: AI 격차, DeepSeek, 01.AI", "keywords")]
    [InlineData("Tags: ai, chips", "keywords")]
    [InlineData("👉 이 글이 유익했다면 공유하고 댓글로 생각 나눠주세요 🙌", "call to action")]
    public void DropReason_Boilerplate_IsDropped(string line, string rule) =>
        Assert.Equal(rule, BoilerplateRules.DropReason(line));

    [Theory]
    [InlineData("딥시크-V3는 AI 모델 최적화 기술을 활용하여 기존 AI 모델보다 운영 비용을 90% 절감하면서도 뛰어난 성능을 제공합니다.")]
    [InlineData("- 오픈AI·구글과 차별화된 접근 방식 → 독점 아닌 공유 중심의 AI 발전")]
    [InlineData("🔥 [요약 체크리스트]")]
    [InlineData("운영 비용 | 높음 (GPU 대량 필요) | 낮음 (최적화된 연산) |")]
    [InlineData("#1 스타트업의 전략")]
    public void DropReason_Content_IsKept(string line) => Assert.Null(BoilerplateRules.DropReason(line));

    [Theory]
    [InlineData("'이것저것궁금해요' 카테고리의 다른 글", true)]
    [InlineData("Related posts", true)]
    [InlineData("다른 카테고리의 글을 보면 알 수 있습니다.", false)]
    public void IsTrailerStart_Detects(string line, bool expected) => Assert.Equal(expected, BoilerplateRules.IsTrailerStart(line));

    [Fact]
    public void CleanLines_TrailerListAndDuplicates_Removed_CategoryKept()
    {
        var text = "제목 줄\n\n제목 줄\n본문 첫 문장입니다.\n반응형\n'잡담' 카테고리의 다른 글\n다른 글 제목 (0) | 2025.01.29 |\n뒤에 오는 줄\n";
        var lines = CorpusLoader.CleanLines(text);
        Assert.Equal(["제목 줄", "본문 첫 문장입니다.", "'잡담' 카테고리의 다른 글"], lines.Select(l => l.Text));
        Assert.Equal([1, 4, 6], lines.Select(l => l.Number));
    }

    [Fact]
    public void CleanLines_AuthorIntroduction_IsKept()
    {
        // The writer's self-introduction answers questions about the author, so it is content, not furniture.
        var intro = "안녕! 나는 민지, 이 블로그를 운영하는 개발자야!";
        var lines = CorpusLoader.CleanLines($"첫 문장입니다.\n{intro}").Select(l => l.Text).ToList();
        Assert.Equal(["첫 문장입니다.", intro], lines);
    }
}
