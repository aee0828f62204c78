using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Corpus;
using Bot.Core.Digests;
using Bot.Core.Search;
using Bot.Core.Storage;
using Bot.Dashboard.Data;

namespace Bot.Dashboard;

/// <summary>What every page needs: the words in the reader's language, and the URL to switch language.</summary>
public sealed record PageContext(DashboardText T, string Path, string SwitchUrl, bool SignedInWithCookie);

public sealed record OverviewModel(IndexManifest? Manifest, long IndexBytes, IReadOnlyList<PlatformStatus> Platforms, IReadOnlyList<DayStats> Days);

public sealed record QuestionsModel(QuestionFilter Filter, QuestionPage Page, IReadOnlyList<string> Platforms);

/// <summary>A logged question with the passage it cited (from the current corpus), if any.</summary>
public sealed record QuestionDetailModel(QuestionDetail Detail, Passage? Passage, string? ArticleTitle);

public sealed record AskModel(string Question, Answer? Answer, RetrievalResult? Result, double MinCoverage, IReadOnlyList<PlatformView> Views);

public sealed record ArticlesModel(IReadOnlyList<Article> Articles, int Page, int Pages);

public sealed record DigestScheduleView(DigestSchedule Schedule, DateTimeOffset? NextUtc);

public sealed record DigestsModel(IReadOnlyList<DigestScheduleView> Schedules, IReadOnlyList<DigestRun> Runs, int Page, int Pages, string? PreviewName, string? PreviewText, bool PreviewEmpty);
