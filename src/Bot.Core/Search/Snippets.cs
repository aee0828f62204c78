using Bot.Core.Answers;
using Bot.Core.Corpus;

namespace Bot.Core.Search;

/// <summary>A matched span of a passage: [Start, End) in the passage text, which query group it matched, and which term of
/// that group's form (-1 when not known).</summary>
public readonly record struct MatchSpan(int Start, int End, int Group, int Term = -1);

/// <summary>
/// Cuts the best window of at most <see cref="MaxChars"/> characters from a passage: the window (starting at the passage
/// start, a line start or a sentence start) that covers the most query weight (among equals, the one where the matched words
/// recur most, then the earliest), ended on a word boundary, with the matched words as highlight ranges.
/// </summary>
public static class Snippets
{
    public const int MaxChars = 300;

    /// <summary>What each occurrence of a matched term adds to a window, beside the share of each word it covers: enough to
    /// break ties between windows that cover the same words, far too little to outweigh a word covered.</summary>
    private const double RecurrenceWeight = 0.01;

    public static Snippet Make(string text, IReadOnlyList<MatchSpan> spans, IReadOnlyList<double> groupWeights, int maxChars = MaxChars)
    {
        int start = 0, end = text.Length;
        if (text.Length > maxChars)
        {
            // A word counts in a window by the share of its matched terms there: "최대 일일 하락액" is found where all its
            // terms are, not wherever one of them ("하락") is.
            var termsOf = new Dictionary<int, HashSet<int>>();
            foreach (var span in spans)
            {
                if (!termsOf.TryGetValue(span.Group, out var set))
                {
                    termsOf[span.Group] = set = [];
                }

                set.Add(span.Term);
            }

            var best = double.NegativeInfinity;
            var inWindow = new HashSet<(int Group, int Term)>();
            foreach (var s in CandidateStarts(text))
            {
                var e = EndAt(text, s, maxChars);
                inWindow.Clear();
                // Between windows that cover the same words, the one where they recur is about them (the passage's opening may
                // name them once in passing); then the earlier.
                var recurrence = 0.0;
                foreach (var span in spans)
                {
                    if (span.Start >= s && span.End <= e)
                    {
                        inWindow.Add((span.Group, span.Term));
                        recurrence += RecurrenceWeight * (span.Group < groupWeights.Count ? groupWeights[span.Group] : 1) / termsOf[span.Group].Count;
                    }
                }

                var score = recurrence;
                foreach (var (group, terms) in termsOf)
                {
                    var present = terms.Count(t => inWindow.Contains((group, t)));
                    if (present > 0)
                    {
                        score += (group < groupWeights.Count ? groupWeights[group] : 1) * present / terms.Count;
                    }
                }

                score -= s * 1e-6; // earlier wins ties
                if (score > best)
                {
                    best = score;
                    start = s;
                    end = e;
                }
            }
        }

        // Trim whitespace at both ends.
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        var window = text[start..end];
        return new Snippet(window, Highlights(spans, start, end), start > 0, end < text.Length);
    }

    /// <summary>Merged, sorted highlight ranges of the spans inside [start, end), relative to start.</summary>
    internal static List<HighlightRange> Highlights(IReadOnlyList<MatchSpan> spans, int start, int end)
    {
        var inside = spans.Where(s => s.Start >= start && s.End <= end).OrderBy(s => s.Start).ToList();
        var result = new List<HighlightRange>();
        int curS = -1, curE = -1;
        foreach (var s in inside)
        {
            if (curS >= 0 && s.Start <= curE)
            {
                curE = Math.Max(curE, s.End);
                continue;
            }

            if (curS >= 0)
            {
                result.Add(new HighlightRange(curS - start, curE - curS));
            }

            curS = s.Start;
            curE = s.End;
        }

        if (curS >= 0)
        {
            result.Add(new HighlightRange(curS - start, curE - curS));
        }

        return result;
    }

    private static IEnumerable<int> CandidateStarts(string text)
    {
        yield return 0;
        for (var i = 1; i < text.Length; i++)
        {
            var prev = text[i - 1];
            if (prev == '\n' || (char.IsWhiteSpace(prev) && i >= 2 && text[i - 2] is '.' or '!' or '?' or '…' or '。'))
            {
                if (!char.IsWhiteSpace(text[i]))
                {
                    yield return i;
                }
            }
        }
    }

    /// <summary>End of a window starting at <paramref name="s"/>: at most <paramref name="max"/> characters, cut after a sentence end or at a space when possible.</summary>
    private static int EndAt(string text, int s, int max)
    {
        if (text.Length - s <= max)
        {
            return text.Length;
        }

        var hard = s + TextCutter.SafeLength(text[s..], max);
        // Prefer a sentence end in the last 40% of the window, then a space, then the safe cut.
        for (var i = hard - 1; i > s + max * 6 / 10; i--)
        {
            if (text[i] is '.' or '!' or '?' or '\n' or '。' && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                return i + 1;
            }
        }

        var space = text.LastIndexOf(' ', hard - 1, hard - s);
        return space > s + max / 2 ? space : hard;
    }
}
