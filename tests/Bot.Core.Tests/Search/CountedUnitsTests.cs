using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

/// <summary>"How many of what" questions: the unit asked for, whether a passage gives such a number, and what the real
/// engine does with both (ranking the passage that gives the number first; declining when none does).</summary>
public class CountedUnitsTests : IClassFixture<EngineFixture>
{
    private readonly QuestionHandler _handler;

    public CountedUnitsTests(EngineFixture fixture)
    {
        _handler = fixture.Handler;
    }

    [Theory]
    [InlineData("H800 칩은 몇 개야?", "개")]
    [InlineData("그 사람 몇 살이야?", "살")]
    [InlineData("주가가 몇%나 떨어졌어?", "%")]
    [InlineData("컨텍스트는 몇 토큰이야?", "토큰")]
    [InlineData("몇 년도에 세웠어?", "년도")]
    [InlineData("학습에 몇시간 걸렸음", "시간")]
    [InlineData("제일 작은 건 몇 B야?", "B")]
    [InlineData("How many employees does it have?", "명")]
    [InlineData("How many AI researchers graduate each year?", "명")]
    [InlineData("How many GPUs did they train on?", "개")]
    [InlineData("How many times cheaper is R1?", "배")]
    [InlineData("How many hours of GPU time?", "시간")]
    [InlineData("How many H800 GPU hours did the training take?", "시간")] // the unit ends the noun phrase
    [InlineData("How many GPUs did they use in hours?", "개")] // not past the verb
    [InlineData("V3 훈련비 몇만달러 들었어?", "달러")] // a magnitude is part of the number
    [InlineData("몇천억 원 규모야?", "원")]
    [InlineData("How old is the founder?", "살")]
    [InlineData("What percentage did the stock fall?", "%")]
    [InlineData("그 사람 나이 몇이야? 몇 년생?", "년생")] // the bare 몇이야 names no unit
    [InlineData("몇 개 중에 몇 개가 남았어?", "개")] // the same unit twice
    public void AskedUnit_TheUnitAfterMyeot(string question, string unit) =>
        Assert.Equal(unit, CountedUnits.AskedUnit(question));

    [Theory]
    [InlineData("지난 몇 년간 무엇을 지켜봤나요?")] // asks for 무엇
    [InlineData("몇 명이 몇 년 일했어?")] // two different units
    [InlineData("나스닥은 그날 얼마나 빠졌어?")] // a change: a share answers it as well as an amount
    [InlineData("R1 쓰면 비용이 얼마나 덜 들어?")]
    [InlineData("예전 모델보다 비용을 얼마나 아낀 거야?")] // a saving is a change: any conjugation of the verb
    [InlineData("가격을 얼마나 내렸어?")]
    [InlineData("추론 모델 쓰는 값이 오픈AI 것보다 얼마나 싼가요?")] // a comparison in any conjugation: a factor answers it
    [InlineData("How much cheaper is R1 than o1 to run?")]
    [InlineData("How much did the market care?")] // how much, but not of money
    [InlineData("딥시크 앱 미국에서 얼마나 인기 있었어?")]
    [InlineData("몇몇 기업이 투자했어?")] // 몇몇 is "some"
    [InlineData("그 전엔 격차가 얼마나 벌어져 있었는데?")] // 벌어지다 is to widen, not 벌다 to earn
    [InlineData("딥시크는 어떤 회사야?")]
    public void AskedUnit_NullWhenTheQuestionDoesNotAskACount(string question) =>
        Assert.Null(CountedUnits.AskedUnit(question));

    [Theory]
    [InlineData("몇 개야?", "개", true)]
    [InlineData("몇개야?", "몇개야", true)]
    [InlineData("훈련비 몇만달러야?", "몇만달러야", true)] // the magnitude between 몇 and the unit is glued too
    [InlineData("훈련비 몇만 달러야?", "달러야", true)]
    [InlineData("훈련비 몇만 달러야?", "훈련비", false)]
    public void IsUnitWord_TheWordThatCarriesTheUnit(string question, string surface, bool unit) =>
        Assert.Equal(unit, CountedUnits.IsUnitWord(question, CountedUnits.KoreanUnitStart(question), surface));

