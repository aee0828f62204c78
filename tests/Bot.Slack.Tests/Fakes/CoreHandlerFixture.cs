using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// TEMPORARY stand-in until Core's QuestionHandler lands on main: answers from a tiny fixed corpus with the same shapes
/// (Korean/English, highlights, citations, Empty for an empty question). Replaced by the real handler.
/// </summary>
internal sealed class StandInQuestionHandler : IQuestionHandler
{
    public Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(question, top));

    public Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(query, top));

    public Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new SourceResult(document, LanguageDetector.Detect(document),
            new ArticleInfo("deepseek-01", "딥시크 기사", "딥시크는 중국의 인공지능 기업이다.", 7), []));

    public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) => [];

    private static Answer Answer(string question, int top)
    {
        var language = LanguageDetector.Detect(question);
        if (string.IsNullOrWhiteSpace(question))
        {
            return new Answer(question, language, AnswerStatus.Empty, [], new DeclineReason(UiText.For(language).EmptyQuestion, [], []));
        }

        var text = "딥시크는 중국 항저우에 본사를 둔 인공지능 기업으로, 오픈소스 모델을 공개했다.";
        var citations = Enumerable.Range(1, Math.Min(top, 3)).Select(i =>
            new Citation("deepseek-0" + i, "딥시크 기사 " + i, i, 10 - i, new Snippet(text, [new HighlightRange(0, 3)], false, true), ["딥시크"])).ToList();
        return new Answer(question, language, AnswerStatus.Answered, citations, null);
    }
}
