namespace Bot.Core.Answers;

/// <summary>Tells whether a user wrote in Korean or English, so the reply follows the user.</summary>
public static class LanguageDetector
{
    /// <summary>
    /// Korean when the text has any Hangul; English when it has Latin letters and no Hangul; otherwise
    /// <paramref name="fallback"/> (punctuation, digits or emoji only).
    /// </summary>
    public static Language Detect(string? text, Language fallback = Language.Korean)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        var latin = false;
        foreach (var ch in text)
        {
            if (IsHangul(ch))
            {
                return Language.Korean;
            }

            if (ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z'))
            {
                latin = true;
            }
        }

        return latin ? Language.English : fallback;
    }

    /// <summary>Hangul syllables, Jamo and compatibility Jamo.</summary>
    public static bool IsHangul(char ch) =>
        ch is (>= '\uAC00' and <= '\uD7A3') or (>= '\u1100' and <= '\u11FF') or (>= '\u3130' and <= '\u318F');
}
