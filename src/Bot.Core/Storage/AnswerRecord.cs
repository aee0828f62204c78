using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Bot.Core.Storage;

/// <summary>
/// Answer ids and the feedback buttons' custom ids.
/// <para>
/// When an adapter sends an answer, it mints an id with <see cref="NewId"/> (16 characters of <c>[0-9a-z]</c>, 80 random
/// bits, no user or channel data) and puts <see cref="FeedbackCustomId"/> on its two buttons:
/// <c>fb:{answerId}:up</c> and <c>fb:{answerId}:down</c> (at most 22 characters: fits Discord's 100-character
/// <c>custom_id</c> and Slack's 255-character <c>action_id</c>/<c>value</c>). On a click it calls
/// <see cref="TryParseFeedback"/> (custom ids come from the client: never trust them unparsed), acknowledges within 3 s,
/// then calls <see cref="FeedbackStore.RecordVote"/> with the clicking user's platform id (hashed there, never stored).
/// </para>
/// </summary>
public static class AnswerRecord
{
    public const string FeedbackPrefix = "fb";
    public const int IdLength = 16;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>A new random answer id.</summary>
    public static string NewId()
    {
        Span<char> id = stackalloc char[IdLength];
        for (var i = 0; i < IdLength; i++)
        {
            id[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(id);
    }

    /// <summary>True when <paramref name="id"/> has the shape <see cref="NewId"/> produces.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        id is { Length: IdLength } && id.All(ch => ch is (>= '0' and <= '9') or (>= 'a' and <= 'z'));

    /// <summary>"fb:{answerId}:up" or "fb:{answerId}:down".</summary>
    public static string FeedbackCustomId(string answerId, bool up)
    {
        if (!IsValidId(answerId))
        {
            throw new ArgumentException("not an answer id minted by AnswerRecord.NewId", nameof(answerId));
        }

        return $"{FeedbackPrefix}:{answerId}:{(up ? "up" : "down")}";
    }

    /// <summary>Parses a feedback button's custom id; false for anything else (other buttons, tampered ids).</summary>
    public static bool TryParseFeedback(string? customId, [NotNullWhen(true)] out string? answerId, out bool up)
    {
        answerId = null;
        up = false;
        var parts = customId?.Split(':');
        if (parts is not { Length: 3 } || parts[0] != FeedbackPrefix || !IsValidId(parts[1]) || parts[2] is not ("up" or "down"))
        {
            return false;
        }

        answerId = parts[1];
        up = parts[2] == "up";
        return true;
    }
}
