using System.Text.RegularExpressions;
using Bot.Core.Commands;
using Bot.Core.Corpus;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Bot.Core.Search;

/// <summary>A passage found for a question, with the evidence behind its rank.</summary>
public sealed record RetrievedPassage(
    string Id,
    string DocId,
    string Title,
    int Ordinal,
    string Lines,
    string Text,
    double Bm25,
    double Score,
    double Coverage,
    IReadOnlyList<MatchSpan> Spans,
    IReadOnlyList<string> MatchedWords,
    Answers.Snippet Snippet);

/// <summary>A question word, its weight, and whether any article contains it.</summary>
public sealed record WordEvidence(string Word, IReadOnlyList<string> Forms, double Weight, bool InCorpus, bool Predicate);

/// <summary>Why the best passage does or does not answer: coverage of the question's words and what is missing.</summary>
public sealed record Evidence(double BestCoverage, IReadOnlyList<WordEvidence> Words, IReadOnlyList<string> MissingWords, IReadOnlyList<string> WeakWords);

/// <summary>The outcome of <see cref="SearchEngine.Retrieve"/>.</summary>
public enum RetrievalStatus
{
    Found,
    NotFound,
    NoSearchableWords,
}

public sealed record RetrievalResult(RetrievalStatus Status, QueryPlan Plan, IReadOnlyList<RetrievedPassage> Hits, Evidence Evidence, bool Abstain);

/// <summary>
/// The retrieval layer: keeps the index current (built when missing or when seeds/ changed), holds one
/// <see cref="SearcherManager"/>, and answers questions with BM25 candidates re-ranked by how much of the question each
/// passage covers, question-type cues, and snippets for the results shown. Thread-safe.
/// </summary>
public sealed partial class SearchEngine : IDisposable
{
    private readonly CorpusOptions _corpus;
    private readonly IndexOptions _index;
    private readonly RetrievalOptions _retrieval;
    private readonly TimeProvider _time;
    private readonly ILogger<SearchEngine> _logger;
    private readonly Lock _gate = new();
    private readonly QueryPlanner _planner;
    private readonly double _predicateWeight;
    private readonly bool _cues;
    private readonly bool _rerank;
    private readonly bool _maxScore;
    private LuceneDirectory? _dir;
    private SearcherManager? _manager;
    private IndexManifest? _manifest;
    private (DirectoryReader? Reader, IReadOnlyList<ArticleInfo> Articles) _articles = (null, []);

    public SearchEngine(IOptions<CorpusOptions> corpus, IOptions<IndexOptions> index, IOptions<RetrievalOptions> retrieval, TimeProvider time, ILogger<SearchEngine> logger)
    {
        _corpus = corpus.Value;
        _index = index.Value;
        _retrieval = retrieval.Value;
        _time = time;
        _logger = logger;
        var (map, single) = SynonymLoader.LoadWithIndex(_retrieval.SynonymsPath, lexicon: !_retrieval.IsDisabled("lexicon"));
        _planner = _retrieval.IsDisabled("synonyms")
            ? new QueryPlanner(new KoreanQueryAnalyzer(null), prefixSynonyms: false, stems: false)
            : new QueryPlanner(new KoreanQueryAnalyzer(map, single), prefixSynonyms: !_retrieval.IsDisabled("prefix"), stems: !_retrieval.IsDisabled("stems"));
        _predicateWeight = _retrieval.IsDisabled("predicates") ? 1.0 : PredicateWeight;
        _cues = !_retrieval.IsDisabled("cues");
        _rerank = !_retrieval.IsDisabled("rerank");
        _maxScore = !_retrieval.IsDisabled("maxscore");
    }

    public RetrievalOptions Options => _retrieval;

    public QueryPlanner Planner => _planner;

    /// <summary>The manifest of the index generation being served.</summary>
    public IndexManifest? Manifest => _manifest;

