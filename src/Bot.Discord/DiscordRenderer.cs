using System.Globalization;
using System.Text;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Bot.Core.Storage;
using Bot.Discord.Rest;

namespace Bot.Discord;

/// <summary>How an answer is laid out.</summary>
internal enum AnswerStyle
{
    /// <summary>Mentions, DMs, /ask, "Find sources": the best passage quoted, its citation, up to two more sources.</summary>
    Ask,

    /// <summary>/search: up to five passages, compact.</summary>
    Search,
}

/// <summary>
/// Owns Discord markup and limits. Corpus and user text only ever goes into places that render Markdown
/// (content, embed description, field values), escaped; titles, field names and footers carry only our own UI words.
/// Every payload carries <c>allowed_mentions: {"parse": []}</c>.
/// </summary>
internal sealed class DiscordRenderer
{
    public const int MaxContent = 2000;
    public const int MaxTitle = 256;
    public const int MaxDescription = 4096;
    public const int MaxFieldName = 256;
    public const int MaxFieldValue = 1024;
    public const int MaxFooter = 2048;
    public const int MaxFields = 25;
    public const int MaxEmbedTotal = 6000;
    public const int MaxEmbeds = 10;
    public const int MaxButtonLabel = 80;
    public const string ThumbsUp = "\U0001F44D";
    public const string ThumbsDown = "\U0001F44E";

    /// <summary>Accent colour of answer embeds.</summary>
    public const int Color = 0x3B82F6;

    private const int BestSnippetBudget = 1800;
    private const int MoreSnippetBudget = 300;
    private const int MoreSources = 2;
    private const int DigestItemBudget = 1500;

    public DiscordMessagePayload RenderAnswer(Answer answer, AnswerStyle style = AnswerStyle.Ask)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var ui = UiText.For(answer.Language);
        if (answer.Status != AnswerStatus.Answered || answer.Citations.Count == 0)
        {
            return RenderText(answer.Decline?.Message ?? ui.NotFoundIntro);
        }

