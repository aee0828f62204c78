namespace Bot.Discord.Rest;

/// <summary>A message body for create-message, interaction responses and webhook edits.</summary>
internal sealed record DiscordMessagePayload
{
    public string? Content { get; init; }

    public IReadOnlyList<DiscordEmbed>? Embeds { get; init; }

    /// <summary>Action rows (message components type 1) holding buttons; null = no components.</summary>
    public IReadOnlyList<ActionRow>? Components { get; init; }

    /// <summary>Always present: <c>{"parse":[]}</c> so neither corpus text nor a question can ping anyone.</summary>
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    public MessageReference? MessageReference { get; init; }

    /// <summary>64 = EPHEMERAL (interaction responses only).</summary>
    public int? Flags { get; init; }

    /// <summary>Idempotency key for create-message retries (with <see cref="EnforceNonce"/>).</summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }

    /// <summary>Total of the characters Discord counts against the 6000 limit over all embeds.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int EmbedTotalLength => Embeds?.Sum(e => e.TotalLength) ?? 0;
}

internal sealed record DiscordEmbed
{
    public string? Title { get; init; }

    /// <summary>Makes <see cref="Title"/> a link (the cited article's original).</summary>
    public string? Url { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<DiscordEmbedField>? Fields { get; init; }

    public DiscordEmbedFooter? Footer { get; init; }

    public int? Color { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public int TotalLength =>
        (Title?.Length ?? 0) + (Description?.Length ?? 0) + (Footer?.Text.Length ?? 0) + (Fields?.Sum(f => f.Name.Length + f.Value.Length) ?? 0);
}

internal sealed record DiscordEmbedField(string Name, string Value, bool Inline = false);

internal sealed record DiscordEmbedFooter(string Text);

/// <summary><c>{"parse":[],"replied_user":false}</c>: nobody is pinged, not even the user we reply to.</summary>
internal sealed record AllowedMentions(IReadOnlyList<string> Parse, bool? RepliedUser = null)
{
    public static AllowedMentions None { get; } = new([], null);

    public static AllowedMentions NoneNotReplied { get; } = new([], false);
}

/// <summary>Message component type 1: a row of up to five buttons.</summary>
internal sealed record ActionRow(IReadOnlyList<Button> Components)
{
    public int Type => 1;
}

/// <summary>Message component type 2: a button; style 2 = SECONDARY (grey), answered through <c>custom_id</c>.</summary>
internal sealed record Button(string CustomId, string Label, ComponentEmoji Emoji, int Style = Button.Secondary)
{
    public const int Secondary = 2;

    public int Type => 2;
}

/// <summary>A unicode emoji on a component (<c>{"name":"👍"}</c>).</summary>
internal sealed record ComponentEmoji(string Name);

/// <summary>Reply target; <c>fail_if_not_exists:false</c> posts a plain message when the question was deleted.</summary>
internal sealed record MessageReference(string MessageId, string ChannelId, bool FailIfNotExists = false);

/// <summary>POST /interactions/{id}/{token}/callback body.</summary>
internal sealed record InteractionResponse(int Type, object? Data);

/// <summary>Interaction callback types used by the bot.</summary>
internal static class InteractionCallbackType
{
    /// <summary>4: answer immediately with a message.</summary>
    public const int ChannelMessageWithSource = 4;

    /// <summary>5: "thinking…"; fill in later with PATCH @original.</summary>
    public const int DeferredChannelMessageWithSource = 5;

    /// <summary>6: components only; acknowledges the click, the message with the button stays as it is, no loading state.</summary>
    public const int DeferredUpdateMessage = 6;

    /// <summary>8: autocomplete choices.</summary>
    public const int ApplicationCommandAutocompleteResult = 8;
}

internal sealed record DeferData(int? Flags);

internal sealed record AutocompleteChoice(string Name, string Value);

internal sealed record AutocompleteData(IReadOnlyList<AutocompleteChoice> Choices);

/// <summary>GET /gateway/bot result.</summary>
internal sealed record GatewayBotInfo(string Url, int Shards, int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);