    /// <summary>
    /// Builds the index when it is missing, stale (seeds/ changed, analysis changed) or <paramref name="force"/> is set,
    /// then serves it. Returns true when it rebuilt.
    /// </summary>
    public bool EnsureIndex(bool force = false, Action<int, int>? progress = null)
    {
        lock (_gate)
        {
            _dir ??= IndexStore.Open(_index.Path);
            var hash = CorpusLoader.HashSeeds(_corpus.SeedsPath);
            var manifest = IndexStore.ReadManifest(_dir);
            var rebuilt = false;
            if (force || IndexStore.IsStale(manifest, hash))
            {
                var started = _time.GetTimestamp();
                var corpus = CorpusLoader.Load(_corpus.SeedsPath);
                manifest = IndexStore.Build(_dir, corpus, _time, progress);
                LogBuilt(_logger, manifest.Passages, manifest.Articles, _time.GetElapsedTime(started).TotalMilliseconds);
                rebuilt = true;
            }

            _manifest = manifest;
            ServeCurrentCommit();
            return rebuilt;
        }
    }

    /// <summary>Serves whatever index is in Index:Path without looking at seeds/ (benchmarks over synthetic corpora).</summary>
    public void ServeExisting()
    {
        lock (_gate)
        {
            _dir ??= IndexStore.Open(_index.Path);
            _manifest = IndexStore.ReadManifest(_dir) ?? throw new InvalidOperationException($"no index in {_index.Path}");
            ServeCurrentCommit();
        }
    }

    /// <summary>Opens the one SearcherManager, or refreshes it to the latest commit (readers in flight keep theirs).</summary>
    private void ServeCurrentCommit()
    {
        if (_manager is null)
        {
            _manager = new SearcherManager(_dir!, new Bm25SearcherFactory());
        }
        else
        {
            _manager.MaybeRefreshBlocking();
        }
    }

    /// <summary>Checks seeds/ and re-indexes when it changed; readers keep the old generation until the new one is committed.</summary>
    public bool RefreshIfSeedsChanged() => EnsureIndex(force: false);

    private SearcherManager Manager
    {
        get
        {
            if (_manager is null)
            {
                EnsureIndex();
            }

            return _manager!;
        }
    }

