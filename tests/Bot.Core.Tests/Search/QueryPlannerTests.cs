using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class QueryPlannerTests
{
    private static readonly QueryPlanner Planner = Create();

    private static QueryPlanner Create()
    {
        var (map, single) = SynonymLoader.LoadWithIndex();
        return new QueryPlanner(new KoreanQueryAnalyzer(map, single));
    }

    [Fact]
    public void Plan_StopwordsDroppedSynonymsAttachedToTheirWord()
    {
        var plan = Planner.Plan("엔비디아 주가는 얼마나 떨어졌나요?");
        Assert.Contains("얼마", plan.Stopped); // "얼마나" after particle stripping
        var nvidia = plan.Groups.Single(g => g.Surface == "엔비디아");
        Assert.Contains(nvidia.Forms, f => f.Text == "nvidia" && f.IsSynonym);
        Assert.True(plan.Cues.HasFlag(QuestionCue.Amount));
        Assert.DoesNotContain(plan.Groups, g => g.Forms.Any(f => f.Text == "nvidia") && g.Surface != "엔비디아");
    }

    [Fact]
    public void Plan_ACapitalOpeningAKoreanQuestionMarksAName_OneOpeningAnEnglishSentenceDoesNot()
    {
        Assert.True(Planner.Plan("Qwen이랑 딥시크 중에 코딩은 뭐가 나음?").Groups.Single(g => g.Surface == "Qwen").Name);
        Assert.False(Planner.Plan("Distillation in simple words?").Groups.Single(g => g.Surface == "Distillation").Name);
    }

    [Fact]
    public void Plan_AGlossaryPhraseEndingInANoun_IsContentThoughItOpensWithAVerb()
    {
        // "덕 보는 회사" (a glossary phrase for 수혜 기업) opens with the one-syllable 덕 but is headed by 회사
        var phrase = Planner.Plan("딥시크 땜에 오히려 덕 보는 회사 어디라고 봐?").Groups.Single(g => g.Forms.Any(f => f.Text == "수혜 기업"));
        Assert.Equal("덕 보는 회사", phrase.Surface);
        Assert.False(phrase.Predicate);
    }

    [Fact]
    public void Plan_EnglishPrepositionsThatFrameTheQuestion_AreStopwords()
    {
        // "despite" and "given" would otherwise weigh as much as the rare Korean words the glossary gives them (불구)
        var plan = Planner.Plan("Why did Nvidia recover despite the sell-off, given the export ban?");
        Assert.Contains("despit", plan.Stopped);
        Assert.Contains("given", plan.Stopped);
        Assert.DoesNotContain(plan.Groups, g => g.Surface is "despite" or "given");
        Assert.Contains(plan.Groups, g => g.Surface == "Nvidia");
    }

    [Fact]
    public void Plan_BareJamoShorthandIsDropped()
    {
        var plan = Planner.Plan("ㄹㅇ 딥시크 본사 어디야 ㅋㅋ");
        Assert.Contains("ㅋㅋ", plan.Stopped);
        Assert.Contains("ㄹㅇ", plan.Stopped);
        Assert.DoesNotContain(plan.Groups, g => g.Surface.Contains('ㅋ', StringComparison.Ordinal) || g.Surface.Contains('ㄹ', StringComparison.Ordinal));
        Assert.Contains(plan.Groups, g => g.Surface == "본사");
    }

    [Fact]
    public void Plan_MultiWordEntryFoldsIntoOneGroup()
    {
        var plan = Planner.Plan("What is a large language model?");
        var group = Assert.Single(plan.Groups);
        Assert.Equal("larg languag model", group.Forms[0].Text); // stemmed like the index
        Assert.Contains(group.Forms, f => f.Text == "llm");
    }

    [Fact]
    public void Plan_EntryWrittenWithAnArticle_StillGivesTheWordItsSynonyms()
    {
        // "the author" is a glossary entry; the article is dropped from questions, and the entry must not swallow the word
        var author = Planner.Plan("Does the author have startup experience?").Groups.Single(g => g.Surface == "author");
        Assert.Contains(author.Forms, f => f.IsSynonym && f.Text == "저는");
    }

    [Fact]
    public void Plan_UntranslatedEnglishNounAfterADeterminer_KeepsItsWeight_AVerbDoesNot()
    {
        var plan = Planner.Plan("What is the context window of DeepSeek V3?");
        Assert.False(plan.Groups.Single(g => g.Surface == "context").Predicate);
        Assert.False(plan.Groups.Single(g => g.Surface == "window").Predicate); // the second word of the noun, before "of"
        Assert.False(Planner.Plan("Does DeepSeek have an office in Korea?").Groups.Single(g => g.Surface == "office").Predicate);
        Assert.False(Planner.Plan("What license is DeepSeek V3 released under?").Groups.Single(g => g.Surface == "license").Predicate); // what + noun + auxiliary

        // a verb or a modifier after the noun phrase stays low-weight
        Assert.True(Planner.Plan("What ethical problems does the post list?").Groups.Single(g => g.Surface == "list").Predicate);
        Assert.True(Planner.Plan("Does the author have startup experience of their own?").Groups.Single(g => g.Surface == "own").Predicate);
    }

    [Theory]
    [InlineData("이탈리아는", true)] // a place name before a topic particle
    [InlineData("소프트웨어를", true)]
    [InlineData("미디어의", true)]
    [InlineData("떨어져도", false)] // a verb's "-어도"
    [InlineData("살아가", false)] // "-아가" continues a verb
    [InlineData("이탈리아", false)] // no particle: nothing to tell
    public void WordEndingLikeAVerbConnective_IsANounBeforeACaseParticle(string text, bool noun) =>
        Assert.Equal(noun, KoreanWords.IsNounBeforeCaseParticle(text, KoreanWords.Split(text)[0]));

    [Fact]
    public void Plan_PlaceNameEndingIn아_IsTheMissingTopic()
    {
        var italy = Planner.Plan("이탈리아는 딥시크 앱을 차단했어?").Groups.Single(g => g.Surface == "이탈리아");
        Assert.False(italy.Predicate);
        Assert.True(italy.Topic);
    }

    [Fact]
    public void Plan_AcronymSpellingAStopword_IsKept_ThePronounIsNot()
    {
        var us = Planner.Plan("How big is the gap between China and the US?").Groups.Single(g => g.Surface == "US");
        Assert.Contains(us.Forms, f => f.Text == "미국");
        Assert.DoesNotContain(Planner.Plan("Can you tell us about DeepSeek?").Groups, g => g.Surface.Equals("us", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Planner.Plan("TELL US ABOUT DEEPSEEK").Groups, g => g.Surface == "US"); // all capitals: no acronym to tell
    }

    [Fact]
    public void Plan_MultiWordSynonymStaysOneAlternative()
    {
        var plan = Planner.Plan("GPU 부족");
        var gpu = plan.Groups.Single(g => g.Surface == "GPU");
        Assert.Contains(gpu.Forms, f => f.Text == "그래픽 처리 장치");
        Assert.Equal(2, plan.Groups.Count);
    }

    [Fact]
    public void Plan_ConjugatedWordBorrowsPrefixSynonyms()
    {
        var (map, single) = SynonymLoader.LoadWithIndex();
        var plan = new QueryPlanner(new KoreanQueryAnalyzer(map, single), stems: false).Plan("GPU 모자라서 고생하던 나라");
        var short1 = plan.Groups.Single(g => g.Surface == "모자라서");
        Assert.Contains(short1.Forms, f => f.Text == "부족");
        Assert.True(short1.Predicate);
        var hard = plan.Groups.Single(g => g.Surface == "고생하던");
        Assert.Contains(hard.Forms, f => f.Text == "어려움");
    }

    [Fact]
    public void Plan_NameThatStartsLikeAWordBorrowsNothing()
    {
        // "이탈" (leaving) is a glossary key; "이탈리아" is a country, and "리아" is no ending: no borrowed synonyms.
        var (map, single) = SynonymLoader.LoadWithIndex();
        Assert.True(single.ContainsKey("이탈"));
        var plan = new QueryPlanner(new KoreanQueryAnalyzer(map, single), stems: false).Plan("이탈리아는 딥시크 앱을 차단했어?");
        var italy = plan.Groups.Single(g => g.Surface.StartsWith("이탈리아", StringComparison.Ordinal));
        Assert.DoesNotContain(italy.Forms, f => f.Text == "이탈");
        Assert.Single(italy.Forms);
    }

    [Fact]
    public void Plan_AdnominalVerbBeforeABoundNoun_IsAPredicate_ANounBeforeAWordStartingAlikeIsNot()
    {
        var plan = Planner.Plan("딥시크가 비용을 낮출 수 있었던 핵심 기술은 무엇인가요?");
        Assert.True(plan.Groups.Single(g => g.Surface == "낮출").Predicate);
        Assert.False(plan.Groups.Single(g => g.Surface == "낮출").Topic);
        var noun = Planner.Plan("엔비디아 기술 수준이 어때?"); // "수준" is not the bound noun "수"
        Assert.All(noun.Groups.Where(g => g.Surface.StartsWith("기술", StringComparison.Ordinal)), g => Assert.False(g.Predicate));
        Assert.Contains(noun.Groups, g => g.Surface.StartsWith("기술", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("서", true)]
    [InlineData("하던", true)]
    [InlineData("했었는데", true)]
    [InlineData("리아", false)]
    [InlineData("", false)]
    public void Inflection_IsEndingsAndParticlesOnly(string rest, bool expected) => Assert.Equal(expected, KoreanStems.IsInflection(rest));

    [Theory]
    [InlineData("딥시크 훈련 비용은 얼마야?", true)]
    [InlineData("H800 몇 장 썼어?", true)]
    [InlineData("How much did it cost to train V3?", true)]
    [InlineData("낮은 비용은 어떤 결과로 이어지나요?", false)] // asks 어떤, not how much
    [InlineData("지난 몇 년간 무엇을 지켜봤나요?", false)]
    public void Plan_AmountCue_OnlyWhenNoOtherQuestionWordAsks(string question, bool amount) =>
        Assert.Equal(amount, Planner.Plan(question).Cues.HasFlag(QuestionCue.Amount));

    [Fact]
    public void Plan_TheWordAfter몇_IsTheCountUnit()
    {
        var plan = Planner.Plan("량원펑은 몇 년생이야?");
        Assert.True(plan.Groups.Single(g => g.Surface.StartsWith("년생", StringComparison.Ordinal)).CountUnit);
        Assert.False(plan.Groups.Single(g => g.Surface == "량원펑").CountUnit);
        Assert.DoesNotContain(Planner.Plan("량원펑은 언제 태어났어?").Groups, g => g.CountUnit);
    }

    [Fact]
    public void Plan_DateCue()
    {
        Assert.True(Planner.Plan("When was DeepSeek-R1 released?").Cues.HasFlag(QuestionCue.Date));
        Assert.True(Planner.Plan("딥시크 설립은 언제야").Cues.HasFlag(QuestionCue.Date));
    }

    [Fact]
    public void Plan_ConjugatedPredicateFindsItsStemsEntry_AndCountsAsContent()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stems-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "후려치 => 할인\n");
        try
        {
            var (map, single) = SynonymLoader.LoadWithIndex(path);
            var plan = new QueryPlanner(new KoreanQueryAnalyzer(map, single)).Plan("가격을 후려쳤어");
            var verb = plan.Groups.Single(g => g.Surface == "후려쳤어");
            Assert.Contains(verb.Forms, f => f.Text == "할인" && f.IsSynonym);
            Assert.Contains(verb.Forms, f => f.Text == "후려치" && !f.IsSynonym);
            Assert.False(verb.Predicate);

            var without = new QueryPlanner(new KoreanQueryAnalyzer(map, single), stems: false).Plan("가격을 후려쳤어");
            Assert.DoesNotContain(without.Groups.Single(g => g.Surface == "후려쳤어").Forms, f => f.Text == "할인");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plan_TopicIsTheWordBeforeATopicParticle_AndTheBareNounsBeforeIt()
    {
        var plan = Planner.Plan("비트코인 가격은 언제 올랐어?");
        Assert.True(plan.Groups.Single(g => g.Surface == "가격").Topic);
        Assert.True(plan.Groups.Single(g => g.Surface == "비트코인").Topic);
        Assert.DoesNotContain(Planner.Plan("엔비디아의 주가 알려줘").Groups, g => g.Topic);
    }

    [Fact]
    public void Plan_BareNounRightBeforeAQuestionWord_IsTheFocus_WithTheBareNounsBeforeIt()
    {
        var plan = Planner.Plan("엔비디아 배당금 규모 얼마나 돼?");
        Assert.True(plan.Groups.Single(g => g.Surface == "규모").Focus);
        Assert.True(plan.Groups.Single(g => g.Surface == "배당금").Focus);
        Assert.True(Planner.Plan("량원펑 좌우명 뭐였지?").Groups.Single(g => g.Surface == "좌우명").Focus);
        Assert.True(Planner.Plan("딥시크 본사 어느 도시에 있어?").Groups.Single(g => g.Surface == "본사").Focus); // which city of it
        Assert.True(Planner.Plan("엔비디아 배당금 규모 좀 알려줘").Groups.Single(g => g.Surface == "규모").Focus); // asked to be told it
        Assert.DoesNotContain(Planner.Plan("엔비디아 배당금 규모 크대").Groups, g => g.Focus); // no question word after it
        Assert.DoesNotContain(Planner.Plan("하이플라이어 클러스터 규모 어느 정도임?").Groups, g => g.Focus); // 어느 정도: how much, not which
        Assert.DoesNotContain(Planner.Plan("배당금에 대해 뭐라고 했어?").Groups, g => g.Surface == "배당금" && g.Focus); // not bare

        var (map, single) = SynonymLoader.LoadWithIndex();
        var withoutFocus = new QueryPlanner(new KoreanQueryAnalyzer(map, single), focus: false);
        Assert.DoesNotContain(withoutFocus.Plan("엔비디아 배당금 규모 얼마나 돼?").Groups, g => g.Focus);
    }

    [Fact]
    public void Plan_ObjectParticleMarksTheTopicToo()
    {
        var plan = Planner.Plan("중국 정부는 보조금을 얼마나 줬어?");
        Assert.True(plan.Groups.Single(g => g.Surface == "보조금").Topic);
    }

    [Fact]
    public void Plan_SentenceFinalEndingBeforeMoreWords_IsANounIfAbsent_ButNotAtTheEnd()
    {
        var plan = Planner.Plan("삼성전자 주가는 얼마나 떨어졌냐");
        var samsung = plan.Groups.Single(g => g.Surface == "삼성전자");
        Assert.True(samsung.Predicate); // by its ending alone
        Assert.True(samsung.NounIfAbsent); // but more words follow in the same sentence
        Assert.True(samsung.Topic); // so it is the bare noun before the topic "주가는"
        Assert.False(plan.Groups.Single(g => g.Surface.StartsWith("떨어졌", StringComparison.Ordinal)).NounIfAbsent);
        Assert.False(Planner.Plan("그거 언제 나왔대? 모델 이름은").Groups.Single(g => g.Surface.StartsWith("나왔", StringComparison.Ordinal)).NounIfAbsent);
        Assert.DoesNotContain(Planner.Plan("더 신경 써야 한다고 봤어?").Groups, g => g.NounIfAbsent); // "-다고": quoted speech, a verb
    }

    [Theory]
    [InlineData("구글은 뭐 때문에 손해 본다는 거임?", "본다")]
    [InlineData("보약 됐다는 비유 뭐였지", "됐다")]
    public void Plan_QuotedFiniteVerb_IsNeitherANounNorATopic(string question, string verb)
    {
        var plan = Planner.Plan(question);
        var g = plan.Groups.Single(g => g.Surface == verb);
        Assert.True(g.Predicate);
        Assert.False(g.NounIfAbsent); // "-ㄴ다는", "-ㅆ다는": a verb, wherever it stands
        Assert.False(g.Topic); // its "는" modifies what follows; it marks no topic
    }

    [Fact]
    public void Plan_QuotedFiniteVerb_DoesNotMakeTheBareWordBeforeItATopic()
    {
        Assert.False(Planner.Plan("미국 제재가 중국한테 도리어 보약 됐다는 비유 뭐였지").Groups.Single(g => g.Surface == "보약").Topic);
        Assert.True(Planner.Plan("미국 제재가 중국한테 도리어 보약은 뭐였지").Groups.Single(g => g.Surface == "보약").Topic);
    }

    [Theory]
    [InlineData("본다", true)]
    [InlineData("남긴다", true)]
    [InlineData("됐다", true)]
    [InlineData("썼다", true)]
    [InlineData("바다", false)]
    [InlineData("캐나다", false)]
    [InlineData("빼다", false)]
    [InlineData("다", false)]
    public void EndsInFiniteVerb_ByTheFinalConsonantBeforeDa(string word, bool expected) =>
        Assert.Equal(expected, KoreanStems.EndsInFiniteVerb(word));

    [Theory]
    [InlineData("뭐가", true, false)]
    [InlineData("뭐를", true, false)]
    [InlineData("쪽에서", false, true)]
    [InlineData("쪽은", false, true)]
    [InlineData("수도", false, false)] // "수" is a stopword, but "수도" (capital) is not 수 + 도: only 뭐 and 쪽 carry particles here
    [InlineData("뭐라카", false, false)]
    [InlineData("언제부터", true, false)]
    [InlineData("누구한테", true, false)]
    [InlineData("언제쯤", false, false)] // 쯤 is not in the particle list: left as it is
    [InlineData("데가", true, false)] // the bound noun 데 with a particle ("모회사 같은 데가")
    [InlineData("거라", true, false)] // 거 with a quoting ending ("어떻게 될 거라고")
    [InlineData("걔네", false, true)] // a pronoun points back at what the question names
    [InlineData("그들", false, true)]
    [InlineData("잔뜩", false, true)] // a degree adverb: how much, not what about
    [InlineData("한참", false, true)]
    [InlineData("뭐예", true, false)] // "뭐예요" once 요 is stripped
    [InlineData("거예", true, false)] // "올린 거예요"
    [InlineData("뭐뭐", true, false)] // a question word said twice asks for a list
    [InlineData("어디어디", true, false)]
    [InlineData("머임", true, false)] // 뭐 as chat spells it
    [InlineData("머리", false, false)] // a word that merely starts like it
    [InlineData("양반", false, true)] // "그 양반": that person
    [InlineData("아저씨", false, true)] // "그 아저씨": that man
    [InlineData("논리", false, true)] // "… 커진다는 논리는 뭐야?": the way a claim is put, asked for
    [InlineData("모습", false, true)]
    [InlineData("경력", false, true)] // "경력 좀 알려줘": a person's career, the kind of answer
    [InlineData("직책", false, true)]
    [InlineData("불러", true, false)] // "뭐라고 불러?": asks for a name (불 alone is a dollar)
    [InlineData("부르는지", true, false)]
    [InlineData("불러온", false, false)] // "딥시크가 불러온 충격": brought about, a word of the articles
    [InlineData("언급", false, true)] // "선례로 언급된 앱": the article's act of saying
    [InlineData("첫번째", false, true)] // "첫번째 글": which article, not what about
    [InlineData("때문", false, true)] // "딥시크 때문에": how the question links its words
    [InlineData("통해", false, true)] // "API를 통해": through
    [InlineData("머머", true, false)] // 뭐뭐 as chat spells it
    [InlineData("어케", true, false)] // 어떻게 as chat spells it
    [InlineData("각각", false, true)] // how to answer, not what about
    [InlineData("쪽에선", false, true)] // a particle contracted in speech
    [InlineData("글에선", false, true)] // "그 글에선": which article
    public void QuestionWords_OneSyllableWordWithItsParticles(string word, bool stop, bool filler)
    {
        Assert.Equal(stop, QuestionWords.IsStop(word));
        Assert.Equal(filler, QuestionWords.IsFiller(word));
    }

    [Fact]
    public void Plan_QuestionWordWithParticle_IsDropped()
    {
        var plan = Planner.Plan("그래픽카드 쪽에서 뭐가 나아진다는 거야?");
        Assert.DoesNotContain(plan.Groups, g => g.Surface.StartsWith('뭐'));
        Assert.Contains("뭐가", plan.Stopped);
    }

    [Fact]
    public void Plan_JoinedSpellingOfAHyphenatedWord_IsAFormOfIt_NotAnotherWord()
    {
        var plan = Planner.Plan("Can DeepSeek-V3 run on high-end machines?");
        var v3 = Assert.Single(plan.Groups, g => g.Surface == "DeepSeek-V3");
        Assert.Contains(v3.Forms, f => f.Text == "deepseekv3");
        var high = Assert.Single(plan.Groups, g => g.Surface == "high");
        Assert.Contains(high.Forms, f => f.Text == "highend");
        Assert.DoesNotContain(plan.Groups, g => g.Surface == "high-end");
    }

    [Fact]
    public void Plan_HyphenatedPrefix_IsNoWord_ItsJoinedSpellingGoesWithTheWordAfterIt()
    {
        var plan = Planner.Plan("Which outfit did the founder co-start?");
        Assert.DoesNotContain(plan.Groups, g => g.Surface is "co" or "co-start");
        Assert.Contains("co", plan.Stopped);
        var start = Assert.Single(plan.Groups, g => g.Surface == "start");
        Assert.Contains(start.Forms, f => f.Text == "costart");
    }

    [Theory]
    [InlineData("What ethical problems does the post list?", "post")]
    [InlineData("What does the outlook section flag?", "section")]
    [InlineData("이 글에서 딥시크 전망은?", "글에서")]
    public void Plan_WordPointingAtTheArticle_WeighsLikeAPredicate(string question, string word)
    {
        var plan = Planner.Plan(question);
        Assert.True(plan.Groups.Single(g => g.Surface == word).Predicate);
    }

    [Fact]
    public void Plan_AConjugatedVerbTheGlossaryResolves_IsContentButNoBareNounOfTheTopic()
    {
        // 돌려서 takes the glossary entry of 돌리 (content), but it ends a clause: the nouns before it are not the topic 훈련비's
        var plan = Planner.Plan("H800 GPU시간 돌려서 훈련비는 얼마 나왔어?");
        var verb = plan.Groups.Single(g => g.Surface == "돌려서");
        Assert.False(verb.Predicate);
        Assert.True(verb.Conjugated);
        Assert.False(verb.Topic);
        Assert.True(plan.Groups.Single(g => g.Surface == "훈련비").Topic);
        Assert.False(plan.Groups.Single(g => g.Surface == "H800").Topic);
        // a noun the glossary knows is no conjugated verb
        Assert.False(Planner.Plan("엔비디아 주가는 얼마야").Groups.Single(g => g.Surface == "주가").Conjugated);
        // nor is a one-syllable noun the analysis left its particle on ("달에": 달 + 에), though it read as a predicate
        Assert.False(Planner.Plan("딥시크 유료 요금제 한 달에 얼마야?").Groups.Single(g => g.Surface == "달에").Conjugated);
    }

    [Fact]
    public void Plan_ParticleThatNeedsAVowel_AfterAClosedSyllable_IsAVerbEnding_NotATopic()
    {
        // "주고받는": 는 after 받 (closed) is the verb's adnominal ending; the topic particle there would be 은.
        Assert.DoesNotContain(Planner.Plan("GPU끼리 주고받는 방식").Groups, g => g.Topic);
        Assert.True(Planner.Plan("엔비디아 주가는 얼마야").Groups.Single(g => g.Surface == "주가").Topic);
    }

    [Fact]
    public void Plan_는AfterASubject_IsAVerbsAdnominal_NotATopic()
    {
        // "회사가 굴리는 서버": after the subject 회사가, "굴리는" modifies 서버; it is no topic.
        var plan = Planner.Plan("회사가 굴리는 서버 몇 대야");
        Assert.True(plan.Groups.Single(g => g.Surface == "회사").Topic);
        Assert.DoesNotContain(plan.Groups, g => g.Surface.StartsWith("굴리", StringComparison.Ordinal) && g.Topic);
        Assert.True(Planner.Plan("회사 서버는 몇 대야").Groups.Single(g => g.Surface == "서버").Topic);
    }

    [Fact]
    public void Plan_는StackedOnAnotherParticle_MarksNoTopic()
    {
        // "사장 말로는" is "according to the boss": neither 말로 nor the bare 사장 before it is what is asked about.
        var plan = Planner.Plan("사장 말로는 매출이 얼마래");
        Assert.False(plan.Groups.Single(g => g.Surface == "사장").Topic);
        Assert.True(plan.Groups.Single(g => g.Surface == "매출").Topic);
    }

    [Theory]
    [InlineData("뭐가 더 높냐 싸움이 중요해?", "높냐")]
    [InlineData("그거 맞죠 발표는 언제야", "맞죠")]
    public void Plan_QuestionEndingBeforeMoreWords_StaysAPredicate(string question, string word)
    {
        var g = Planner.Plan(question).Groups.Single(g => g.Surface == word);
        Assert.True(g.Predicate);
        Assert.False(g.NounIfAbsent);
        Assert.False(g.Topic);
    }

    [Theory]
    [InlineData("그 회사는 어떤 형태로 바뀐다고 했어?", "형태")]
    [InlineData("무슨 방식 썼대?", "방식")]
    [InlineData("deepseek v3 operating cost reduction percent?", "percent")] // a share, written with % in the articles
    [InlineData("비용이 얼마나 싸진다는 거임? 퍼센트로 알려줘", "퍼센트")]
    public void Plan_NounAfterAKindDeterminer_NamesTheAnswersKind(string question, string word)
    {
        var plan = Planner.Plan(question);
        Assert.True(plan.Groups.Single(g => g.Surface == word).AnswerKind);
        Assert.DoesNotContain(plan.Groups, g => g.Surface != word && g.AnswerKind);
    }

    [Fact]
    public void Plan_WordIn고WithANounsParticle_IsANounIfAbsent_TheBareConnectiveIsNot()
    {
        Assert.True(Planner.Plan("회사 로고는 무슨 색이야?").Groups.Single(g => g.Surface == "로고").NounIfAbsent);
        Assert.False(Planner.Plan("그거 먹고 뭐 했어?").Groups.Single(g => g.Surface == "먹고").NounIfAbsent);
    }

    [Fact]
    public void Plan_RepeatedWord_IsOneGroup_UnlessTheRepeatStartsAMultiWordEntry()
    {
        var plan = Planner.Plan("Which app did it beat on the App Store?");
        Assert.Single(plan.Groups, g => g.Surface == "App Store");
        Assert.Single(plan.Groups, g => g.Surface == "app");
        Assert.DoesNotContain(plan.Groups, g => g.Surface == "Store");
        Assert.Single(Planner.Plan("엔비디아 주가 엔비디아").Groups, g => g.Surface == "엔비디아");
    }

    [Fact]
    public void Plan_WordNegatedBy안Or못_IsAPredicate_WhereverTheQuestionUsesIt()
    {
        var plan = Planner.Plan("로봇 들인 공장이 안 들인 데보다 더 버나?");
        var verb = plan.Groups.Single(g => g.Surface == "들인");
        Assert.True(verb.Predicate);
        Assert.False(verb.Topic);
        Assert.False(plan.Groups.Single(g => g.Surface == "공장").Predicate);
        Assert.False(Planner.Plan("방안 들인 공장은?").Groups.Single(g => g.Surface == "들인").Predicate); // 방안 is no 안
    }

    [Theory]
    [InlineData("그 구조 말야, 계산을 어떻게 줄여?", "말야")]
    public void Plan_DiscourseFiller_WeighsLikeAPredicate(string question, string word) =>
        Assert.True(Planner.Plan(question).Groups.Single(g => g.Surface == word).Predicate);

    [Fact]
    public void Plan_BesidesAndApartFrom_AreStopwords_AndEverydayAcronymsAreNoNames()
    {
        var plan = Planner.Plan("Apart from the price, besides that, which TV channel covered it?");
        Assert.DoesNotContain(plan.Groups, g => g.Surface is "Apart" or "besides");
        Assert.DoesNotContain(Planner.Plan("Is Nvidia actually in trouble, per this post?").Groups, g => g.Surface is "actually" or "per");
        Assert.False(plan.Groups.Single(g => g.Surface == "TV").Name);
        Assert.False(Planner.Plan("I'm a CS student. How does MoE save compute?").Groups.Single(g => g.Surface == "CS").Name); // who asks
        Assert.False(Planner.Plan("I read the post. Censorship is one risk; what else?").Groups.Single(g => g.Surface == "Censorship").Name); // opens a sentence
        Assert.True(Planner.Plan("I read the post about Qwen and DeepSeek.").Groups.Single(g => g.Surface == "Qwen").Name);
        Assert.True(Planner.Plan("Which channel covered HBM?").Groups.Single(g => g.Surface == "HBM").Name);
    }

    [Theory]
    [InlineData("메모리 덜 잡아먹게 뭘 했어?", "잡아먹")]
    [InlineData("칩을 덜 빨아먹도록 뭘 했어?", "빨아먹도록")]
    public void Plan_WordWithAnEndingOnlyVerbsTake_IsAPredicate(string question, string word) =>
        Assert.True(Planner.Plan(question).Groups.Single(g => g.Surface == word).Predicate);

    [Fact]
    public void Plan_HowToTellAdverbBeforeAVerbOfSaying_IsAPredicate_ElsewhereContent()
    {
        Assert.True(Planner.Plan("지식 증류가 쉽게 말하면 뭔데?").Groups.Single(g => g.Surface == "쉽게").Predicate);
        Assert.False(Planner.Plan("딥시크는 쉽게 따라잡을 수 있어?").Groups.Single(g => g.Surface == "쉽게").Predicate);
        Assert.Contains("뭔데", Planner.Plan("지식 증류가 쉽게 말하면 뭔데?").Stopped);
        // a request ("쉽게 좀") or the question's end, with chat shorthand after it, asks how to be told too
        Assert.True(Planner.Plan("지식 증류가 뭔 소리야 ㅋㅋ 쉽게 좀").Groups.Single(g => g.Surface == "쉽게").Predicate);
        Assert.True(Planner.Plan("MoE 원리 간단히 ㄱㄱ").Groups.Single(g => g.Surface == "간단히").Predicate);
    }

    [Fact]
    public void Plan_PastStem_IsAPredicate_AndNoTopic()
    {
        var plan = Planner.Plan("많이 갖고 있다고 찔렀을 때 딥시크는 뭐라고 했어?");
        var verb = plan.Groups.Single(g => g.Surface.StartsWith("찔렀", StringComparison.Ordinal));
        Assert.True(verb.Predicate);
        Assert.False(verb.Topic);
    }

    [Theory]
    [InlineData("정확히", true)] // an adverb in -히
    [InlineData("충분히", true)]
    [InlineData("히", false)]
    [InlineData("두개", true)] // a small count in native numerals with its counter
    [InlineData("세가지", true)]
    [InlineData("다섯명", true)]
    [InlineData("두부", false)] // a noun that opens with a numeral
    [InlineData("세계", false)]
    [InlineData("개", false)]
    public void QuestionWords_HiAdverbsAndSmallCountsAreFiller(string word, bool filler) => Assert.Equal(filler, QuestionWords.IsFiller(word));

    [Theory]
    [InlineData("H800 최적화 방법이 구체적으로 뭐였어?", "구체")]
    [InlineData("하이플라이어 클러스터 규모가 어느 정도임?", "정도임")]
    public void Plan_WordSayingHowToAnswer_WeighsLikeAPredicate(string question, string word)
    {
        var g = Planner.Plan(question).Groups.Single(g => g.Surface == word);
        Assert.True(g.Predicate);
        Assert.False(Planner.Plan(question).Groups.Single(g => g.Surface == "규모" || g.Surface == "방법").Predicate);
    }

    [Theory]
    [InlineData("리카이푸 말로는 격차가 얼마였대?", "말로", true)]
    [InlineData("어느 동네한테 꿀이라는 거임", "꿀이", true)]
    [InlineData("구린 컴으로도 돌아가?", "컴으", true)]
    [InlineData("본사를 미국 땅으로 옮겼어?", "땅으", false)] // 으로 alone: one particle, nothing stacked
    [InlineData("딥시크 경로는 어디야", "경로", true)] // the known cost: a noun in 로 reads so too
    [InlineData("엔비디아 주가는 얼마야", "주가", false)] // 가 + 는 never stack
    public void Plan_OneSyllableNounWithStackedParticles_WeighsLikeAPredicate(string question, string surface, bool predicate) =>
        Assert.Equal(predicate, Planner.Plan(question).Groups.Single(g => g.Surface == surface).Predicate);

    [Fact]
    public void Plan_EnglishCompoundNounAfterADeterminer_UpToAPreposition_KeepsItsWeight()
    {
        var plan = Planner.Plan("What is the widget gizmo length of DeepSeek-V3?");
        Assert.False(plan.Groups.Single(g => g.Surface == "widget").Predicate);
        Assert.False(plan.Groups.Single(g => g.Surface == "gizmo").Predicate);
        Assert.False(plan.Groups.Single(g => g.Surface == "length").Predicate);
        // no preposition closes the run: the word after the first may be the verb
        Assert.True(Planner.Plan("What does the widget gizmo?").Groups.Single(g => g.Surface == "gizmo").Predicate);
    }

    [Fact]
    public void Plan_GlossaryPhraseOfCapitalisedWords_IsAName()
    {
        // "Sam Altman" is one glossary entry (synonyms.txt), so one group with a space in it.
        var plan = Planner.Plan("What did Sam Altman say about DeepSeek R1?");
        Assert.True(plan.Groups.Single(g => g.Surface == "Sam Altman").Name);
        Assert.False(Planner.Plan("what did sam altman say").Groups.Single(g => g.Surface == "sam altman").Name);
    }

    [Fact]
    public void Plan_UntranslatedEnglishNounKeepsItsWeight_VerbDoesNot()
    {
        var plan = Planner.Plan("How many employees were hired?");
        Assert.False(plan.Groups.Single(g => g.Surface == "employees").Predicate);
        Assert.True(plan.Groups.Single(g => g.Surface == "hired").Predicate);
    }
}
