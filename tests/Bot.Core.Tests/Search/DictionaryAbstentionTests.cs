using Bot.Core.Answers;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

/// <summary>
/// What the Korean dictionary changes in an answer, on the real index: the same question with the fetched dictionary
/// (the fixture's engine) and with none (an engine pointed at a missing file, which must still answer).
/// </summary>
public sealed class DictionaryAbstentionTests(EngineFixture fixture) : WithAndWithoutTests(fixture, "Retrieval:DictionaryPath")
{
    private static void SkipWithoutDictionary() =>
        Skip.IfNot(File.Exists(KoreanDictionary.DefaultPath), $"no {KoreanDictionary.DefaultPath}: the build could not fetch npm's dictionary-ko");

    [SkippableFact]
    public void HangulWordTheDictionaryDoesNotKnow_InNoArticle_Declines()
    {
        SkipWithoutDictionary();
        const string question = "딥시크 모델을 쿠버네티스에 올리려면?";
        var answer = With.Ask(question, 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Contains("쿠버네티스", answer.Decline!.MissingWords);
        Assert.Equal(AnswerStatus.Answered, Without.Ask(question, 3).Status); // without a dictionary, just a rare word
    }

    [SkippableTheory]
    [InlineData("딥시크 R1 성능이 오픈AI보다 나쁜 편이야?", "나쁜")] // a conjugated adjective
    [InlineData("잘 풀리면 스타트업들한테도 좋다는 얘기 있었잖아 뭐라 했더라", "좋다")] // quoted: -다는 ends like a topic particle
    [InlineData("글쓴이가 친구랑 수다 떨다가 무슨 얘기가 나왔다고?", "떨다")] // the connective -다가 ends like a subject particle
    [InlineData("딥시크는 오픈AI나 구글이랑 노선이 어떻게 달라? 자기들끼리 꽁꽁 싸매는 거 말고~", "싸매")] // a verb's adnominal -는 ends like a topic particle
    public void PredicateInNoArticle_WeighsAsAPredicate_NotAsAMissingWord(string question, string word)
    {
        SkipWithoutDictionary();
        var (answer, result) = With.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == word && !w.InCorpus && w.Predicate);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        var (_, without) = Without.AskWithEvidence(question, 3);
        Assert.Contains(without!.Evidence.Words, w => w.Word == word && !w.InCorpus && !w.Predicate);
    }

    [SkippableFact]
    public void NounTheDictionaryKnows_IsNotRespeltAsATypo()
    {
        SkipWithoutDictionary();
        // 지출 (spending) is in no article; read as a typo it would borrow the forms of an article word one syllable away
        const string question = "가트너는 생성형 AI 지출 규모를 얼마로 예측했어?";
        var (answer, result) = With.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "지출" && !w.InCorpus && w.Forms.Count == 1);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        var (_, without) = Without.AskWithEvidence(question, 3);
        Assert.Contains(without!.Evidence.Words, w => w.Word == "지출" && w.Forms.Count > 1);
    }

    [SkippableFact]
    public void MissingTopicTheDictionaryKnows_InAWellCoveredQuestion_DoesNotVeto()
    {
        SkipWithoutDictionary();
        // 트래픽 is in no article, but the passage on Microsoft noticing suspicious API use covers the rest of the question
        const string question = "마이크로소프트는 수상한 API 트래픽을 언제 알아챘어?";
        var (answer, result) = With.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "트래픽" && !w.InCorpus);
        Assert.False(result.Evidence.Signals!.MissingTopic);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Equal(AnswerStatus.NotFound, Without.Ask(question, 3).Status); // without the dictionary: a missing topic
        // a topic the dictionary knows, in a question the articles cover poorly, still vetoes
        Assert.Equal(AnswerStatus.NotFound, With.Ask("딥시크 직원들 연봉은 얼마야?", 3).Status);
    }

    [SkippableFact]
    public void LoanwordEndingInEoWithAParticle_IsContent()
    {
        SkipWithoutDictionary();
        // 하이플라이어가: -어 ends like a verb's connective and 가 may continue one (살아가), but the dictionary reads no verb here
        const string question = "하이플라이어가 굴린다는 칩 묶음 몇 개짜리임";
        var (_, result) = With.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "하이플라이어" && w.InCorpus && !w.Predicate);
        var (_, without) = Without.AskWithEvidence(question, 3);
        Assert.Contains(without!.Evidence.Words, w => w.Word == "하이플라이어" && w.Predicate);
    }

    [SkippableFact]
    public void CompoundVerbBeforeAParticleLikeEnding_IsNoMissingTopic()
    {
        SkipWithoutDictionary();
        // 굴러가는: 구르다 + 가다 with the adnominal -는, which ends like a topic particle
        var (_, result) = With.AskWithEvidence("딥시크가 노리는 게 사람보다 똑똑하게 알아서 굴러가는 그런 거임?", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "굴러가" && w.Predicate);
        Assert.False(result.Evidence.Signals!.MissingTopic);
    }

    [SkippableFact]
    public void VerbTheAnalysisReadAsANounAndParticle_WeighsAsAPredicate()
    {
        SkipWithoutDictionary();
        // 모자란 (short of) was read as the noun 모자 (hat) with the particle 란, and vetoed as the missing topic
        const string question = "칩이 모자란 상황에서 딥시크가 들고 나온 무기는?";
        var (_, result) = With.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "모자" && w.Predicate);
        Assert.False(result.Evidence.Signals!.MissingTopic);
        var (_, without) = Without.AskWithEvidence(question, 3);
        Assert.Contains(without!.Evidence.Words, w => w.Word == "모자" && !w.Predicate);
    }

    [SkippableFact]
    public void KnownWordsWrittenTogether_DoNotDecline()
    {
        SkipWithoutDictionary();
        var answer = With.Ask("딥시크 창업자누구야", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
    }
}