    [Theory]
    [InlineData("훈련 비용은 얼마야?")]
    [InlineData("량원펑 재산은 얼마야?")]
    [InlineData("완즈는 작년에 매출 얼마 찍었어?")]
    [InlineData("V3 만드는 데 돈 얼마나 들었대?")]
    [InlineData("How much did the training cost?")]
    [InlineData("How much revenue did Wanzhi make in 2024?")]
    public void AskedUnit_HowMuchMoney(string question) =>
        Assert.Equal(CountedUnits.Money, CountedUnits.AskedUnit(question));

    [Theory]
    [InlineData("구형 GPU(H800) 2048개만으로 이루어낸 성과", "개", true)]
    [InlineData("고성능 GPU(H100) 5만 개를 보유", "장", true)] // 장 and 개 count the same things
    [InlineData("량원펑(1985. Liang Wenfeng)으로", "년생", true)] // a bare year answers a year question
    [InlineData("량원펑(1985. Liang Wenfeng)으로", "살", false)]
    [InlineData("엔비디아 주가의 17% 폭락", "퍼센트", true)]
    [InlineData("H800 GPU 2788K 시간 사용", "시간", true)]
    [InlineData("사용 비용이 20~50배 저렴합니다", "배", true)]
    [InlineData("딥시크의 AI Assistant는 앱스토어에서 최고 평점", "개", false)]
    [InlineData("세계적 인기", "개", false)]
    [InlineData("다시 한 번 확인시켜준 셈", "번", true)]
    [InlineData("1,500만 달러의 매출을 기록", CountedUnits.Money, true)]
    [InlineData("개발비는 $5.6M 수준", CountedUnits.Money, true)]
    [InlineData("100억 위안 규모", CountedUnits.Money, true)]
    [InlineData("구형 GPU(H800) 2048개만으로", CountedUnits.Money, false)]
    [InlineData("주가의 17% 폭락", CountedUnits.Money, false)]
    public void Gives_ANumberOfTheUnitOrItsKind(string passage, string unit, bool gives) =>
        Assert.Equal(gives, CountedUnits.Gives(passage, unit));

    [Theory]
    [InlineData("엔비디아 주가는 17% 폭락했습니다. 브로드컴 등 기술주들도 휘청거렸고요.", "%", "브로드컴", false)] // the number is Nvidia's
    [InlineData("엔비디아, 브로드컴 주가가 각각 17%, 9% 폭락했습니다.", "%", "브로드컴", true)]
    [InlineData("완즈라는 플랫폼에 집중하고 있어요. 이 툴은 2024년 1,500만 달러 매출을 기록했어요.", CountedUnits.Money, "완즈", true)] // refers back
    [InlineData("완즈라는 플랫폼에 집중하고 있어요. 다른 기업들은 2024년 1,500만 달러 매출을 기록했어요.", CountedUnits.Money, "완즈", false)]
    [InlineData("딥시크는 2048개의 GPU를 썼다. 앱은 앱스토어 1위.", "개", "앱", false)]
    [InlineData("2048개의 GPU를 썼다. 1,500만 달러 매출을 기록한 완즈.", CountedUnits.Money, "완즈", true)] // a number after its topic in the sentence
    [InlineData("알파벳, 브로드컴 등 기술주들도 휘청거렸고, 나스닥 종합지수는 3% 하락했습니다.", "%", "브로드컴", false)] // another clause
    [InlineData("2. 하이-플라이어(High-Flyer)\n- 2023년 연구 그룹을 구성했습니다.", "년", "하이-플라이어", true)] // under its heading
    [InlineData("하이-플라이어는 헤지펀드입니다.\n- 2023년 연구 그룹을 구성했습니다.", "년", "하이-플라이어", false)] // a sentence, no heading
    [InlineData("리카이푸 대표는 이런 얘기를 했어요.\n“이전에는 6~9개월 정도 격차가 있었습니다.”", "개월", "리카이푸", true)] // his quoted words
    [InlineData("리카이푸 대표는 이런 얘기를 했어요.\n다른 기업들은 6~9개월 정도 격차가 있었습니다.", "개월", "리카이푸", false)] // one end, no quote
    [InlineData("리카이푸 대표가 말했어요. 그 뒤에 기자가 물었어요.\n“6~9개월 정도 격차가 있었나요?”", "개월", "리카이푸", false)] // two sentences back
    public void Gives_AboutTheTopic_OnlyInASentenceThatNamesIt(string passage, string unit, string topic, bool gives)
    {
        var spans = new List<(int, int)>();
        for (var at = passage.IndexOf(topic, StringComparison.Ordinal); at >= 0; at = passage.IndexOf(topic, at + 1, StringComparison.Ordinal))
        {
            spans.Add((at, at + topic.Length));
        }

        Assert.True(CountedUnits.Gives(passage, unit)); // each passage does give such a number somewhere
        Assert.Equal(gives, CountedUnits.Gives(passage, unit, [spans]));
    }