        return style == AnswerStyle.Search ? RenderSearch(answer, ui) : RenderAsk(answer, ui);
    }

    public DiscordMessagePayload RenderSource(SourceResult result, Language? language = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var ui = UiText.For(language ?? result.Language);
        if (result.Article is { } article)
        {
            var description = new StringBuilder()
                .Append(DiscordSourceLinks.ArticleHeading(article, MaxTitle))
                .Append(DiscordMarkdown.EscapeAndCut(article.Opening, MaxDescription - 600))
                .Append("\n\n`").Append(TextCutter.Cut(article.DocId.Replace("`", "'", StringComparison.Ordinal), 100)).Append('`');
            return Fit(new DiscordMessagePayload
            {
                Embeds =
                [
                    new DiscordEmbed
                    {
                        Description = description.ToString(),
                        Footer = new DiscordEmbedFooter(string.Format(CultureInfo.InvariantCulture, ui.PassageCountLabel, article.PassageCount)),
                        Color = Color,
                    },
                ],
            });
        }

        var text = new StringBuilder(DiscordMarkdown.EscapeAndCut(string.Format(CultureInfo.InvariantCulture, ui.SourceNotFound, result.Query), 500));
        if (result.Suggestions.Count > 0)
        {
            text.Append('\n').Append(ui.SourceSuggestions);
            foreach (var s in result.Suggestions.Take(10))
            {
                text.Append("\n• ").Append(DiscordMarkdown.EscapeAndCut(s.Title, 150));
            }
        }

        return RenderRaw(text.ToString());
    }

    public DiscordMessagePayload RenderHelp(Language language)
    {
        var ui = UiText.For(language);
        return Fit(new DiscordMessagePayload
        {
            Embeds = [new DiscordEmbed { Title = TextCutter.Cut(ui.HelpTitle, MaxTitle), Description = TextCutter.Cut(ui.HelpBody, MaxDescription), Color = Color }],
        });
    }

    /// <summary>The reply to a mention that has no question: the empty-question line plus the help text.</summary>
    public DiscordMessagePayload RenderEmptyQuestion(Language language)
    {
        var ui = UiText.For(language);
        return Fit(new DiscordMessagePayload
        {
            Content = DiscordMarkdown.EscapeAndCut(ui.EmptyQuestion, MaxContent),
            Embeds = [new DiscordEmbed { Title = TextCutter.Cut(ui.HelpTitle, MaxTitle), Description = TextCutter.Cut(ui.HelpBody, MaxDescription), Color = Color }],
        });
    }

    /// <summary>
    /// Adds the feedback row under an answer: one action row with two grey buttons, 👍 <see cref="UiText.FeedbackHelpful"/>
    /// and 👎 <see cref="UiText.FeedbackNotHelpful"/> in the answer's language, whose <c>custom_id</c>s are
    /// <see cref="AnswerRecord.FeedbackCustomId"/> for <paramref name="answerId"/> (≤ 22 of Discord's 100 characters).
    /// </summary>
    public static DiscordMessagePayload WithFeedback(DiscordMessagePayload payload, Language language, string answerId)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var ui = UiText.For(language);
        return payload with
        {
            Components =
            [
                new ActionRow(
                [
                    new Button(AnswerRecord.FeedbackCustomId(answerId, up: true), TextCutter.Cut(ui.FeedbackHelpful, MaxButtonLabel), new ComponentEmoji(ThumbsUp)),
                    new Button(AnswerRecord.FeedbackCustomId(answerId, up: false), TextCutter.Cut(ui.FeedbackNotHelpful, MaxButtonLabel), new ComponentEmoji(ThumbsDown)),
                ]),
            ],
        };
    }

    /// <summary>Plain text (declines, errors), escaped and cut to 2000.</summary>
    public DiscordMessagePayload RenderText(string text) => new() { Content = DiscordMarkdown.EscapeAndCut(text, MaxContent) };

    private static DiscordMessagePayload RenderRaw(string markdown) => new() { Content = TextCutter.Cut(markdown, MaxContent) };

    private DiscordMessagePayload RenderAsk(Answer answer, UiText ui)
    {
        var best = answer.Citations[0];
        var description = new StringBuilder()
            .Append(DiscordMarkdown.QuoteSnippet(best.Snippet, BestSnippetBudget))
            .Append("\n\n— ")
            .Append(DiscordSourceLinks.Citation(ui, best, 400));
        var fields = new List<DiscordEmbedField>();
        var more = new StringBuilder();
        foreach (var c in answer.Citations.Skip(1).Take(MoreSources))
        {
            var entry = new StringBuilder()
                .Append("• ").Append(DiscordSourceLinks.Citation(ui, c, 300)).Append('\n')
                .Append(DiscordMarkdown.QuoteSnippet(c.Snippet, MoreSnippetBudget));
            if (more.Length > 0 && more.Length + 1 + entry.Length > MaxFieldValue)
            {
                break;
            }

            if (more.Length > 0)
            {
                more.Append('\n');
            }

            more.Append(entry);
        }

        if (more.Length > 0)
        {
            fields.Add(new DiscordEmbedField(TextCutter.Cut(ui.MoreSourcesHeading, MaxFieldName), TextCutter.Cut(more.ToString(), MaxFieldValue)));
        }

        return Fit(new DiscordMessagePayload
        {
            Embeds =
            [
                new DiscordEmbed
                {
                    Title = TextCutter.Cut(ui.SourcesHeading, MaxTitle),
                    Url = best.Url, // the embed's title links to the best citation's article
                    Description = description.ToString(),
                    Fields = fields.Count > 0 ? fields : null,
                    Color = Color,
                },
            ],
        });
    }

    private DiscordMessagePayload RenderSearch(Answer answer, UiText ui)
    {
        var fields = new List<DiscordEmbedField>();
        var i = 0;
        foreach (var c in answer.Citations.Take(MaxFields))
        {
            i++;
            var value = new StringBuilder()
                .Append(DiscordMarkdown.QuoteSnippet(c.Snippet, MaxFieldValue - 260))
                .Append("\n— ")
                .Append(DiscordSourceLinks.Citation(ui, c, 250));
            fields.Add(new DiscordEmbedField("[" + i.ToString(CultureInfo.InvariantCulture) + "]", value.ToString()));
        }

        return Fit(new DiscordMessagePayload
        {
            Embeds = [new DiscordEmbed { Title = TextCutter.Cut(ui.SourcesHeading, MaxTitle), Fields = fields, Color = Color }],
        });
    }

    /// <summary>
    /// Renders a digest into as many messages as Discord's limits need: the title as the first message's content,
    /// each section as embeds (continued in order when long), at most 10 embeds and 6000 embed characters per message.
    /// </summary>
    public IReadOnlyList<DiscordMessagePayload> RenderMessage(BotMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var ui = UiText.For(message.Language);
        var messages = new List<DiscordMessagePayload>();
        var embeds = new List<DiscordEmbed>();
        var total = 0;
        string? content = "**" + DiscordMarkdown.EscapeAndCut(message.Title, MaxContent - 4) + "**";

        void Flush()
        {
            if (embeds.Count == 0 && content is null)
            {
                return;
            }

            messages.Add(new DiscordMessagePayload { Content = content, Embeds = embeds.Count > 0 ? embeds.ToList() : null });
            embeds.Clear();
            total = 0;
            content = null;
        }

        void AddEmbed(string description)
        {
            if (embeds.Count >= MaxEmbeds || total + description.Length > MaxEmbedTotal)
            {
                Flush();
            }

            embeds.Add(new DiscordEmbed { Description = description, Color = Color });
            total += description.Length;
        }

        foreach (var section in message.Sections)
        {
            var heading = "**" + DiscordMarkdown.EscapeAndCut(section.Heading, MaxTitle) + "**";
            var current = new StringBuilder(heading);
            var hasItems = false;
            foreach (var item in section.Items)
            {
                var rendered = RenderItem(item, ui);
                if (current.Length + 1 + rendered.Length > MaxDescription)
                {
                    AddEmbed(current.ToString());
                    current.Clear().Append(heading);
                }

                current.Append('\n').Append(rendered);
                hasItems = true;
            }

            if (hasItems || current.Length > 0)
            {
                AddEmbed(current.ToString());
            }
        }

        if (!string.IsNullOrWhiteSpace(message.Footer))
        {
            if (embeds.Count == 0)
            {
                AddEmbed(DiscordMarkdown.EscapeAndCut(message.Footer, MaxDescription));
            }
            else
            {
                var last = embeds[^1];
                var footer = TextCutter.Cut(message.Footer, MaxFooter);
                if (total + footer.Length > MaxEmbedTotal)
                {
                    AddEmbed(DiscordMarkdown.EscapeAndCut(message.Footer, MaxDescription));
                }
                else
                {
                    embeds[^1] = last with { Footer = new DiscordEmbedFooter(footer) };
                    total += footer.Length;
                }
            }
        }

        Flush();
        return messages;
    }

    private static string RenderItem(BotItem item, UiText ui)
    {
        var sb = new StringBuilder("• ").Append(DiscordMarkdown.EscapeAndCut(item.Text, 600));
        if (item.Citation is { } c)
        {
            sb.Append('\n').Append(DiscordMarkdown.QuoteSnippet(c.Snippet, 600)).Append("\n— ").Append(DiscordSourceLinks.Citation(ui, c, 250));
        }

        return sb.Length > DigestItemBudget ? TextCutter.Cut(sb.ToString(), DigestItemBudget) : sb.ToString();
    }

    /// <summary>Last line of defence: enforce every per-field limit and the 6000 total by dropping trailing fields.</summary>
    internal static DiscordMessagePayload Fit(DiscordMessagePayload payload)
    {
        var embeds = payload.Embeds?.Take(MaxEmbeds).Select(e => e with
        {
            Title = e.Title is null ? null : TextCutter.Cut(e.Title, MaxTitle),
            Description = e.Description is null ? null : TextCutter.Cut(e.Description, MaxDescription),
            Footer = e.Footer is null ? null : new DiscordEmbedFooter(TextCutter.Cut(e.Footer.Text, MaxFooter)),
            Fields = e.Fields?.Take(MaxFields)
                .Select(f => new DiscordEmbedField(TextCutter.Cut(f.Name, MaxFieldName), TextCutter.Cut(f.Value, MaxFieldValue), f.Inline))
                .ToList(),
        }).ToList();
        while (embeds is not null && embeds.Sum(e => e.TotalLength) > MaxEmbedTotal)
        {
            var last = embeds[^1];
            if (last.Fields is { Count: > 0 } fields)
            {
                embeds[^1] = last with { Fields = fields.Take(fields.Count - 1).ToList() };
            }
            else if (embeds.Count > 1)
            {
                embeds.RemoveAt(embeds.Count - 1);
            }
            else
            {
                var excess = embeds.Sum(e => e.TotalLength) - MaxEmbedTotal;
                embeds[^1] = last with { Description = TextCutter.Cut(last.Description, Math.Max(1, (last.Description?.Length ?? 0) - excess)) };
                break;
            }
        }

        return payload with
        {
            Content = payload.Content is null ? null : TextCutter.Cut(payload.Content, MaxContent),
            Embeds = embeds,
        };
    }
}
