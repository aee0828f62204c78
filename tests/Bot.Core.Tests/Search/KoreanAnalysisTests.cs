using Bot.Core.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Bot.Core.Tests.Search;

public class KoreanAnalysisTests
{
    private static List<(string Term, int Start, int End)> Tokens(Analyzer analyzer, string text)
    {
        var list = new List<(string, int, int)>();
        using var ts = analyzer.GetTokenStream("text", text);
        var term = ts.AddAttribute<ICharTermAttribute>();
        var off = ts.AddAttribute<IOffsetAttribute>();
        ts.Reset();
        while (ts.IncrementToken())
        {
            list.Add((term.ToString(), off.StartOffset, off.EndOffset));
        }

        ts.End();
        return list;
    }

    [Fact]
    public void IndexAnalyzer_HangulBigramsWithOffsets()
    {
        var tokens = Tokens(new KoreanIndexAnalyzer(), "딥시크가 H800을");
        Assert.Equal([("딥시", 0, 2), ("시크", 1, 3), ("h800", 5, 9)], tokens);
    }

    [Fact]
    public void IndexAnalyzer_SpacingErrorsStillShareBigrams()
    {
        var spaced = Tokens(new KoreanIndexAnalyzer(), "강화 학습").Select(t => t.Term).ToHashSet();
        var glued = Tokens(new KoreanIndexAnalyzer(), "강화학습").Select(t => t.Term).ToHashSet();
        Assert.Subset(glued, spaced);
    }

    [Fact]
    public void QueryAnalyzer_SynonymFilterAddsTransliterations()
    {
        var analyzer = new KoreanQueryAnalyzer(SynonymLoader.Load());
        var terms = Tokens(analyzer, "엔비디아 주가").Select(t => t.Term).ToList();
        Assert.Contains("nvidia", terms);
        Assert.Contains("엔비디아", terms);
        var english = Tokens(analyzer, "Nvidia").Select(t => t.Term).ToList();
        Assert.Contains("엔비디아", english);
    }

    [Fact]
    public void SynonymLoader_ExtraFile_Applied()
    {
        using var tmp = Bot.TestSupport.RepoPaths.NewTempDir();
        var path = tmp.Sub("extra.txt");
        File.WriteAllText(path, "양자컴퓨터, quantum computer\n");
        var analyzer = new KoreanQueryAnalyzer(SynonymLoader.Load(path));
        Assert.Contains("양자컴퓨터", Tokens(analyzer, "quantum computer").Select(t => t.Term));
    }

    [Fact]
    public void SynonymLoader_MissingExtraFile_FormatExceptionNamesFile()
    {
        var ex = Assert.Throws<FormatException>(() => SynonymLoader.Load("/nonexistent/syn.txt"));
        Assert.Contains("/nonexistent/syn.txt", ex.Message, StringComparison.Ordinal);
    }
}
