using System.Text.RegularExpressions;

namespace Bot.Core.Search;

/// <summary>How well a passage fits the kind of answer a question's cues ask for (<see cref="QuestionCue"/>): a number for
/// "how much", a date for "when". Used by the re-ranking as a small bonus.</summary>
internal static partial class QuestionCues
{
    /// <summary>One point for each cue of <paramref name="cues"/> that <paramref name="text"/> answers in kind.</summary>
    public static double Bonus(QuestionCue cues, string text)
    {
        var bonus = 0.0;
        if (cues.HasFlag(QuestionCue.Amount) && AmountRegex().IsMatch(text))
        {
            bonus += 1;
        }

        if (cues.HasFlag(QuestionCue.Date) && DateRegex().IsMatch(text))
        {
            bonus += 1;
        }

        return bonus;
    }

    [GeneratedRegex(@"\d")]
    private static partial Regex AmountRegex();

    [GeneratedRegex(@"\d{4}\s*년|\d{1,2}\s*월|\d{4}[.\-/]\d{1,2}|(19|20)\d{2}")]
    private static partial Regex DateRegex();
}