    [Fact]
    public void Ask_CountOfSomethingNoPassageCounts_DeclinesAndSaysWhichUnit()
    {
        var answer = _handler.Ask("량원펑은 올해 몇 살이야?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Equal(DeclineCause.NoCount, answer.Decline!.Cause);
        Assert.Contains("'살'", answer.Decline.Message, StringComparison.Ordinal);
        Assert.NotEmpty(answer.Citations); // the closest passages stay on offer
    }

    [Fact]
    public void Ask_AmountOfMoneyNoPassageGives_DeclinesAndSaysSo()
    {
        // The articles introduce 량원펑 (his birth year, his fund) but give no sum of his money.
        var answer = _handler.Ask("량원펑 재산은 얼마야?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Equal(DeclineCause.NoCount, answer.Decline!.Cause);
        Assert.Contains("금액", answer.Decline.Message, StringComparison.Ordinal);
        Assert.NotEmpty(answer.Citations);

        var english = _handler.Ask("How much is Liang Wenfeng worth?", 3);
        Assert.Equal(AnswerStatus.NotFound, english.Status);
        Assert.Contains("amount of money", english.Decline!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("완즈는 작년에 매출 얼마 찍었어?", "달러")]
    // 회사 only says what Nvidia is; the sentence with the sum names 시가총액, not 회사
    [InlineData("엔비디아 회사 몸값이 하루에 얼마나 날아갔어?", "달러")]
    // 돌려서 is a verb the glossary resolves (돌리), not a noun of the topic 훈련비: 시간, GPU and H800 need not stand by the sum
    [InlineData("H800 2,788K GPU시간 돌려서 훈련비는 얼마 나왔어?", "557.6만 달러")]
    // "구형 GPU(H800) 2048개만으로 이루어낸 성과": 딥시크, the articles' own subject, is named only in the sentence before
    [InlineData("딥시크는 구형 GPU 몇 개만으로 모델 개발 성과를 이루어냈나요?", "2048개")]
    public void Ask_ANumberTheArticlesGiveAboutTheTopic_IsAnswered(string question, string number)
    {
        var answer = _handler.Ask(question, 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Contains(number, answer.Best!.Snippet.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_PercentOfACompanyTheArticlesOnlyList_Declines_WhileTheOnesTheyGiveAreAnswered()
    {
        // The passage gives Nvidia's 17% and the Nasdaq's 3%; Broadcom is only listed among the stocks that wobbled.
        var broadcom = _handler.Ask("브로드컴 주가는 몇 퍼센트 빠졌어?", 3);
        Assert.Equal(AnswerStatus.NotFound, broadcom.Status);
        Assert.Equal(DeclineCause.NoCount, broadcom.Decline!.Cause);

        Assert.Equal(AnswerStatus.Answered, _handler.Ask("엔비디아 주가는 몇 % 폭락했어?", 3).Status);
        Assert.Equal(AnswerStatus.Answered, _handler.Ask("나스닥 지수는 몇 % 하락했어?", 3).Status);
    }

    [Fact]
    public void Ask_TheMoneyNounNeedNotBeNextToTheSum_ButMustBeInThePassage()
    {
        // "DeepSeek-V3는 약 600만 달러 미만의 …로 훈련": the line before speaks of 비용; the sum's sentence names only V3.
        var cost = _handler.Ask("딥시크 V3 훈련 비용은 얼마였어?", 3);
        Assert.Equal(AnswerStatus.Answered, cost.Status);
        Assert.Contains("달러", cost.Best!.Snippet.Text, StringComparison.Ordinal);

        // Wanzhi's revenue is given, its price is not: 가격 is in no passage about Wanzhi that gives a sum.
        Assert.Equal(AnswerStatus.Answered, _handler.Ask("완즈 매출은 얼마야?", 3).Status);
        var price = _handler.Ask("완즈 가격은 얼마야?", 3);
        Assert.Equal(AnswerStatus.NotFound, price.Status);
        Assert.Equal(DeclineCause.NoCount, price.Decline!.Cause);

        // The same without a particle: the noun of money need not be the topic to be required in the passage.
        var bare = _handler.Ask("완즈 가격 얼마야?", 3);
        Assert.Equal(AnswerStatus.NotFound, bare.Status);
        Assert.Equal(DeclineCause.NoCount, bare.Decline!.Cause);
        Assert.Equal(AnswerStatus.Answered, _handler.Ask("완즈 매출 얼마야?", 3).Status);
    }

    [Fact]
    public void Ask_TheNounAQuestionWordAsksAbout_MustStandByTheSum()
    {
        // The articles price no API token; their sums are training costs. "토큰당 가격" is what 얼마 asks about (a focus
        // word, not the topic), so a sum elsewhere in the passage does not answer it.
        var token = _handler.Ask("딥시크 API 토큰당 가격 얼마야?", 3);
        Assert.Equal(AnswerStatus.NotFound, token.Status);
        Assert.Equal(DeclineCause.NoCount, token.Decline!.Cause);
        Assert.Equal(AnswerStatus.Answered, _handler.Ask("딥시크 V3 훈련 비용 얼마야?", 3).Status);
    }

    [Fact]
    public void Ask_GpuHoursInEnglish_AreAnsweredByTheHoursTheArticleGives()
    {
        var hours = _handler.Ask("How many H800 GPU hours did the DeepSeek training take?", 3);
        Assert.Equal(AnswerStatus.Answered, hours.Status);
        Assert.Contains("2,788K 시간", hours.Best!.Snippet.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_TheUnitWordNoArticleContains_DoesNotCountAsMissing()
    {
        // "년생" is in no article; it says a year answers, and "량원펑(1985." gives one.
        var (answer, result) = _handler.AskWithEvidence("량원펑은 몇 년생이야?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        var unit = result!.Evidence.Words.Single(w => w.Word == "년생");
        Assert.True(unit.Predicate);
        Assert.DoesNotContain("년생", result.Evidence.MissingWords);
        Assert.Contains("1985", answer.Best!.Snippet.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_NounNamingOnlyTheKindOfNumber_IsNotMissingInACountingQuestion()
    {
        // "나이" is in no article; in a counting question it names what the number is, which the year stands for. Outside
        // one it is content like any other word.
        var (answer, result) = _handler.AskWithEvidence("량원펑 나이 몇이야? 몇 년생이야?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.DoesNotContain("나이", result!.Evidence.MissingWords);
        Assert.Contains("1985", answer.Best!.Snippet.Text, StringComparison.Ordinal);
        var (_, plain) = _handler.AskWithEvidence("량원펑 나이 알려줘", 3);
        Assert.Contains("나이", plain!.Evidence.MissingWords);
    }

    [Fact]
    public void Ask_CountQuestion_ThePassageGivingTheNumberComesFirst()
    {
        // The passage about H100s that scores best says nothing of how many; the one that says "5만 개" moves ahead of it.
        var (answer, result) = _handler.AskWithEvidence("딥시크는 H100 몇 장 가지고 있대?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Equal("장", result!.Plan.CountedUnit);
        Assert.True(CountedUnits.Gives(result.Hits[0].Text, "장"));
        Assert.False(CountedUnits.Gives(result.Hits[1].Text, "장"));
        Assert.True(result.Hits[0].Score < result.Hits[1].Score);
        Assert.Contains("5만 개", answer.Best!.Snippet.Text, StringComparison.Ordinal);
    }
}
