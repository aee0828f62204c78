using Bot.Core.Search;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Fields = Bot.Core.Search.Fields;

namespace Bot.Core.Tests.Search;

/// <summary>Readable dumps of an index, to compare two builds.</summary>
internal static class IndexDump
{
    /// <summary><see cref="Everything(IndexReader)"/> of the served generation.</summary>
    public static List<string> Everything(ServedIndex index)
    {
        var searcher = index.Acquire();
        try
        {
            return Everything(searcher.IndexReader);
        }
        finally
        {
            index.Release(searcher);
        }
    }

    /// <summary>What scoring reads corpus-wide: document count, text statistics, and every text term with its frequencies.</summary>
    public static List<string> Statistics(IndexReader reader)
    {
        var stats = new IndexSearcher(reader).CollectionStatistics(Fields.Text);
        var lines = new List<string> { $"maxDoc={reader.MaxDoc} numDocs={reader.NumDocs} docCount={stats.DocCount} sumTtf={stats.SumTotalTermFreq} sumDf={stats.SumDocFreq}" };
        var terms = MultiFields.GetTerms(reader, Fields.Text);
        var te = terms.GetEnumerator();
        while (te.MoveNext())
        {
            lines.Add($"{te.Term.Utf8ToString()} df={te.DocFreq} ttf={te.TotalTermFreq}");
        }

        return lines;
    }

    /// <summary>Everything in document order: stored fields, passage values, norms, and each term's postings with positions.</summary>
    public static List<string> Everything(IndexReader reader)
    {
        var lines = Statistics(reader);
        var norms = MultiDocValues.GetNormValues(reader, Fields.Text);
        var values = MultiDocValues.GetBinaryValues(reader, Fields.PassageValues);
        var scratch = new BytesRef();
        for (var d = 0; d < reader.MaxDoc; d++)
        {
            var doc = reader.Document(d);
            values?.Get(d, scratch);
            lines.Add($"doc {d}: " + string.Join(" | ", doc.Fields.Select(f => $"{f.Name}={f.GetStringValue() ?? f.GetInt32Value()?.ToString()}"))
                + $" norm={norms?.Get(d)} pv={scratch.Utf8ToString()}");
        }

        var te = MultiFields.GetTerms(reader, Fields.Text).GetEnumerator();
        while (te.MoveNext())
        {
            var positions = te.DocsAndPositions(null, null);
            var postings = new List<string>();
            for (var d = positions.NextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = positions.NextDoc())
            {
                postings.Add($"{d}:" + string.Join(',', Enumerable.Range(0, positions.Freq).Select(_ => positions.NextPosition())));
            }

            lines.Add($"{te.Term.Utf8ToString()} " + string.Join(' ', postings));
        }

        return lines;
    }
}
