namespace Bot.Discord;

/// <summary>
/// The application commands the bot registers by bulk overwrite (<c>PUT …/commands</c>): /ask, /search, /source
/// (with autocomplete), /help as CHAT_INPUT with Korean localizations, and the "Find sources" message command.
/// The list is constant, so re-registering on every start is idempotent.
/// </summary>
internal static class DiscordCommands
{
    public const string Ask = "ask";
    public const string Search = "search";
    public const string Source = "source";
    public const string Help = "help";
    public const string FindSources = "Find sources";

    /// <summary>1 CHAT_INPUT (slash), 3 MESSAGE (context menu).</summary>
    public const int ChatInput = 1;
    public const int MessageCommand = 3;

    private const int OptionString = 3;
    private const int OptionInteger = 4;

    public static IReadOnlyList<CommandDefinition> All { get; } =
    [
        new CommandDefinition
        {
            Name = Ask,
            Type = ChatInput,
            Description = "Ask a question about the Korean articles",
            NameLocalizations = Ko("질문"),
            DescriptionLocalizations = Ko("기사에 대해 질문합니다"),
            Options =
            [
                new CommandOption
                {
                    Type = OptionString, Name = "question", Description = "What to look up", Required = true, MaxLength = 300,
                    NameLocalizations = Ko("질문"), DescriptionLocalizations = Ko("찾아볼 내용"),
                },
                new CommandOption
                {
                    Type = OptionInteger, Name = "top", Description = "How many sources (1-5)", Required = false, MinValue = 1, MaxValue = 5,
                    NameLocalizations = Ko("개수"), DescriptionLocalizations = Ko("출처 개수 (1-5)"),
                },
            ],
        },
        new CommandDefinition
        {
            Name = Search,
            Type = ChatInput,
            Description = "Show the five closest passages",
            NameLocalizations = Ko("검색"),
            DescriptionLocalizations = Ko("관련 단락 다섯 개를 보여 줍니다"),
            Options =
            [
                new CommandOption
                {
                    Type = OptionString, Name = "query", Description = "Words to search for", Required = true, MaxLength = 300,
                    NameLocalizations = Ko("검색어"), DescriptionLocalizations = Ko("찾을 낱말"),
                },
            ],
        },
        new CommandDefinition
        {
            Name = Source,
            Type = ChatInput,
            Description = "Show an article: title, opening, passage count",
            NameLocalizations = Ko("기사"),
            DescriptionLocalizations = Ko("기사의 제목, 첫머리, 단락 수를 보여 줍니다"),
            Options =
            [
                new CommandOption
                {
                    Type = OptionString, Name = "document", Description = "Article title or id", Required = true, Autocomplete = true,
                    NameLocalizations = Ko("기사"), DescriptionLocalizations = Ko("기사 제목 또는 id"),
                },
            ],
        },
        new CommandDefinition
        {
            Name = Help,
            Type = ChatInput,
            Description = "How to use this bot",
            NameLocalizations = Ko("도움말"),
            DescriptionLocalizations = Ko("사용법을 알려 줍니다"),
        },
        new CommandDefinition
        {
            Name = FindSources,
            Type = MessageCommand,
            NameLocalizations = Ko("출처 찾기"),
        },
    ];

    private static Dictionary<string, string> Ko(string text) => new() { ["ko"] = text };
}

/// <summary>An application command as sent to the bulk-overwrite endpoint.</summary>
internal sealed record CommandDefinition
{
    public required string Name { get; init; }

    public int Type { get; init; } = DiscordCommands.ChatInput;

    /// <summary>Required for CHAT_INPUT, omitted for MESSAGE commands.</summary>
    public string? Description { get; init; }

    public Dictionary<string, string>? NameLocalizations { get; init; }

    public Dictionary<string, string>? DescriptionLocalizations { get; init; }

    public IReadOnlyList<CommandOption>? Options { get; init; }

    /// <summary>0 GUILD, 1 BOT_DM.</summary>
    public IReadOnlyList<int> Contexts { get; init; } = [0, 1];

    /// <summary>0 GUILD_INSTALL.</summary>
    public IReadOnlyList<int> IntegrationTypes { get; init; } = [0];
}

internal sealed record CommandOption
{
    public int Type { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public bool Required { get; init; }

    public bool? Autocomplete { get; init; }

    public int? MaxLength { get; init; }

    public int? MinValue { get; init; }

    public int? MaxValue { get; init; }

    public Dictionary<string, string>? NameLocalizations { get; init; }

    public Dictionary<string, string>? DescriptionLocalizations { get; init; }
}
