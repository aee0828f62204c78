using System.Globalization;
using System.Text;
using Bot.Core.Answers;
using Bot.Core.Search;

namespace Bot.Host.Cli;

/// <summary>Prints an answer as a person wants to read it: the best snippet with its citation, then the other sources.</summary>
internal static class AnswerPrinter
{
    public static void Print(Answer answer, TextWriter w, bool color)
    {
        var t = UiText.For(answer.Language);
        if (answer.Status != AnswerStatus.Answered)
        {
            w.WriteLine(answer.Decline?.Message ?? t.NotFoundIntro);
            if (answer.Citations.Count > 0)
            {
                w.WriteLine();
                w.WriteLine(answer.Language == Language.Korean ? "가장 가까운 단락 (답으로 보기는 어렵습니다):" : "Closest passages (not an answer):");
                foreach (var c in answer.Citations.Take(3))
                {
                    w.WriteLine($"  · {t.CitationLine(c)} — {OneLine(c.Snippet.Text, 80)}");
                }
            }

            return;
        }

        var best = answer.Best!;
        w.WriteLine(Quote(best.Snippet, color));
        w.WriteLine($"  — {t.CitationLine(best)}  [{best.DocId}]");
        if (answer.Citations.Count > 1)
        {
            w.WriteLine();
            w.WriteLine($"{t.MoreSourcesHeading}:");
            var i = 2;
            foreach (var c in answer.Citations.Skip(1))
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i++}. {t.CitationLine(c)} — {OneLine(c.Snippet.Text, 90)}"));
            }
        }
    }

    public static void PrintExplain(RetrievalResult r, Answer answer, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine("explain:");
        w.WriteLine($"  stopwords: {string.Join(", ", r.Plan.Stopped)}   cues: {r.Plan.Cues}");
        foreach (var word in r.Evidence.Words)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  word '{word.Word}' forms [{string.Join(", ", word.Forms)}] weight {word.Weight:F2} {(word.InCorpus ? "in corpus" : "IN NO ARTICLE")}{(word.Predicate ? ", predicate" : "")}"));
        }

        var sig = r.Evidence.Signals;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  signals: coverage {sig.Coverage:F2}, missing share {sig.MissingShare:F2}, missing name {sig.MissingName}, missing topic {sig.MissingTopic}, no count {sig.NoCount}, no date {sig.NoDate}, no other {sig.NoOther}"));
        w.WriteLine($"  -> {(answer.Status == AnswerStatus.Answered ? "answer" : $"decline ({answer.Decline?.Cause})")}");
        foreach (var h in r.Hits)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {h.Id,-26} bm25 {h.Bm25,6:F2} coverage {h.Coverage:F2} score {h.Score:F3} matched: {string.Join(" ", h.MatchedWords)}"));
        }
    }

    private static string Quote(Snippet s, bool color)
    {
        var sb = new StringBuilder();
        sb.Append("“");
        if (s.CutAtStart)
        {
            sb.Append('…');
        }

        var pos = 0;
        foreach (var h in s.Highlights)
        {
            sb.Append(s.Text, pos, h.Start - pos);
            sb.Append(color ? "\u001b[1m" : "");
            sb.Append(s.Text, h.Start, h.Length);
            sb.Append(color ? "\u001b[0m" : "");
            pos = h.End;
        }

        sb.Append(s.Text, pos, s.Text.Length - pos);
        if (s.CutAtEnd)
        {
            sb.Append('…');
        }

        sb.Append('”');
        return sb.ToString();
    }

    private static string OneLine(string text, int max)
    {
        var flat = text.Replace('\n', ' ');
        return Bot.Core.Corpus.TextCutter.CutAtWord(flat, max);
    }
}
