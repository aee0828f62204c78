using Bot.Core.Commands;
using Bot.Core.Corpus;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Bot.Core.Search;

/// <summary>One passage as stored in the served index.</summary>
/// <param name="Id">"{DocId}#{Ordinal}".</param>
/// <param name="Ordinal">1-based position within the article.</param>
/// <param name="Heading">The nearest section heading above the passage, or empty.</param>
public sealed record StoredPassage(string Id, string DocId, int Ordinal, string Text, string Heading);

/// <summary>A passage with the previous and next passage of the same article (null at the article's ends).</summary>
/// <param name="Article">The article it belongs to (title, link, date, passage count).</param>
public sealed record PassageWithNeighbours(ArticleInfo Article, StoredPassage Passage, StoredPassage? Previous, StoredPassage? Next);

public sealed partial class ServedIndex
{
    /// <summary>
    /// The passage <paramref name="docId"/>#<paramref name="ordinal"/> of the served index with its neighbours, or null
    /// when the index holds no such passage (an article removed or re-split since, or an id nobody minted).
    /// </summary>
    public PassageWithNeighbours? FindPassage(string docId, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(docId);
        if (ordinal < 1)
        {
            return null;
        }

        var article = Articles().FirstOrDefault(a => string.Equals(a.DocId, docId, StringComparison.Ordinal));
        if (article is null)
        {
            return null;
        }

        var manager = Manager;
        var searcher = manager.Acquire();
        try
        {
            var passage = Read(searcher, docId, ordinal);
            return passage is null
                ? null
                : new PassageWithNeighbours(article, passage, ordinal > 1 ? Read(searcher, docId, ordinal - 1) : null, Read(searcher, docId, ordinal + 1));
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    private static StoredPassage? Read(IndexSearcher searcher, string docId, int ordinal)
    {
        var id = Passage.MakeId(docId, ordinal);
        var top = searcher.Search(new TermQuery(new Term(Fields.Id, id)), 1);
        if (top.TotalHits == 0)
        {
            return null;
        }

        var d = searcher.Doc(top.ScoreDocs[0].Doc);
        return string.Equals(d.Get(Fields.Doc), docId, StringComparison.Ordinal)
            ? new StoredPassage(id, docId, d.GetField(Fields.Ordinal)?.GetInt32Value() ?? ordinal, d.Get(Fields.Text) ?? "", d.Get(Fields.Heading) ?? "")
            : null;
    }
}
