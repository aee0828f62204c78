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

    /// <summary>Dangling lines are carried into the next passage only when at least this much stays behind.</summary>
    private const int MinLeftBehind = 80;

    /// <param name="carryAcrossHeadings">
    /// Whether short unfinished lines before a heading are carried over into the heading's passage, as for any passage end.
    /// True for plain text (where such a line may be a heading nobody marked); false for Markdown and HTML, whose headings are
    /// known, so that a list's last items stay with the list instead of landing in front of the next section.
    /// </param>
    public static List<Passage> Split(string docId, IReadOnlyList<SourceLine> lines, bool carryAcrossHeadings = true)
    {
        var passages = new List<Passage>();
        var buf = new List<(string Text, int Line, bool Heading)>();
        var heading = "";
        var bufHeading = "";

        int Length() => buf.Sum(b => b.Text.Length) + Math.Max(0, buf.Count - 1);
        bool OnlyHeadings() => buf.TrueForAll(b => b.Heading);

        void Flush(bool carry = true)
        {
            if (buf.Count == 0)
            {
                return;
            }

            // A short line that does not end a sentence ("- 수혜 기업", "결론") introduces what follows: carry it over.
            List<(string Text, int Line, bool Heading)> carried = [];
            while (carry && buf.Count > 1 && IsDangling(buf[^1].Text))
            {
                carried.Insert(0, buf[^1]);
                buf.RemoveAt(buf.Count - 1);
            }

            // A run of short lines (a table's rows, a list) stays where it is when carrying it on would leave a stub of
            // under MinLeftBehind characters behind: a table's header line alone, then each row a passage of its own as
            // the list items after it start passage after passage.
            if (carried.Count > 0 && Length() < MinLeftBehind)
            {
                buf.AddRange(carried);
                carried.Clear();
            }

            var ordinal = passages.Count + 1;
            var text = string.Join('\n', buf.Select(b => b.Text));
            passages.Add(new Passage(Passage.MakeId(docId, ordinal), docId, ordinal, text, buf[0].Line, buf[^1].Line, bufHeading));
            buf.Clear();
            buf.AddRange(carried);
        }

        void Append(string text, int lineNo, bool isHeading)
        {
            if (buf.Count == 0)
            {
                bufHeading = heading;
            }

            buf.Add((text, lineNo, isHeading));
        }

        foreach (var line in lines)
        {
            if (line.IsHeading)
            {
                if (!OnlyHeadings())
                {
                    Flush(carryAcrossHeadings);
                }

                heading = TitleRule.StripDecoration(line.Text);
            }

            var parts = line.Text.Length > MaxChars ? SplitLongLine(line.Text) : [line.Text];
            foreach (var part in parts)
            {
                var length = Length();
                var wouldBe = length + (length > 0 ? 1 : 0) + part.Length;
                if (buf.Count > 0 && wouldBe > TargetChars + 20 && !(OnlyHeadings() && wouldBe <= MaxChars + 80))
                {
                    Flush();
                }

                Append(part, line.Number, line.IsHeading);
            }
        }

        while (buf.Count > 0)
        {
            var before = buf.Count;
            Flush();
            if (buf.Count == before)
            {
                break;
            }
        }

        return passages;
    }

    /// <summary>A short line (at most 40 characters) that does not end like a sentence.</summary>
    internal static bool IsDangling(string line) => line.Length <= 40 && !SentenceEndRegex().IsMatch(line.TrimEnd());

    [GeneratedRegex(@"[.!?。…)\]”""’]$|(다|요|죠|음|함|임)$")]
    private static partial Regex SentenceEndRegex();

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
