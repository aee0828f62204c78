using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.Core.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Core.Digests;

/// <summary>A composed digest; <see cref="IsEmpty"/> when no section had anything to say.</summary>
public sealed record DigestContent(BotMessage Message, bool IsEmpty, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd);

/// <summary>
/// Builds a digest for one period as a platform-neutral <see cref="BotMessage"/>: (1) articles added or changed, each
/// with its title and an extractive summary, (2) the most asked questions with their best citation (retrieval re-run
/// now, so the citation matches the current articles), (3) the questions the articles could not answer. A section with
/// nothing to say is left out. Privacy: the questions shown are only those asked in the target channel itself, where
/// everyone who reads the digest could already see them; DMs, ephemeral lookups and other channels never appear.
/// </summary>
public sealed class DigestComposer
{
    private static readonly QueryContext DigestContext = new(QueryLogStore.InternalPlatform, "");
    private readonly QueryLogStore _log;
    private readonly ArticleSnapshotStore _snapshots;
    private readonly IQuestionHandler _handler;
    private readonly CorpusOptions _corpus;
    private readonly DigestOptions _options;

    public DigestComposer(QueryLogStore log, ArticleSnapshotStore snapshots, IQuestionHandler handler, IOptions<CorpusOptions> corpus, IOptions<DigestOptions> options)
    {
        _log = log;
        _snapshots = snapshots;
        _handler = handler;
        _corpus = corpus.Value;
        _options = options.Value;
    }

    /// <summary>Composes the digest for (<paramref name="periodStart"/>, <paramref name="periodEnd"/>] as <paramref name="target"/> may see it.</summary>
    public async Task<DigestContent> ComposeAsync(DigestSchedule schedule, ChannelRef target, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken)
    {
        var text = DigestText.For(schedule.Language);
        var sections = new List<BotSection>();
        foreach (var section in schedule.Sections)
        {
            var built = section switch
            {
                DigestSection.NewArticles => NewArticles(text, periodStart, periodEnd),
                DigestSection.TopQuestions => await TopQuestionsAsync(text, target, periodStart, periodEnd, cancellationToken).ConfigureAwait(false),
                DigestSection.Unanswered => Unanswered(text, target, periodStart, periodEnd),
                _ => null,
            };
            if (built is { Items.Count: > 0 })
            {
                sections.Add(built);
            }
        }

        var isEmpty = sections.Count == 0;
        if (isEmpty)
        {
            sections.Add(new BotSection(text.NothingNewHeading, [new BotItem(text.NothingNew)]));
        }

        var localEnd = TimeZoneInfo.ConvertTime(periodEnd, schedule.Zone).DateTime;
        var localStart = TimeZoneInfo.ConvertTime(periodStart, schedule.Zone).DateTime;
        var message = new BotMessage(text.Title(schedule.Title, localEnd), sections, schedule.Language, text.Period(localStart, localEnd, schedule.Zone.Id));
        return new DigestContent(message, isEmpty, periodStart, periodEnd);
    }

    private BotSection? NewArticles(DigestText text, DateTimeOffset from, DateTimeOffset to)
    {
        var changed = _snapshots.ChangedBetween(from, to);
        if (changed.Count == 0)
        {
            return null;
        }

        var items = new List<BotItem>();
        var shown = 0;
        foreach (var snap in changed.OrderByDescending(s => s.LastChanged).ThenBy(s => s.DocId, StringComparer.Ordinal))
        {
            if (shown == _options.NewArticlesCount)
            {
                break;
            }

            var article = Load(snap.DocId);
            if (article is null)
            {
                continue;
            }

            var summary = ExtractiveSummarizer.Summarize(article, _options.SummarySentences);
            var label = snap.IsNew ? text.AddedLabel : text.ChangedLabel;
            if (article.Metadata.Published is { } published)
            {
                label = $"{UiText.DateText(published)}, {label}";
            }

            var head = $"{article.Title} ({label})";
            items.Add(new BotItem(summary.Length == 0 ? head : $"{head}\n{summary}"));
            shown++;
        }

        if (changed.Count > shown && shown > 0)
        {
            items.Add(new BotItem(text.More(changed.Count - shown)));
        }

        return new BotSection(text.NewArticlesHeading, items);
    }

    private async Task<BotSection?> TopQuestionsAsync(DigestText text, ChannelRef target, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var stats = _log.TopAnswered(target, from, to, _options.TopQuestionsCount);
        if (stats.Items.Count == 0)
        {
            return null;
        }

        var items = new List<BotItem>(stats.Items.Count + 1);
        foreach (var q in stats.Items)
        {
            var answer = await _handler.AskAsync(q.Question, DigestContext, 1, ct).ConfigureAwait(false);
            var citation = answer.Status == AnswerStatus.Answered ? answer.Best : null;
            items.Add(new BotItem($"“{q.Question}” — {text.Times(q.Count)}", citation));
        }

        if (stats.TotalDistinct > stats.Items.Count)
        {
            items.Add(new BotItem(text.More(stats.TotalDistinct - stats.Items.Count)));
        }

        return new BotSection(text.TopQuestionsHeading, items);
    }

    private BotSection? Unanswered(DigestText text, ChannelRef target, DateTimeOffset from, DateTimeOffset to)
    {
        var stats = _log.Unanswered(target, from, to, _options.UnansweredCount);
        if (stats.Items.Count == 0)
        {
            return null;
        }

        var items = stats.Items
            .Select(q => new BotItem(string.IsNullOrEmpty(q.Reason) ? $"“{q.Question}” — {text.Times(q.Count)}" : $"“{q.Question}” — {text.Times(q.Count)}\n{q.Reason}"))
            .ToList();
        if (stats.TotalDistinct > stats.Items.Count)
        {
            items.Add(new BotItem(text.More(stats.TotalDistinct - stats.Items.Count)));
        }

        return new BotSection(text.UnansweredHeading, items);
    }

    private Article? Load(string docId)
    {
        try
        {
            return CorpusLoader.LoadOne(_corpus.SeedsPath, docId);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
