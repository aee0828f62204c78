using Bot.Core.Answers;

namespace Bot.Core.Chat;

/// <summary>
/// A platform-neutral message (used for digests): a title and ordered sections of items. Plain text only;
/// renderers escape it and apply the platform's markup and limits.
/// </summary>
public sealed record BotMessage(string Title, IReadOnlyList<BotSection> Sections, Language Language, string? Footer = null);

/// <summary>A headed group of items.</summary>
public sealed record BotSection(string Heading, IReadOnlyList<BotItem> Items);

/// <summary>One item: plain text and, optionally, the passage it cites (quoted and attributed by the renderer).</summary>
public sealed record BotItem(string Text, Citation? Citation = null);
