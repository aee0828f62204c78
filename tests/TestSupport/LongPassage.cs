using System.Text;
using Bot.Core.Commands;
using Bot.Core.Search;

namespace Bot.TestSupport;

/// <summary>A found passage with both neighbours, each as long as asked, for the renderers' limit tests (each platform
/// passes the markup that is hostile to it).</summary>
public static class LongPassage
{
    /// <summary><paramref name="unit"/> repeated until at least <paramref name="length"/> characters.</summary>
    public static string Repeat(string unit, int length)
    {
        var sb = new StringBuilder();
        while (sb.Length < length)
        {
            sb.Append(unit);
        }

        return sb.ToString();
    }

    /// <summary>Passage 5 of article <c>900_long</c> (a 400-character title, a link, a date) with passages 4 and 6.</summary>
    public static PassageWithNeighbours Make(int length, string titleUnit, string url, string passageUnit, string previousUnit, string nextUnit) => new(
        new ArticleInfo("900_long", Repeat(titleUnit, 400), "", 9) { Metadata = new Bot.Core.Corpus.ArticleMetadata(null, url, null, new DateOnly(2025, 1, 27)) },
        new StoredPassage("900_long#5", "900_long", 5, Repeat(passageUnit, length), "소제목"),
        new StoredPassage("900_long#4", "900_long", 4, Repeat(previousUnit, length), ""),
        new StoredPassage("900_long#6", "900_long", 6, Repeat(nextUnit, length), ""));
}
