using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Corpus;

/// <summary>
/// Splits an article's kept lines into passages of about <see cref="TargetChars"/> characters:
/// consecutive lines are merged while the passage stays within <see cref="TargetChars"/> (+ a small slack);
/// a heading starts a new passage (so a section's heading travels with its first lines); a line longer than
/// <see cref="MaxChars"/> is split on sentence boundaries into parts of about <see cref="TargetChars"/>.
/// Passages never cross articles; ordinals are 1-based and stable for unchanged files.
/// </summary>
public static partial class PassageSplitter
{
    public const int TargetChars = 300;
    public const int MaxChars = 360;

    public static List<Passage> Split(string docId, IReadOnlyList<SourceLine> lines)
    {
        var passages = new List<Passage>();
        var buf = new StringBuilder();
        var first = -1;
        var last = -1;
        var heading = "";
        var bufHeading = "";
        var bufOnlyHeadings = true;

        void Flush()
        {
            if (buf.Length == 0)
            {
                return;
            }

            var ordinal = passages.Count + 1;
            passages.Add(new Passage(Passage.MakeId(docId, ordinal), docId, ordinal, buf.ToString(), first, last, bufHeading));
            buf.Clear();
            first = -1;
            bufOnlyHeadings = true;
        }

        void Append(string text, int lineNo, bool isHeading)
        {
            if (buf.Length == 0)
            {
                first = lineNo;
                bufHeading = heading;
            }
            else
            {
                buf.Append('\n');
            }

            buf.Append(text);
            last = lineNo;
            bufOnlyHeadings &= isHeading;
        }

        foreach (var line in lines)
        {
            if (line.IsHeading)
            {
                if (!bufOnlyHeadings)
                {
                    Flush();
                }

                heading = TitleRule.StripDecoration(line.Text);
            }

            var parts = line.Text.Length > MaxChars ? SplitLongLine(line.Text) : [line.Text];
            foreach (var part in parts)
            {
                var wouldBe = buf.Length + (buf.Length > 0 ? 1 : 0) + part.Length;
                if (buf.Length > 0 && wouldBe > TargetChars + 20 && !(bufOnlyHeadings && wouldBe <= MaxChars + 80))
                {
                    Flush();
                }

                Append(part, line.Number, line.IsHeading);
            }
        }

        Flush();
        return passages;
    }

    /// <summary>Splits a long line after sentence ends into chunks of about <see cref="TargetChars"/> characters.</summary>
    internal static List<string> SplitLongLine(string text)
    {
        var sentences = SentenceRegex().Split(text).Where(s => s.Length > 0).ToList();
        var chunks = new List<string>();
        var sb = new StringBuilder();
        foreach (var raw in sentences)
        {
            foreach (var sentence in raw.Length > MaxChars ? HardSplit(raw) : [raw])
            {
                if (sb.Length > 0 && sb.Length + 1 + sentence.Length > TargetChars)
                {
                    chunks.Add(sb.ToString());
                    sb.Clear();
                }

                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(sentence.Trim());
            }
        }

        if (sb.Length > 0)
        {
            chunks.Add(sb.ToString());
        }

        return chunks;
    }

    private static IEnumerable<string> HardSplit(string s)
    {
        var rest = s;
        while (rest.Length > TargetChars)
        {
            var cut = TextCutter.SafeLength(rest, TargetChars);
            var space = rest.LastIndexOf(' ', cut - 1, cut);
            if (space > TargetChars / 2)
            {
                cut = space;
            }

            yield return rest[..cut].Trim();
            rest = rest[cut..].Trim();
        }

        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    [GeneratedRegex(@"(?<=[.!?…。])\s+")]
    private static partial Regex SentenceRegex();
}
