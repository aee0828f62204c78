using System.Globalization;
using System.Text;
using Bot.Core.Search;

namespace Bot.Core.Answers;

/// <summary>Question + retrieval result → <see cref="Answer"/>: status, citations and a localized reason to decline.</summary>
public static class AnswerComposer
{
    /// <summary>Strips control characters, collapses whitespace; the text that is searched and shown.</summary>
    public static string Normalize(string? question)
    {
        if (string.IsNullOrEmpty(question))
        {
            return "";
        }

        var sb = new StringBuilder(Math.Min(question.Length, 4096));
        var space = false;
        foreach (var ch in question)
        {
            if (char.IsWhiteSpace(ch) || char.IsControl(ch) || ch is '\u200B' or '\uFEFF')
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }

    /// <summary>True when the text has at least one letter or digit.</summary>
    public static bool HasContent(string text)
    {
        foreach (var r in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(r))
            {
                return true;
            }
        }

        return false;
    }

    public static Answer Empty(string question, Language language) =>
        new(question, language, AnswerStatus.Empty, [], new DeclineReason(UiText.For(language).EmptyQuestion, [], []));

    public static Answer TooLong(string question, Language language, int max)
    {
        var t = UiText.For(language);
        var shown = question.Length > 200 ? question[..Corpus.TextCutter.SafeLength(question, 200)] + "…" : question;
        return new Answer(shown, language, AnswerStatus.TooLong, [],
            new DeclineReason(string.Format(CultureInfo.InvariantCulture, t.TooLong, question.Length, max), [], []));
    }

    /// <summary>The answer for <paramref name="result"/> as <paramref name="decision"/> (<see cref="AbstentionPolicy"/>) says.</summary>
    public static Answer Compose(string question, Language language, RetrievalResult result, AnswerDecision decision, int top)
    {
        var citations = result.Hits.Take(top)
            .Select(h => new Citation(h.DocId, h.Title, h.Ordinal, Math.Round(h.Score, 4), h.Snippet, h.MatchedWords))
            .ToList();
        if (decision.Answer && citations.Count > 0)
        {
            return new Answer(question, language, AnswerStatus.Answered, citations, null);
        }

        return new Answer(question, language, AnswerStatus.NotFound, citations, DeclineFor(language, result, decision.Cause));
    }

    /// <summary>The reason, in the user's language: which words no article contains, or which never occur together.</summary>
    public static DeclineReason DeclineFor(Language language, RetrievalResult result, DeclineCause cause = DeclineCause.None)
    {
        var ev = result.Evidence;
        var t = UiText.For(language);
        string detail;
        if (result.Status == RetrievalStatus.NoSearchableWords)
        {
            detail = language == Language.Korean
                ? "질문에 찾아볼 만한 단어가 없습니다. 궁금한 대상을 구체적으로 적어 주세요."
                : "Your question has no words I can look up. Please name what you want to know about.";
        }
        else if (cause == DeclineCause.NoCount && result.Plan.CountedUnit == CountedUnits.Money)
        {
            detail = language == Language.Korean
                ? "질문에 맞는 단락에 금액이 나오지 않습니다."
                : "The passages that match the question give no amount of money.";
        }
        else if (cause == DeclineCause.NoCount && result.Plan.CountedUnit is { } unit)
        {
            detail = language == Language.Korean
                ? $"질문에 맞는 단락에 '{unit}' 단위의 수치가 나오지 않습니다."
                : $"The passages that match the question give no number of '{unit}'.";
        }
        else if (cause == DeclineCause.NoDate)
        {
            detail = language == Language.Korean
                ? "질문에 맞는 단락에 날짜가 나오지 않습니다."
                : "The passage that matches the question gives no date.";
        }
        else if (cause == DeclineCause.NoOther)
        {
            detail = language == Language.Korean
                ? "질문에 맞는 단락에 질문에 나온 사람 말고 다른 사람이 나오지 않습니다."
                : "The passage that matches the question names no one besides the people in the question.";
        }
        else if (ev.MissingWords.Count > 0)
        {
            detail = language == Language.Korean
                ? $"기사에 {Quote(ev.MissingWords)}{Josa(ev.MissingWords[^1])} 말이 나오지 않습니다."
                : $"The articles never mention {Quote(ev.MissingWords)}.";
        }
        else if (ev.WeakWords.Count > 0)
        {
            var found = ev.Words.Where(w => w.InCorpus && !ev.WeakWords.Contains(w.Word)).Select(w => w.Word).ToList();
            detail = language == Language.Korean
                ? found.Count > 0
                    ? $"{Quote(found)}에 대한 단락은 있지만 {Quote(ev.WeakWords)}{JosaGa(ev.WeakWords[^1])} 함께 나오는 단락은 없습니다."
                    : $"{Quote(ev.WeakWords)}{JosaGa(ev.WeakWords[^1])} 함께 나오는 단락이 없습니다."
                : found.Count > 0
                    ? $"Some passages mention {Quote(found)}, but none of them also covers {Quote(ev.WeakWords)}."
                    : $"No passage covers {Quote(ev.WeakWords)} together.";
        }
        else
        {
            detail = language == Language.Korean
                ? "질문과 충분히 겹치는 단락이 없습니다."
                : "No passage matches enough of the question.";
        }

        return new DeclineReason($"{t.NotFoundIntro} {detail}", ev.MissingWords, ev.WeakWords) { Cause = cause };
    }

    private static string Quote(IReadOnlyList<string> words) =>
        string.Join(", ", words.Take(5).Select(w => $"'{w}'"));

    /// <summary>'라는' after a vowel-final word, '이라는' after a consonant-final one (Latin: '라는').</summary>
    private static string Josa(string word) => HasFinalConsonant(word) ? "이라는" : "라는";

    private static string JosaGa(string word) => HasFinalConsonant(word) ? "이" : "가";

    private static bool HasFinalConsonant(string word)
    {
        if (word.Length == 0)
        {
            return false;
        }

        var last = word[^1];
        return last is >= '\uAC00' and <= '\uD7A3' && (last - 0xAC00) % 28 != 0;
    }
}