    /// <summary>Every article in the served index, in document-id order.</summary>
    public IReadOnlyList<ArticleInfo> Articles()
    {
        var manager = Manager;
        var searcher = manager.Acquire();
        try
        {
            var reader = (DirectoryReader)searcher.IndexReader;
            var cached = _articles;
            if (ReferenceEquals(cached.Reader, reader))
            {
                return cached.Articles;
            }

            var top = searcher.Search(new TermQuery(new Term(Fields.Kind, Fields.KindArticle)), 10_000);
            var list = top.ScoreDocs.Select(sd => searcher.Doc(sd.Doc))
                .Select(d => new ArticleInfo(d.Get(Fields.Doc), d.Get(Fields.Title), d.Get(Fields.Opening), d.GetField(Fields.PassageCount)?.GetInt32Value() ?? 0))
                .OrderBy(a => a.DocId, StringComparer.Ordinal)
                .ToList();
            _articles = (reader, list);
            return list;
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    /// <summary>Finds the passages that best answer <paramref name="question"/> (already validated and normalised).</summary>
    public RetrievalResult Retrieve(string question, int top)
    {
        var plan = _planner.Plan(question);
        if (plan.Groups.Count == 0)
        {
            return new RetrievalResult(RetrievalStatus.NoSearchableWords, plan, [], new Evidence(0, [], [], []), Abstain: true);
        }

        var manager = Manager;
        var searcher = manager.Acquire();
        try
        {
            return Retrieve(searcher, plan, Math.Clamp(top, 1, 50));
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    private const int MaxGroups = 48;

    /// <summary>Weight factor of predicate-like words (verbs, adjectives, particle phrases) against nouns and names.</summary>
    private const double PredicateWeight = 0.3;
    private const int MaxClauses = 512;

    private RetrievalResult Retrieve(IndexSearcher searcher, QueryPlan plan, int top)
    {
        var reader = searcher.IndexReader;
        var n = Math.Max(1, reader.GetDocCount(Fields.Text));
        var groups = plan.Groups.Take(MaxGroups).ToList();
        var stats = new TermStatistics(reader);
        int Df(string t) => stats.Get(t).DocFreq;

        double Idf(int df) => Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));

        // Weigh each question word: the idf of its best form present in the corpus; a word no article contains keeps the
        // highest idf, so its absence weighs heavily against answering.
        var words = new List<WordEvidence>(groups.Count);
        var clauses = new List<WeightedTerm>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var bestWeight = 0.0;
            var inCorpus = false;
            foreach (var form in g.Forms)
            {
                var present = form.Terms.Count(t => Df(t) > 0);
                var presence = (double)present / form.Terms.Count;
                if (presence >= 0.5)
                {
                    inCorpus = true;
                    bestWeight = Math.Max(bestWeight, form.Terms.Where(t => Df(t) > 0).Average(t => Idf(Df(t))));
                }

                var boost = (form.IsSynonym ? 0.8f : 1f) / MathF.Sqrt(form.Terms.Count);
                foreach (var t in form.Terms)
                {
                    if (clauses.Count < MaxClauses && Df(t) > 0 && added.Add(t))
                    {
                        clauses.Add(new WeightedTerm(t, stats.Get(t), boost));
                    }
                }
            }

            // A predicate no article contains is usually just another conjugation or a colloquial verb: no evidence either way.
            var predicate = g.Predicate && _predicateWeight < 1;
            var weight = inCorpus ? bestWeight : predicate ? 0 : Idf(0);
            if (predicate)
            {
                weight *= _predicateWeight;
            }

            words.Add(new WordEvidence(g.Surface, g.Forms.Select(f => f.Text).ToList(), weight, inCorpus, g.Predicate));
        }

        var missing = words.Where(w => !w.InCorpus && !w.Predicate).Select(w => w.Word).ToList();
        if (clauses.Count == 0)
        {
            return new RetrievalResult(RetrievalStatus.NotFound, plan, [], new Evidence(0, words, missing, []), Abstain: true);
        }

        var scoreDocs = Candidates(searcher, clauses, Math.Max(top, _retrieval.Candidates));
        if (scoreDocs.Length == 0)
        {
            return new RetrievalResult(RetrievalStatus.NotFound, plan, [], new Evidence(0, words, missing, []), Abstain: true);
        }

        var maxBm25 = scoreDocs[0].Score;
        var totalWeight = words.Sum(w => w.Weight);
        var candidates = new List<Candidate>(scoreDocs.Length);
        var matcher = new PassageMatcher(groups);
        var values = new PassageValues(reader);
        foreach (var sd in scoreDocs)
        {
            var text = PassageValuesCodec.Text(values.Get(sd.Doc));
            var match = matcher.Match(text);
            var coverage = 0.0;
            for (var gi = 0; gi < groups.Count; gi++)
            {
                coverage += words[gi].Weight * match.Credit[gi];
            }

            coverage = totalWeight > 0 ? coverage / totalWeight : 0;
            var cue = _cues ? CueBonus(plan.Cues, text) : 0;
            var score = _rerank ? (0.4 * sd.Score / maxBm25) + (0.6 * coverage) + (0.1 * cue) : sd.Score / maxBm25;
            candidates.Add(new Candidate(sd.Doc, text, sd.Score, score, coverage, match));
        }

        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        var weights = words.Select(w => w.Weight).ToList();
        var hits = new List<RetrievedPassage>(top);
        foreach (var c in candidates.Take(top))
        {
            // Snippets and the other stored fields only for the results shown.
            var (id, docId, title, ordinal, lines, _) = PassageValuesCodec.Decode(values.Get(c.DocId));
            var snippet = Snippets.Make(c.Text, c.Match.Spans, weights);
            hits.Add(new RetrievedPassage(
                id, docId, title, ordinal, lines, c.Text, c.Bm25, c.Score, c.Coverage, c.Match.Spans, MergeWords(c.Text, c.Match.Spans), snippet));
        }

        var best = candidates[0];
        var weak = new List<string>();
        for (var gi = 0; gi < groups.Count; gi++)
        {
            if (words[gi].InCorpus && !words[gi].Predicate && best.Match.Credit[gi] <= 0)
            {
                weak.Add(words[gi].Word);
            }
        }

        var evidence = new Evidence(best.Coverage, words, missing, weak);
        // A name or code the question asks about ("Bitcoin", "R2") that no article contains vetoes the answer.
        var missingName = groups.Where((g, i) => g.Name && !words[i].InCorpus).Any();
        var abstain = best.Coverage < _retrieval.MinCoverage || (missingName && !_retrieval.IsDisabled("names"));
        return new RetrievalResult(abstain ? RetrievalStatus.NotFound : RetrievalStatus.Found, plan, hits, evidence, abstain);
    }

    /// <summary>
    /// The BM25 top <paramref name="k"/> of the disjunction of <paramref name="clauses"/>: <see cref="MaxScoreSearcher"/>,
    /// or with the <c>maxscore</c> lever off, Lucene's own BooleanQuery (same scores, every posting read).
    /// </summary>
    private ScoreDoc[] Candidates(IndexSearcher searcher, List<WeightedTerm> clauses, int k)
    {
        if (_maxScore)
        {
            return MaxScoreSearcher.Search(searcher, clauses, k);
        }

        var query = new BooleanQuery(disableCoord: true);
        foreach (var c in clauses)
        {
            query.Add(new TermQuery(new Term(Fields.Text, c.Text), c.Context) { Boost = c.Boost }, Occur.SHOULD);
        }

        return searcher.Search(query, k).ScoreDocs;
    }

    /// <summary>
    /// Term statistics for one query: one TermsEnum per segment, reused for every term, and the resulting
    /// <see cref="TermContext"/> handed to the <see cref="TermQuery"/> (which would otherwise seek each term again).
    /// </summary>
    private sealed class TermStatistics(IndexReader reader)
    {
        private readonly IndexReaderContext _top = reader.Context;
        private readonly IList<AtomicReaderContext> _leaves = reader.Leaves;
        private readonly TermsEnum?[] _enums = new TermsEnum?[reader.Leaves.Count];
        private readonly Dictionary<string, TermContext> _contexts = new(StringComparer.Ordinal);

        public TermContext Get(string term)
        {
            if (_contexts.TryGetValue(term, out var context))
            {
                return context;
            }

            context = new TermContext(_top);
            var bytes = new BytesRef(term);
            for (var i = 0; i < _leaves.Count; i++)
            {
                var te = _enums[i];
                if (te is null)
                {
                    var terms = _leaves[i].AtomicReader.GetTerms(Fields.Text);
                    if (terms is null)
                    {
                        continue;
                    }

                    te = _enums[i] = terms.GetEnumerator();
                }

                if (te.SeekExact(bytes))
                {
                    context.Register(te.GetTermState(), _leaves[i].Ord, te.DocFreq, te.TotalTermFreq);
                }
            }

            _contexts[term] = context;
            return context;
        }
    }

    /// <summary>Reads <see cref="Fields.PassageValues"/> by top-level doc id (per-segment values cached for one query).</summary>
    private sealed class PassageValues(IndexReader reader)
    {
        private readonly IList<AtomicReaderContext> _leaves = reader.Leaves;
        private readonly BinaryDocValues?[] _values = new BinaryDocValues?[reader.Leaves.Count];
        private readonly BytesRef _scratch = new();

        public BytesRef Get(int doc)
        {
            var i = ReaderUtil.SubIndex(doc, _leaves);
            var leaf = _leaves[i];
            var values = _values[i] ??= leaf.AtomicReader.GetBinaryDocValues(Fields.PassageValues)
                ?? throw new InvalidOperationException("index has no passage values; rebuild it with `bot index --force`");
            values.Get(doc - leaf.DocBase, _scratch);
            return _scratch;
        }
    }

    private sealed record Candidate(int DocId, string Text, double Bm25, double Score, double Coverage, PassageMatch Match);

    /// <summary>Per group: credit in [0,1] (share of the best form's terms present, 0 below half) and the matched spans.</summary>
    internal sealed record PassageMatch(double[] Credit, List<MatchSpan> Spans);

    /// <summary>
    /// Finds a question's terms in passages: per group, the share of its best form's terms present (credit, 0 below half)
    /// and the spans of those terms. Only the question's terms are looked up (span lookups, no per-bigram strings).
    /// </summary>
    internal sealed class PassageMatcher
    {
        private readonly IReadOnlyList<QueryGroup> _groups;
        private readonly Dictionary<string, int> _termIndex = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly List<(int S, int E)>[] _positions;
        private readonly int[][][] _formTerms;
        private readonly List<Word> _words = new(128);

        public PassageMatcher(IReadOnlyList<QueryGroup> groups)
        {
            _groups = groups;
            _formTerms = new int[groups.Count][][];
            for (var gi = 0; gi < groups.Count; gi++)
            {
                var forms = groups[gi].Forms;
                _formTerms[gi] = new int[forms.Count][];
                for (var fi = 0; fi < forms.Count; fi++)
                {
                    var terms = forms[fi].Terms;
                    var ids = new int[terms.Count];
                    for (var ti = 0; ti < terms.Count; ti++)
                    {
                        if (!_termIndex.TryGetValue(terms[ti], out var id))
                        {
                            id = _termIndex.Count;
                            _termIndex[terms[ti]] = id;
                        }

                        ids[ti] = id;
                    }

                    _formTerms[gi][fi] = ids;
                }
            }

            _lookup = _termIndex.GetAlternateLookup<ReadOnlySpan<char>>();
            _positions = new List<(int, int)>[_termIndex.Count];
            for (var i = 0; i < _positions.Length; i++)
            {
                _positions[i] = [];
            }
        }

        public PassageMatch Match(string text)
        {
            foreach (var p in _positions)
            {
                p.Clear();
            }

            _words.Clear();
            KoreanWords.Split(text, _words, hangulText: false);
            foreach (var w in _words)
            {
                if (w.Kind == WordKind.Hangul)
                {
                    var length = w.End - w.Start;
                    if (length == 1)
                    {
                        if (_lookup.TryGetValue(text.AsSpan(w.Start, 1), out var one))
                        {
                            _positions[one].Add((w.Start, w.End));
                        }

                        continue;
                    }

                    for (var i = w.Start; i + 1 < w.End; i++)
                    {
                        if (_lookup.TryGetValue(text.AsSpan(i, 2), out var id))
                        {
                            _positions[id].Add((i, i + 2));
                        }
                    }
                }
                else if (_lookup.TryGetValue(w.Text, out var id))
                {
                    _positions[id].Add((w.Start, w.End));
                }
            }

            var credit = new double[_groups.Count];
            var spans = new List<MatchSpan>();
            for (var gi = 0; gi < _groups.Count; gi++)
            {
                var bestForm = -1;
                var bestShare = 0.0;
                var forms = _formTerms[gi];
                for (var fi = 0; fi < forms.Length; fi++)
                {
                    var present = 0;
                    foreach (var id in forms[fi])
                    {
                        if (_positions[id].Count > 0)
                        {
                            present++;
                        }
                    }

                    var share = (double)present / forms[fi].Length;
                    if (share >= 0.5 && share > bestShare)
                    {
                        bestShare = share;
                        bestForm = fi;
                    }
                }

                if (bestForm < 0)
                {
                    continue;
                }

                credit[gi] = bestShare;
                foreach (var id in forms[bestForm])
                {
                    foreach (var (s, e) in _positions[id])
                    {
                        spans.Add(new MatchSpan(s, e, gi));
                    }
                }
            }

            return new PassageMatch(credit, spans);
        }
    }

    private static List<string> MergeWords(string text, IReadOnlyList<MatchSpan> spans)
    {
        var ranges = Snippets.Highlights(spans, 0, text.Length);
        return ranges.Select(r => text.Substring(r.Start, r.Length)).Distinct(StringComparer.Ordinal).ToList();
    }

    private static double CueBonus(QuestionCue cues, string text)
    {
        var bonus = 0.0;
        if (cues.HasFlag(QuestionCue.Amount) && AmountRegex().IsMatch(text))
        {
            bonus += 1;
        }

        if (cues.HasFlag(QuestionCue.Date) && DateRegex().IsMatch(text))
        {
            bonus += 1;
        }

        return bonus;
    }

    [GeneratedRegex(@"\d")]
    private static partial Regex AmountRegex();

    [GeneratedRegex(@"\d{4}\s*년|\d{1,2}\s*월|\d{4}[.\-/]\d{1,2}|(19|20)\d{2}")]
    private static partial Regex DateRegex();

    public void Dispose()
    {
        lock (_gate)
        {
            _manager?.Dispose();
            _dir?.Dispose();
            _manager = null;
            _dir = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Index built: {Passages} passages from {Articles} articles in {Millis:F0} ms")]
    private static partial void LogBuilt(ILogger logger, int passages, int articles, double millis);

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }
}
