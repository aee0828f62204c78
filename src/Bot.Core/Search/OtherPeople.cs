using System.Text.RegularExpressions;

namespace Bot.Core.Search;

/// <summary>
/// "Who else …": a question that names someone and asks for another person ("량원펑 말고 또 누가 왔어?", "Besides Nadella,
/// who praised it?"). A passage answers it only if it names a person the question does not: one it mentions with a title
/// ("CEO 사티아 나델라", "리창 총리", "Maina Zhang (… 교수)") outside the spans of the question's own words.
/// </summary>
internal static partial class OtherPeople
{
    /// <summary>The question asks for a person besides those it names.</summary>
    public static bool Asked(string question) => KoreanElse().IsMatch(question) || EnglishElse().IsMatch(question);

    /// <summary><paramref name="passage"/> names, with a title, a person outside <paramref name="spans"/> (the question's
    /// words found in it).</summary>
    public static bool NamesAnother(string passage, IReadOnlyList<MatchSpan> spans)
    {
        foreach (Match m in TitledName().Matches(passage))
        {
            var name = m.Groups["name"];
            if (name.Success && !spans.Any(s => s.Start < name.Index + name.Length && name.Index < s.End))
            {
                return true;
            }
        }

        return false;
    }

    // X 말고/빼고/외에/이외에/제외하고 … 누가/누구; 또 누가; 다른 CEO들은 누가
    [GeneratedRegex(@"(말고|빼고|외에|이외에|제외하고|말곤)\b.*(누가|누구|어떤\s*사람|다른\s*사람)|또\s*(누가|누구)|다른\s+\S+\s+(누가|누구)")]
    private static partial Regex KoreanElse();

    [GeneratedRegex(@"\bwho\s+else\b|\b(besides|apart from|other than|aside from|except)\b.*\bwho\b|\bwho\b.*\b(besides|other than|apart from|aside from)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EnglishElse();

    // A name (Hangul of 2 to 5 syllables, up to two words, or capitalised Latin words) next to a title: after it
    // ("리창 총리", "Maina Zhang (시드니 공과대 교수)") or before it ("CEO 사티아 나델라", "창업자 량원펑"); a word ending in a
    // particle ("출시일에 설립자") is no name.
    [GeneratedRegex(@"(?<name>[가-힣]{2,5}( [가-힣]{1,4})?(?<![에의은는을를도와과로])|[A-Z][a-z]+( [A-Z][a-z]+)+)\s?(\([^()\n]{0,20}?)?(총리|대표|교수|회장|의장|장관|대통령|주석|창업자|설립자|애널리스트|연구원)|(CEO|대표|창업자|설립자|교수|총리|회장)\s(?<name>[가-힣]{2,5}( [가-힣]{1,4})?|[A-Z][a-z]+( [A-Z][a-z]+)+)")]
    private static partial Regex TitledName();
}
