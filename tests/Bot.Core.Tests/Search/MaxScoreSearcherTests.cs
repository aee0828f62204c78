using Bot.Core.Corpus;
using Bot.Core.Search;
using Bot.TestSupport;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Fields = Bot.Core.Search.Fields;

namespace Bot.Core.Tests.Search;

/// <summary>
/// MaxScore must give exactly what Lucene's own disjunction gives: same passages, same order, same BM25 scores, over an
/// index of several segments with deleted documents, for random queries mixing rare and very common terms.
/// </summary>
public sealed class MaxScoreSearcherTests(MaxScoreIndexFixture index) : IClassFixture<MaxScoreIndexFixture>
{
    private readonly DirectoryReader _reader = index.Reader;
    private readonly IndexSearcher _searcher = index.Searcher;
    private readonly List<string> _vocabulary = index.Vocabulary;

    [Fact]
    public void Index_HasSeveralSegmentsAndDeletions()
    {
        Assert.True(_reader.Leaves.Count >= 5);
        Assert.True(_reader.HasDeletions);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(200)]
    public void Search_RandomQueries_SameTopKAsLuceneBooleanQuery(int k)
    {
        var rng = new Random(k);
        for (var q = 0; q < 150; q++)
        {
            var clauses = Enumerable.Range(0, rng.Next(1, 45))
                .Select(_ => _vocabulary[rng.Next(_vocabulary.Count)])
                .Distinct(StringComparer.Ordinal)
                .Select(t => new WeightedTerm(t, TermContext.Build(_reader.Context, new Term(Fields.Text, t)), (float)(0.2 + rng.NextDouble())))
                .ToList();

            var expected = Lucene(clauses, k);
            var actual = MaxScoreSearcher.Search(_searcher, clauses, k);

            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(expected[i].Score - actual[i].Score) <= 1e-4 * expected[i].Score, $"query {q} rank {i}: {expected[i].Score} vs {actual[i].Score}");
                // Equal scores may come in another order only if Lucene's double sums break a float tie differently.
                if (expected[i].Doc != actual[i].Doc)
                {
                    Assert.True(Math.Abs(expected[i].Score - actual[i].Score) <= 1e-4 * expected[i].Score);
                    Assert.Contains(expected, e => e.Doc == actual[i].Doc || Math.Abs(e.Score - actual[i].Score) <= 1e-4 * e.Score);
                }
            }

            var sameDocs = expected.Select(e => e.Doc).Intersect(actual.Select(a => a.Doc)).Count();
            var ties = expected.Count(e => Math.Abs(e.Score - expected[^1].Score) <= 1e-4 * e.Score);
            Assert.True(sameDocs >= expected.Length - ties, $"query {q}: {sameDocs} of {expected.Length} shared");
        }
    }

    [Fact]
    public void Search_AbsentAndDeletedOnly_ReturnsNothingOrLiveDocs()
    {
        var absent = new WeightedTerm("없는말", TermContext.Build(_reader.Context, new Term(Fields.Text, "없는말")), 1f);
        Assert.Empty(MaxScoreSearcher.Search(_searcher, [absent], 10));

        var live = _reader.Leaves.SelectMany(l => Enumerable.Range(0, l.AtomicReader.MaxDoc)
            .Where(d => l.AtomicReader.LiveDocs?.Get(d) != false).Select(d => l.DocBase + d)).ToHashSet();
        var common = new WeightedTerm(_vocabulary[0], TermContext.Build(_reader.Context, new Term(Fields.Text, _vocabulary[0])), 1f);
        Assert.All(MaxScoreSearcher.Search(_searcher, [common], 500), sd => Assert.Contains(sd.Doc, live));
    }

    private ScoreDoc[] Lucene(List<WeightedTerm> clauses, int k)
    {
        var query = new BooleanQuery(disableCoord: true);
        foreach (var c in clauses)
        {
            query.Add(new TermQuery(new Term(Fields.Text, c.Text), c.Context) { Boost = c.Boost }, Occur.SHOULD);
        }

        return _searcher.Search(query, k).ScoreDocs;
    }
}

/// <summary>One index of several segments with deletions, built once for every test of <see cref="MaxScoreSearcherTests"/>
/// (read only by them).</summary>
public sealed class MaxScoreIndexFixture : IDisposable
{
    // A small syllable set so that bigrams repeat across passages (common terms) and a long tail of rarer ones.
    private const string Syllables = "가나다라마바사아자차카타파하고노도로모보소오조초";

    private readonly TempDir _tmp = RepoPaths.NewTempDir();
    private readonly Lucene.Net.Store.Directory _dir;

    public MaxScoreIndexFixture()
    {
        var rng = new Random(1234);
        _dir = IndexStore.Open(_tmp.Sub("idx"));
        var config = IndexStore.WriterConfig(OpenMode.CREATE);
        config.MaxBufferedDocs = 97; // several segments
        config.MergePolicy = NoMergePolicy.NO_COMPOUND_FILES;
        using (var writer = new IndexWriter(_dir, config))
        {
            var docs = new IndexStore.PassageDocumentWriter();
            for (var i = 0; i < 1500; i++)
            {
                var words = Enumerable.Range(0, rng.Next(1, 60)).Select(_ => Word(rng, Zipf(rng)));
                var text = string.Join(' ', words);
                writer.AddDocument(docs.Fill("t", new Passage($"p{i}", "d", i, text, 1, 1, "")));
            }

            for (var i = 0; i < 1500; i += 7)
            {
                writer.DeleteDocuments(new Term(Fields.Id, $"p{i}"));
            }

            writer.Commit();
        }

        Reader = DirectoryReader.Open(_dir);
        Searcher = new IndexSearcher(Reader) { Similarity = new BM25Similarity() };
        var terms = MultiFields.GetTerms(Reader, Fields.Text).GetEnumerator();
        Vocabulary = [];
        while (terms.MoveNext())
        {
            Vocabulary.Add(terms.Term.Utf8ToString());
        }
    }

    public DirectoryReader Reader { get; }

    public IndexSearcher Searcher { get; }

    public List<string> Vocabulary { get; }

    private static int Zipf(Random rng) => (int)Math.Min(Syllables.Length - 1, Math.Floor(Math.Pow(rng.NextDouble(), 2.5) * Syllables.Length));

    private static string Word(Random rng, int first)
    {
        var len = rng.Next(2, 5);
        var chars = new char[len];
        chars[0] = Syllables[first];
        for (var i = 1; i < len; i++)
        {
            chars[i] = Syllables[Zipf(rng)];
        }

        return new string(chars);
    }

    public void Dispose()
    {
        Reader.Dispose();
        _dir.Dispose();
        _tmp.Dispose();
    }
}
