using System.Globalization;
using Bot.Core.Answers;

namespace Bot.Core.Digests;

/// <summary>The words of a digest, in Korean and English (renderers add markup).</summary>
public sealed record DigestText(
    string TitleFormat,
    string DateFormat,
    string TimeFormat,
    string NewArticlesHeading,
    string TopQuestionsHeading,
    string UnansweredHeading,
    string AddedLabel,
    string ChangedLabel,
    string AskedTimes,
    string NothingNewHeading,
    string NothingNew,
    string PeriodFooter,
    string MoreItems)
{
    public static DigestText Korean { get; } = new(
        TitleFormat: "{0} 다이제스트 · {1}",
        DateFormat: "yyyy년 M월 d일",
        TimeFormat: "M월 d일 HH:mm",
        NewArticlesHeading: "새로 들어오거나 바뀐 기사",
        TopQuestionsHeading: "많이 나온 질문",
        UnansweredHeading: "답하지 못한 질문 (기사 보강이 필요합니다)",
        AddedLabel: "새 기사",
        ChangedLabel: "수정됨",
        AskedTimes: "{0}회",
        NothingNewHeading: "요약",
        NothingNew: "이번 기간에는 새 기사도, 질문도 없었습니다.",
        PeriodFooter: "기간: {0} ~ {1} ({2})",
        MoreItems: "그 밖에 {0}건이 더 있습니다.");

    public static DigestText English { get; } = new(
        TitleFormat: "{0} digest · {1}",
        DateFormat: "MMMM d, yyyy",
        TimeFormat: "MMM d HH:mm",
        NewArticlesHeading: "New and changed articles",
        TopQuestionsHeading: "Most asked questions",
        UnansweredHeading: "Questions the articles could not answer",
        AddedLabel: "new",
        ChangedLabel: "updated",
        AskedTimes: "asked {0}×",
        NothingNewHeading: "Summary",
        NothingNew: "No new articles and no questions in this period.",
        PeriodFooter: "Period: {0} – {1} ({2})",
        MoreItems: "{0} more not shown.");

    public static DigestText For(Language language) => language == Language.Korean ? Korean : English;

    public string Title(string schedule, DateTime localDate) => Format(TitleFormat, schedule, localDate.ToString(DateFormat, CultureInfo.InvariantCulture));

    public string Times(int count) => Format(AskedTimes, count);

    public string More(int count) => Format(MoreItems, count);

    public string Period(DateTime localFrom, DateTime localTo, string zone) =>
        Format(PeriodFooter, localFrom.ToString(TimeFormat, CultureInfo.InvariantCulture), localTo.ToString(TimeFormat, CultureInfo.InvariantCulture), zone);

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}
