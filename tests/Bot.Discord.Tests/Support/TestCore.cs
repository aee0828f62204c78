using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;

namespace Bot.Discord.Tests.Support;

/// <summary>Supplies the question handler the adapter tests run against.</summary>
internal static class TestCore
{
    public static IQuestionHandler CreateHandler() => new InterimHandler();

    /// <summary>Interim stand-in until the real Core handler is on main (replaced then).</summary>
    private sealed class InterimHandler : IQuestionHandler
    {
        public Task<Answer> AskAsync(string question, QueryContext context, int top, CancellationToken cancellationToken) =>
            Task.FromResult(Make(question, top));

        public Task<Answer> SearchAsync(string query, QueryContext context, int top, CancellationToken cancellationToken) =>
            Task.FromResult(Make(query, top));

        public Task<SourceResult> SourceAsync(string document, QueryContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new SourceResult(document, LanguageDetector.Detect(document), new ArticleInfo("000_x", "딥시크 기사", "첫머리", 7), []));

        public IReadOnlyList<ArticleInfo> SuggestArticles(string prefix, int max) =>
            Enumerable.Range(0, 30).Select(i => new ArticleInfo($"00{i}_doc", $"딥시크 기사 {i}", "", 3)).Take(max).ToList();

        private static Answer Make(string q, int top)
        {
            var lang = LanguageDetector.Detect(q);
            if (string.IsNullOrWhiteSpace(q))
            {
                return new Answer(q, lang, AnswerStatus.Empty, [], new DeclineReason(UiText.For(lang).EmptyQuestion, [], []));
            }

            var text = "딥시크는 중국의 인공지능 스타트업이다.";
            var c = new Citation("000_x", "딥시크 기사", 2, 1.0, new Snippet(text, [new HighlightRange(0, 3)], false, true), ["딥시크"]);
            return new Answer(q, lang, AnswerStatus.Answered, Enumerable.Repeat(c, Math.Max(1, top)).ToList(), null);
        }
    }
}
