using Bot.Core.Answers;
using Bot.Core.Commands;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class SearchEngineTests : IClassFixture<EngineFixture>
{
    private readonly QuestionHandler _handler;

    public SearchEngineTests(EngineFixture fixture)
    {
        _handler = fixture.Handler;
    }

    [Fact]
    public void Ask_KoreanQuestion_CitesPassageWithAnswerAndHighlights()
    {
        var answer = _handler.Ask("딥시크-V3는 기존 AI 모델보다 운영 비용을 얼마나 절감했나요?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Equal(Language.Korean, answer.Language);
        var best = answer.Best!;
        Assert.Equal("000_e8f83522e6e43577", best.DocId);
        Assert.Contains("90% 절감", best.Snippet.Text, StringComparison.Ordinal);
        Assert.InRange(best.Snippet.Text.Length, 1, Snippets.MaxChars);
        Assert.NotEmpty(best.Snippet.Highlights);
        var highlighted = best.Snippet.Highlights.Select(h => best.Snippet.Text.Substring(h.Start, h.Length)).ToList();
        Assert.Contains(highlighted, h => h.Contains("절감", StringComparison.Ordinal));
        Assert.True(best.Passage >= 1);
        Assert.False(string.IsNullOrWhiteSpace(best.Title));
    }

    [Fact]
    public void Ask_EnglishQuestion_AnsweredFromKoreanTextInEnglish()
    {
        var answer = _handler.Ask("Which other tech stocks fell along with Nvidia?", 3);
        Assert.Equal(Language.English, answer.Language);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Contains(answer.Citations, c => c.Snippet.Text.Contains("브로드컴", StringComparison.Ordinal));
    }

    [Fact]
    public void Ask_OutOfCorpus_DeclinesNamingMissingWords()
    {
        var answer = _handler.Ask("스푸트니크 1호는 언제 발사됐어?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.NotNull(answer.Decline);
        Assert.Contains("스푸트니크", answer.Decline!.MissingWords);
        Assert.Contains("스푸트니크", answer.Decline.Message, StringComparison.Ordinal);
        Assert.StartsWith(UiText.Korean.NotFoundIntro, answer.Decline.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_ChatShorthandAndRecollectiveEnding_AnsweredNotDeclinedAsMissingWords()
    {
        // "ㄷㄷ" (bare consonants) is chat shorthand and "빠졌었더라" a verb: neither is content the articles lack.
        var answer = _handler.Ask("엔비디아 주가 얼마나 빠졌었더라 ㄷㄷ", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Contains(answer.Citations.Take(3), c => c.Snippet.Text.Contains("17%", StringComparison.Ordinal));
        var laughing = _handler.Ask("딥시크 창업자 누구임 ㅋㅋㅋ", 3);
        Assert.Equal(AnswerStatus.Answered, laughing.Status);
    }

    [Fact]
    public void Ask_OutOfCorpusEnglish_DeclinesInEnglish()
    {
        var answer = _handler.Ask("Where is the Kubernetes headquarters of Zamboni?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.StartsWith(UiText.English.NotFoundIntro, answer.Decline!.Message, StringComparison.Ordinal);
        Assert.Contains("Zamboni", answer.Decline.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snippets_AreWindowsOfAtMost300WithValidHighlights()
    {
        foreach (var q in new[] { "엔비디아 주가 폭락", "마이크로소프트 API 사용 감지", "데이터 무단 수집 의혹", "H800 GPU 훈련 비용" })
        {
            var answer = _handler.Ask(q, 5);
            Assert.NotEmpty(answer.Citations);
            foreach (var c in answer.Citations)
            {
                var s = c.Snippet;
                Assert.InRange(s.Text.Length, 1, 300);
                Assert.False(char.IsHighSurrogate(s.Text[^1]));
                Assert.False(char.IsLowSurrogate(s.Text[0]));
                var prevEnd = 0;
                foreach (var h in s.Highlights)
                {
                    Assert.True(h.Start >= prevEnd && h.Length > 0 && h.End <= s.Text.Length);
                    prevEnd = h.End;
                }
            }
        }
    }

    [Fact]
    public void LongPassage_SnippetIsTheWindowWithTheMatch()
    {
        // 004's paragraphs are up to ~1,200 characters; the answer sits deep inside one.
        var answer = _handler.Ask("마이크로소프트는 언제 수상한 API 사용을 감지했나요?", 3);
        Assert.Contains("2024년 가을", answer.Best!.Snippet.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Snippet_IsTheWindowWithAllOfAPhrase_NotOneOfItsWords()
    {
        // Group 1's phrase is 일일 하락액; the first window has only 하락 (from "3% 하락"), the later one the whole phrase.
        var text = "엔비디아 주가가 3% 하락했다. " + new string('가', 300) + ". 엔비디아의 최대 일일 하락액이었다.";
        var spans = new List<MatchSpan>();
        void Add(string word, int group, int term)
        {
            for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
            {
                spans.Add(new MatchSpan(at, at + word.Length, group, term));
            }
        }

        Add("엔비디아", 0, 0);
        Add("일일", 1, 1);
        Add("하락", 1, 2);
        Add("락액", 1, 3);
        var snippet = Snippets.Make(text, spans, [1.0, 4.0]);
        Assert.Contains("최대 일일 하락액", snippet.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Snippet_AmongWindowsWithTheSameWords_IsTheOneWhereTheyRecur()
    {
        // Both windows hold both words; the opening names them once in passing, the later window twice with the figure.
        var text = "엔비디아 주가와 시가총액 이야기로 시작한다. " + new string('가', 280) + ". 엔비디아의 시가총액은 하루에 6,000억 달러 줄었다. 엔비디아 시가총액 기록이다.";
        var spans = new List<MatchSpan>();
        foreach (var (word, group) in new[] { ("엔비디아", 0), ("시가총액", 1) })
        {
            for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
            {
                spans.Add(new MatchSpan(at, at + word.Length, group, 0));
            }
        }

        var snippet = Snippets.Make(text, spans, [1.0, 2.0]);
        Assert.Contains("6,000억 달러", snippet.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("이야기로 시작한다", snippet.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_ByIdTitleAndFuzzy()
    {
        var ctx = Chat.QueryContext.Cli;
        var byId = await _handler.SourceAsync("003_5eb7c19215f199b7", ctx, default);
        Assert.Equal("003_5eb7c19215f199b7", byId.Article!.DocId);
        Assert.True(byId.Article.PassageCount > 3);
        Assert.False(string.IsNullOrWhiteSpace(byId.Article.Opening));
        Assert.InRange(byId.Article.Opening.Length, 10, 300);

        var byTitle = await _handler.SourceAsync("돌풍", ctx, default);
        Assert.Equal("004_c6739ddf1ef4380d", byTitle.Article!.DocId);

        var none = await _handler.SourceAsync("양자역학", ctx, default);
        Assert.Null(none.Article);
        Assert.NotEmpty(none.Suggestions);
    }

    [Fact]
    public void SuggestArticles_MatchesTitles()
    {
        Assert.Equal(5, _handler.SuggestArticles("", 25).Count);
        var hits = _handler.SuggestArticles("격차", 25);
        Assert.Equal("003_5eb7c19215f199b7", hits[0].DocId);
    }
}

public class AbstentionTests : IClassFixture<EngineFixture>
{
    private readonly QuestionHandler _handler;

    public AbstentionTests(EngineFixture fixture)
    {
        _handler = fixture.Handler;
    }

    [Fact]
    public void Ask_MissingNameVetoes_EvenWhenOtherWordsMatch()
    {
        var answer = _handler.Ask("What is the price of Bitcoin today?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Contains("Bitcoin", answer.Decline!.MissingWords);
    }

    [Fact]
    public void Ask_UntranslatedLowercaseEnglishWords_DoNotCauseDecline()
    {
        var answer = _handler.Ask("Which Chinese premier hosted the meeting Liang Wenfeng attended?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Contains(answer.Citations, c => c.Snippet.Text.Contains("리창 총리", StringComparison.Ordinal));
    }

    [Fact]
    public void Ask_KindOfAnswerNounInNoArticle_IsNotMissing_ButTheSameNounAsTopicIs()
    {
        // "어떤 모양": 모양 names the kind of answer, which the passage need not say; as the topic it is what is asked about
        var kind = _handler.Ask("엔비디아 주가는 어떤 모양으로 떨어졌어?", 3);
        Assert.Equal(AnswerStatus.Answered, kind.Status);
        var topic = _handler.Ask("엔비디아 모양은 얼마나 떨어졌어?", 3);
        Assert.Equal(AnswerStatus.NotFound, topic.Status);
        Assert.Contains("모양", topic.Decline!.MissingWords);
    }

    [Fact]
    public void Ask_HangulNameAsTopicInNoArticle_DeclinesNamingIt()
    {
        // "비트코인" shares no word with the articles, but "가격" does: the topic's absence still declines
        var answer = _handler.Ask("비트코인 가격은 얼마야?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Contains("비트코인", answer.Decline!.MissingWords);
        Assert.Contains("비트코인", answer.Decline.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("삼성전자 주가는 딥시크 쇼크 때 얼마나 떨어졌어?", "삼성전자")] // a name ending like a verb ("-자"), before more words
    [InlineData("중국 정부는 딥시크에 보조금을 얼마나 줬어?", "보조금")] // the object the question asks about
    [InlineData("How many employees does DeepSeek have?", "employees")] // an English noun no article translates
    [InlineData("량원펑 좌우명 뭐였지?", "좌우명")] // the bare noun the question word asks about
    public void Ask_WhatTheQuestionIsAboutIsInNoArticle_Declines(string question, string missing)
    {
        var (answer, result) = _handler.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == missing && !w.InCorpus && !w.Predicate);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
    }

    [Fact]
    public void Ask_WordMadeOfOtherWordsBigrams_IsStillMissing()
    {
        // 스타, 게이, 이트 each occur in some word of the articles; 스타게이트 occurs nowhere
        var (answer, result) = _handler.AskWithEvidence("스타게이트 프로젝트 투자 금액은?", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "스타게이트" && !w.InCorpus);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
    }

    [Fact]
    public void Ask_TypoAndSpacingErrors_AreRepairedNotMissing()
    {
        var (_, result) = _handler.AskWithEvidence("딥시크 오픈소스 젼략", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "젼략" && w.InCorpus && w.Forms.Contains("전략"));
        var (_, glued) = _handler.AskWithEvidence("AI 업계엔 어떤 변화", 3);
        Assert.Contains(glued!.Evidence.Words, w => w.Word == "업계엔" && w.InCorpus);
    }

    [Fact]
    public void Ask_NounWithASuffixTheAnalysisKeeps_FindsTheNoun()
    {
        // 끼리 (among) stays on the word in analysis: 칩끼리 occurs in no article, 칩 does
        var (_, result) = _handler.AskWithEvidence("칩끼리 통신 오버헤드는 어떻게 줄였어?", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "칩끼리" && w.InCorpus && w.Forms.Contains("칩"));

        // So does the plural 들: 칩들 is the asker's plural of 칩, not a missing topic
        var (answer, plural) = _handler.AskWithEvidence("애플 자체 칩들은 앞으로 어떻게 될 거래?", 3);
        Assert.Contains(plural!.Evidence.Words, w => w.Word == "칩들" && w.InCorpus && w.Forms.Contains("칩"));
        Assert.Equal(AnswerStatus.Answered, answer.Status);
    }

    [Fact]
    public void Ask_OneSyllableNounWithAnotherParticle_IsTheArticlesWordRightAfterTheSameName()
    {
        // the articles write "알렉산더 왕은"; analysis keeps a one-syllable noun's particle, so "왕이" itself is in no article
        var (_, result) = _handler.AskWithEvidence("알렉산더 왕이 말한 칩 개수가 왜 문제야?", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "왕이" && w.InCorpus && w.Forms.Contains("왕은"));

        // not after a word it does not follow in the articles
        var (_, other) = _handler.AskWithEvidence("중국 왕이 외교부장은 딥시크를 뭐라고 했어?", 3);
        Assert.Contains(other!.Evidence.Words, w => w.Word == "왕이" && !w.InCorpus);
    }

    [Fact]
    public void Ask_NounWithTheParticleDaero_FindsTheNoun()
    {
        // "대로" (as, according to) is cut by analysis only as far as 로: "전략대" is in no article, 전략 is
        var (_, result) = _handler.AskWithEvidence("딥시크는 전략대로 움직였어?", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "전략대" && w.InCorpus && w.Forms.Contains("전략"));
    }

    [Fact]
    public void Ask_WordsTypedWithoutTheirSpaces_AreThePhraseOfTheArticle()
    {
        // "기술적 고립주의" typed as one run occurs nowhere; its two words stand together in one passage
        var (answer, result) = _handler.AskWithEvidence("딥시크 기술적고립주의 우려", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "고립주의" && w.InCorpus);
        Assert.DoesNotContain(result.Evidence.Words, w => w.Word == "기술적고립주의");
        Assert.Contains(answer.Citations.Take(3), c => c.Snippet.Text.Contains("기술적 고립주의", StringComparison.Ordinal));
    }

    [Fact]
    public void Ask_WordsTypedWithoutTheirSpaces_MayCloseWithABoundWord()
    {
        // "딥시크쇼크때": 딥시크 + 쇼크 + 때 (when), the one-syllable 때 closing the run
        var (_, result) = _handler.AskWithEvidence("딥시크쇼크때 같이 빠진 기술주", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "쇼크" && w.InCorpus);
        Assert.DoesNotContain(result.Evidence.Words, w => w.Word.Contains('때'));
    }

    [Fact]
    public void Ask_ANameMadeOfWordsTheArticlesUseApart_StaysMissing()
    {
        // 스타 and 게이트 occur only inside other words and never together: "스타게이트" is a name the articles lack
        var (answer, result) = _handler.AskWithEvidence("오픈AI 스타게이트 프로젝트에 투자되는 금액은 얼마야?", 3);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "스타게이트" && !w.InCorpus);
    }

    [Fact]
    public void Ask_TwoSyllableWord_IsNotRespelledWithAnUnlikeVowel()
    {
        // 제목 (title) is one vowel from 주목 (attention), which the articles use: half the word, not a typo
        var (_, result) = _handler.AskWithEvidence("리카이푸 책 제목이 뭐야?", 3);
        var title = result!.Evidence.Words.Single(w => w.Word == "제목");
        Assert.False(title.InCorpus);
        Assert.DoesNotContain("주목", title.Forms);
    }

    [Theory]
    [InlineData("How many GPUs did DeepSeek use?", "GPUs", "gpu")]
    [InlineData("What LLMs did DeepSeek release?", "LLMs", "llm")]
    public void Ask_PluralOfAnAcronym_IsTheSingularNotAMissingName(string question, string word, string singular)
    {
        // The stemmer leaves codes and acronyms alone, so "GPUs" matched nothing and vetoed the answer as an unknown name.
        // (Whether the question is then answered is up to the ranking and the other checks: "How many GPUs" declines when
        // no passage near the top gives a number of GPUs.)
        var (answer, result) = _handler.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == word && w.InCorpus && w.Forms.Contains(singular));
        Assert.False(result.Evidence.Signals.MissingName);
        Assert.NotEqual(DeclineCause.MissingName, answer.Decline?.Cause);
    }

    [Fact]
    public void Ask_GlossaryPhraseTheArticlesNeverWriteAsAPhrase_ItsSynonymsFindThePassage()
    {
        // "딥시크 창업자" (a glossary phrase for 량원펑) occurs in no article as a phrase, only its words apart. Its synonyms
        // must then join the candidate query, or the passage about another company's 창업자 outranks the one about 량원펑.
        var answer = _handler.Ask("딥시크 창업자 누구?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Contains("량원펑", answer.Best!.Snippet.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_NameSplitByASpace_IsJoinedWhenTheArticlesHaveTheWhole()
    {
        // "딥 시크": the lone syllable 딥 occurs in no article; 딥시크 does. Unjoined, the question was only 시크 + 창업자 and
        // its evidence was 01.AI's founder; joined, the passage on DeepSeek's founder covers all of it and is the evidence
        // the bot answers on. (Which passage is shown first is the ranker's trees' call: they put 01.AI's founder first on
        // BM25's strength and the DeepSeek founder's passage fourth; the README notes it.)
        var (answer, result) = _handler.AskWithEvidence("딥 시크 창업자 누구?", 5);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "딥" && w.InCorpus && w.Forms.Contains("딥시크"));
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Equal(1.0, result.Evidence.BestCoverage, 3);
        Assert.Contains(answer.Citations, c => c.Snippet.Text.Contains("량원펑", StringComparison.Ordinal));
    }

    [Fact]
    public void Ask_PluralOfAnUnknownName_IsStillMissing()
    {
        var (answer, result) = _handler.AskWithEvidence("How many FPGAs did DeepSeek use?", 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "FPGAs" && !w.InCorpus);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
    }

    [Fact]
    public void Ask_ColloquialVerbsMissing_StillAnswers()
    {
        var answer = _handler.Ask("H800 몇 개 썼어?", 3);
        Assert.Equal(AnswerStatus.Answered, answer.Status);
        Assert.Contains(answer.Citations, c => c.Snippet.Text.Contains("2048개", StringComparison.Ordinal));
    }
}
