namespace Bot.Core.Answers;

/// <summary>
/// User-facing words shared by every renderer, in Korean and English. Renderers add markup; the words live here so both
/// platforms say the same thing.
/// </summary>
public sealed record UiText(
    string SourcesHeading,
    string MoreSourcesHeading,
    string PassageLabel,
    string NotFoundIntro,
    string EmptyQuestion,
    string TooLong,
    string Working,
    string HelpTitle,
    string HelpBody,
    string SourceNotFound,
    string SourceSuggestions,
    string PassageCountLabel,
    string ErrorGeneric,
    string Expired,
    string FeedbackThanks,
    string FeedbackChanged,
    string FeedbackHelpful,
    string FeedbackNotHelpful,
    string Busy,
    string FollowUpNote,
    string MoreSourcesButton,
    string ButtonExpired,
    string WholePassageButton,
    string PassageChoiceButton,
    string PreviousPassage,
    string NextPassage)
{
    public static UiText Korean { get; } = new(
        SourcesHeading: "출처",
        MoreSourcesHeading: "다른 출처",
        PassageLabel: "{0}번째 단락",
        NotFoundIntro: "기사에서 답을 찾지 못했습니다.",
        EmptyQuestion: "질문이 비어 있습니다. 기사에 대해 궁금한 점을 적어 주세요.",
        TooLong: "질문이 너무 깁니다({0}자). {1}자 이내로 줄여 주세요.",
        Working: "기사를 찾는 중입니다…",
        HelpTitle: "도움말",
        HelpBody: "딥시크 관련 한국어 기사에서 답을 찾아 인용과 함께 알려 드립니다.\n" +
                  "• 멘션하거나 DM으로 질문하세요.\n" +
                  "• /ask 질문 — 가장 알맞은 단락을 인용해 답합니다.\n" +
                  "• /search 검색어 — 관련 단락 5개를 보여 줍니다.\n" +
                  "• /source 기사 — 기사 제목, 첫머리, 단락 수를 보여 줍니다.\n" +
                  "• 메시지 메뉴의 \"Find sources\" — 그 메시지의 주장을 기사에서 찾습니다.\n" +
                  "기사에 없는 내용이면 없다고, 그리고 왜 그런지 말씀드립니다.",
        SourceNotFound: "'{0}'에 해당하는 기사가 없습니다.",
        SourceSuggestions: "이런 기사가 있습니다:",
        PassageCountLabel: "단락 {0}개",
        ErrorGeneric: "죄송합니다. 답을 만드는 중 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.",
        Expired: "응답 시간이 지나 답을 보내지 못했습니다.",
        FeedbackThanks: "의견 감사합니다! 답변 개선에 반영하겠습니다.",
        FeedbackChanged: "평가를 바꿨습니다. 감사합니다!",
        FeedbackHelpful: "도움이 됐어요",
        FeedbackNotHelpful: "도움이 안 됐어요",
        Busy: "지금 질문이 많아 바로 답하기 어렵습니다. 잠시 후 다시 질문해 주세요.",
        FollowUpNote: "앞선 질문 “{0}”에 이어서 답합니다.",
        MoreSourcesButton: "출처 더 보기",
        ButtonExpired: "이 버튼은 만료되었거나 올바르지 않습니다. 다시 질문해 주세요.",
        WholePassageButton: "단락 전체 보기",
        PassageChoiceButton: "전체 보기: {0}",
        PreviousPassage: "앞 단락",
        NextPassage: "다음 단락");

    public static UiText English { get; } = new(
        SourcesHeading: "Sources",
        MoreSourcesHeading: "More sources",
        PassageLabel: "passage {0}",
        NotFoundIntro: "The articles don't answer that.",
        EmptyQuestion: "Your question is empty. Ask me something about the articles.",
        TooLong: "Your question is too long ({0} characters). Please keep it under {1}.",
        Working: "Looking through the articles…",
        HelpTitle: "Help",
        HelpBody: "I answer questions about a set of Korean articles on DeepSeek, quoting the passage I found.\n" +
                  "• Mention me or send me a DM.\n" +
                  "• /ask question — the best passage, quoted and cited.\n" +
                  "• /search query — the five closest passages.\n" +
                  "• /source article — an article's title, opening and passage count.\n" +
                  "• \"Find sources\" in a message's menu — looks up what that message claims.\n" +
                  "When the articles don't cover something, I say so and why.",
        SourceNotFound: "No article matches '{0}'.",
        SourceSuggestions: "Articles you can ask for:",
        PassageCountLabel: "{0} passages",
        ErrorGeneric: "Sorry, something went wrong while answering. Please try again in a moment.",
        Expired: "The answer took too long and could not be delivered.",
        FeedbackThanks: "Thanks for the feedback!",
        FeedbackChanged: "Your vote was changed. Thanks!",
        FeedbackHelpful: "Helpful",
        FeedbackNotHelpful: "Not helpful",
        Busy: "I'm busy with other questions right now. Please try again in a moment.",
        FollowUpNote: "Following on from the earlier question “{0}”.",
        MoreSourcesButton: "More sources",
        ButtonExpired: "This button has expired or is not valid. Please ask again.",
        WholePassageButton: "Whole passage",
        PassageChoiceButton: "Read: {0}",
        PreviousPassage: "Previous passage",
        NextPassage: "Next passage");

    public static UiText For(Language language) => language == Language.Korean ? Korean : English;

    /// <summary>A decline's choice button: "전체 보기: 기사 제목, 3번째 단락" (callers cut it to the platform's label limit).</summary>
    public string PassageChoice(Citation citation) => string.Format(System.Globalization.CultureInfo.InvariantCulture, PassageChoiceButton, CitationLine(citation));

    public string Passage(int number) => string.Format(System.Globalization.CultureInfo.InvariantCulture, PassageLabel, number);

    /// <summary>"Article title, passage 3" / "기사 제목, 3번째 단락".</summary>
    public string CitationLine(Citation citation) => citation.Title + CitationSuffix(citation);

    /// <summary>What follows the title in <see cref="CitationLine"/>: the date when the article has one, then the passage.</summary>
    public string CitationSuffix(Citation citation) =>
        citation.Published is { } date ? $" ({DateText(date)}), {Passage(citation.Passage)}" : $", {Passage(citation.Passage)}";

    /// <summary>An article's date as shown in citations, /source and digests (ISO, the same in both languages).</summary>
    public static string DateText(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
