using System.Reflection;
using Lucene.Net.Analysis.Synonym;

namespace Bot.Core.Search;

/// <summary>Builds the <see cref="SynonymMap"/> from the built-in glossary and an optional operator file.</summary>
public static class SynonymLoader
{
    public const string ResourceName = "Bot.Core.Search.synonyms.txt";

    public static string BuiltInText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("built-in synonyms resource missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses Solr-format synonym text(s) with the query word analysis. Throws <see cref="FormatException"/> with the file name on a bad line.</summary>
    public static SynonymMap Load(string? extraPath = null)
    {
        var parser = new SolrSynonymParser(dedup: true, expand: true, analyzer: new KoreanWordAnalyzer());
        using (var reader = new StringReader(BuiltInText()))
        {
            parser.Parse(reader);
        }

        if (!string.IsNullOrWhiteSpace(extraPath))
        {
            try
            {
                using var reader = new StreamReader(extraPath);
                parser.Parse(reader);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                throw new FormatException($"cannot read synonyms file {extraPath}: {ex.Message}", ex);
            }
        }

        return parser.Build();
    }
}
