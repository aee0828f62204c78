using Bot.Core.Commands;
using Bot.Core.Corpus;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Search;

/// <summary>
/// Ranking: answers questions over the <see cref="ServedIndex"/> with BM25 candidates re-ranked by
/// <see cref="PassageRanker"/> (how much of the question each passage covers, where, and question-type cues), with the evidence that <see cref="Answers.AbstentionPolicy"/>
/// decides on and snippets for the results shown. Thread-safe.
/// </summary>
public sealed partial class SearchEngine : IDisposable
{
    private readonly ServedIndex _served;
    private readonly RetrievalOptions _retrieval;
    private readonly QueryPlanner _planner;
    private readonly double _predicateWeight;
    private readonly bool _cues;
    private readonly bool _rerank;
    private readonly bool _ranker;
    private readonly RankerTrees? _trees;
    private readonly RankFeatureLog? _featureLog;
    private readonly bool _maxScore;
    private readonly bool _repair;
    private readonly bool _split;
    private readonly bool _counted;
    private readonly bool _dates;
    private readonly bool _others;
    private readonly bool _phrases;
    private readonly KoreanDictionary _dictionary;
    private readonly CorpusWordRoles _roles;
    private readonly EnglishDictionary _english;
    private readonly bool _unknown;

    public SearchEngine(IOptions<CorpusOptions> corpus, IOptions<IndexOptions> index, IOptions<RetrievalOptions> retrieval, TimeProvider time, ILogger<SearchEngine> logger, EvalLevers? levers = null)
    {
        Levers = levers ?? EvalLevers.None;
        _served = new ServedIndex(corpus.Value, index.Value, time, logger);
        _retrieval = retrieval.Value;
        var (map, single) = SynonymLoader.LoadWithIndex(_retrieval.SynonymsPath, lexicon: !Levers.IsDisabled("lexicon"));
        _predicateWeight = Levers.IsDisabled("predicates") ? 1.0 : PredicateWeight;
        _cues = !Levers.IsDisabled("cues");
        _rerank = !Levers.IsDisabled("rerank");
        _ranker = !Levers.IsDisabled("ranker");
        _trees = Levers.IsDisabled("trees") ? null : RankerTrees.Default;
        _featureLog = string.IsNullOrEmpty(Levers.Features) ? null : new RankFeatureLog(Levers.Features);
        _maxScore = !Levers.IsDisabled("maxscore");
        _repair = !Levers.IsDisabled("repair");
        _split = !Levers.IsDisabled("split");
        _counted = !Levers.IsDisabled("count");
        _dates = !Levers.IsDisabled("dates");
        _others = !Levers.IsDisabled("others");
        _phrases = !Levers.IsDisabled("phrases");
        _unknown = !Levers.IsDisabled("unknown");
        _english = LoadDictionary("english", EnglishDictionary.Empty, () => EnglishDictionary.Shared(_retrieval.EnglishDictionaryPath), logger);
        _planner = Levers.IsDisabled("synonyms")
            ? new QueryPlanner(new KoreanQueryAnalyzer(null), prefixSynonyms: false, stems: false, english: _english)
            : new QueryPlanner(new KoreanQueryAnalyzer(map, single), prefixSynonyms: !Levers.IsDisabled("prefix"), stems: !Levers.IsDisabled("stems"), roles: !Levers.IsDisabled("roles"), focus: !Levers.IsDisabled("focus"), english: _english);
        _dictionary = LoadDictionary("dict", KoreanDictionary.Empty, () => KoreanDictionary.Shared(_retrieval.DictionaryPath), logger);
        _roles = new CorpusWordRoles(_dictionary, _counted);
    }

    /// <summary>A word list read once per process (<paramref name="shared"/>), or <paramref name="empty"/> when its lever
    /// is off; a list that cannot be read is a warning, and the bot answers without it.</summary>
    private T LoadDictionary<T>(string lever, T empty, Func<(T Dictionary, string? Problem)> shared, ILogger logger)
    {
        if (Levers.IsDisabled(lever))
        {
            return empty;
        }

        var (dictionary, problem) = shared();
        if (problem is not null)
        {
            logger.LogWarning("{Problem}", problem);
        }

        return dictionary;
    }

    public RetrievalOptions Options => _retrieval;

    /// <summary>The levers switched off for measurement (<see cref="EvalLevers.None"/> in a running bot).</summary>
    public EvalLevers Levers { get; }

    public QueryPlanner Planner => _planner;

    /// <summary>The served index: built when needed, one SearcherManager, the article list.</summary>
    public ServedIndex Index => _served;

    /// <summary>The manifest of the index generation being served.</summary>
    public IndexManifest? Manifest => _served.Manifest;

    /// <inheritdoc cref="ServedIndex.EnsureIndex"/>
    public bool EnsureIndex(bool force = false, Action<int, int>? progress = null) => _served.EnsureIndex(force, progress);

    /// <inheritdoc cref="ServedIndex.ServeExisting"/>
    public void ServeExisting() => _served.ServeExisting();

    /// <inheritdoc cref="ServedIndex.RefreshIfSeedsChanged"/>
    public bool RefreshIfSeedsChanged() => _served.RefreshIfSeedsChanged();

    /// <inheritdoc cref="ServedIndex.Articles"/>
    public IReadOnlyList<ArticleInfo> Articles() => _served.Articles();

    /// <summary>Finds the passages that best answer <paramref name="question"/> (already validated and normalised).</summary>
    public RetrievalResult Retrieve(string question, int top)
    {
        var plan = _planner.Plan(question);
        if (plan.Groups.Count == 0)
        {
            return new RetrievalResult(RetrievalStatus.NoSearchableWords, plan, [], new Evidence(0, [], [], []));
        }

        var searcher = _served.Acquire();
        try
        {
            return Retrieve(searcher, question, plan, Math.Clamp(top, 1, 50));
        }
        finally
        {
            _served.Release(searcher);
        }
    }

    private const int MaxGroups = 48;

    /// <summary>Weight factor of predicate-like words (verbs, adjectives, particle phrases) against nouns and names.</summary>
    private const double PredicateWeight = 0.3;
    private const int MaxClauses = 512;

    private RetrievalResult Retrieve(IndexSearcher searcher, string question, QueryPlan plan, int top)
    {
        var reader = searcher.IndexReader;
        var n = Math.Max(1, reader.GetDocCount(Fields.Text));
        var groups = plan.Groups.Take(MaxGroups).ToList();
        var stats = new TermStatistics(reader);
        int Df(string t) => stats.Get(t).DocFreq;

        double Idf(int df) => Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));

        // A word that occurs nowhere may be a wrongly stripped ending or a typo: try the whole run and a respelling.
        var presence = new WordPresence(searcher, Df, _planner.LatinVocabulary);
        if (_repair)
        {
            Repair(groups, presence, question);
        }

        // Weigh each question word: the idf of its best form present in the corpus; a word no article contains keeps the
        // highest idf, so its absence weighs heavily against answering.
        var words = new List<WordEvidence>(groups.Count);
        var clauses = new List<WeightedTerm>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var bestWeight = 0.0;
            var inCorpus = false;
            // A single word the articles contain (not a glossary phrase, whose words may occur only apart) finds its passages by itself: its synonyms then only add to coverage, not to the
            // BM25 candidate query (fewer terms to score; the glossary's near-synonyms would otherwise pull in passages
            // about something else).
            var occurs = g.Forms.Select(presence.Occurs).ToArray();
            var ownPresent = g.Forms.Where((f, fi) => occurs[fi] && !f.IsSynonym && !f.Borrowed && !f.Text.Contains(' ')).Any();
            for (var fi = 0; fi < g.Forms.Count; fi++)
            {
                var form = g.Forms[fi];
                if (occurs[fi])
                {
                    inCorpus |= !form.Borrowed || g.Predicate; // a borrowed prefix of a verb is its stem
                    bestWeight = Math.Max(bestWeight, form.Terms.Where(t => Df(t) > 0).Average(t => Idf(Df(t))));
                }

                var boost = (form.IsSynonym ? 0.8f : 1f) / MathF.Sqrt(form.Terms.Count);
                foreach (var t in form.Terms)
                {
                    if (clauses.Count < MaxClauses && !(form.IsSynonym && ownPresent) && Df(t) > 0 && added.Add(t))
                    {
                        clauses.Add(new WeightedTerm(t, stats.Get(t), boost));
                    }
                }
            }

            // A predicate no article contains is usually just another conjugation or a colloquial verb: no evidence either way.
            var isPredicate = _roles.WeighsAsPredicate(g, inCorpus, plan.CountedUnit);
            var predicate = isPredicate && _predicateWeight < 1;
            var weight = inCorpus ? bestWeight : predicate ? 0 : Idf(0);
            if (predicate)
            {
                weight *= _predicateWeight;
            }

            words.Add(new WordEvidence(g.Surface, g.Forms.Select(f => f.Text).ToList(), weight, inCorpus, isPredicate));
        }

        var missing = words.Where(w => !w.InCorpus && !w.Predicate).Select(w => w.Word).ToList();
        if (clauses.Count == 0)
        {
            return new RetrievalResult(RetrievalStatus.NotFound, plan, [], new Evidence(0, words, missing, []));
        }

        var scoreDocs = Candidates(searcher, clauses, Math.Max(top, _retrieval.Candidates));
        if (scoreDocs.Length == 0)
        {
            return new RetrievalResult(RetrievalStatus.NotFound, plan, [], new Evidence(0, words, missing, []));
        }

        var maxBm25 = scoreDocs[0].Score;
        var totalWeight = words.Sum(w => w.Weight);
        var candidates = new List<Candidate>(scoreDocs.Length);
        var matcher = _phrases ? new PassageMatcher(groups, t => Idf(Df(t))) : new PassageMatcher(groups);
        var values = new PassageValues(reader);
        // What a word can earn: a missing word earns nothing through borrowed forms.
        var earned = words.Select(w => w.InCorpus ? w.Weight : 0).ToArray();
        Dictionary<string, double>? titleCoverage = _ranker ? new(StringComparer.Ordinal) : null;
        var features = _ranker ? new RankFeatures[scoreDocs.Length] : null;
        for (var rank = 0; rank < scoreDocs.Length; rank++)
        {
            var sd = scoreDocs[rank];
            var value = values.Get(sd.Doc);
            var text = PassageValuesCodec.Text(value);
            var match = matcher.Match(text);
            var coverage = Covered(match.Credit, earned, totalWeight);
            var cue = _cues ? QuestionCues.Bonus(plan.Cues, text) : 0;
            double score;
            if (!_rerank)
            {
                score = sd.Score / maxBm25;
            }
            else if (!_ranker)
            {
                score = PassageRanker.HandSet(sd.Score / maxBm25, coverage, cue);
            }
            else
            {
                var (who, why) = QuestionCues.Kinds(plan.AsksWho, plan.AsksWhy, text);
                var f = features![rank] = Features(text, match, value, sd.Score / maxBm25, coverage, cue, words, earned, totalWeight, matcher, titleCoverage!) with { Who = who, Why = why };
                score = PassageRanker.Linear(f);
                _featureLog?.Write(question, value, f, rank);
            }

            candidates.Add(new Candidate(sd.Doc, text, sd.Score, score, coverage, match, score));
        }

        if (features is not null && _trees is not null)
        {
            // The trees weigh each candidate against the others (how far it falls short of the best on each feature).
            Span<double> scores = features.Length <= 64 ? stackalloc double[features.Length] : new double[features.Length];
            PassageRanker.ScoreAll(features, scores, _trees);
            for (var i = 0; i < candidates.Count; i++)
            {
                candidates[i] = candidates[i] with { Score = scores[i] };
            }
        }

        // The decision to answer reads the candidates in the order of their evidence score (the linear score, mostly
        // coverage, on which the decline rules below are calibrated); the trees order what is shown. A passage the
        // trees prefer may cover less of the question than the evidence needs, and the trees, fitted only on questions
        // the articles answer, cannot tell an out-of-corpus question from one whose best passage merely wins.
        var evidence = new List<Candidate>(candidates);
        evidence.Sort((a, b) => b.Evidence.CompareTo(a.Evidence));
        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        // A counting question ("몇 개"): passages that give a number of the unit (about the question's topic) first; none
        // near the top (by evidence) is a decline.
        var counted = _counted ? plan.CountedUnit : null;
        var noCount = counted is not null && !CountedUnits.PreferGiving(evidence, c => c.Text, c => c.Match, groups, words, counted);
        if (counted is not null && !noCount)
        {
            CountedUnits.PreferGiving(candidates, c => c.Text, c => c.Match, groups, words, counted);
        }

        // A "when" question whose best passage gives no date is about something the articles do not date.
        var noDate = _dates && plan.AsksDate && plan.CountedUnit is null && !QuestionCues.GivesDate(evidence[0].Text);
        // A "who else" question whose best passage names no one besides the people it names asks what the articles do not say.
        var noOther = _others && plan.AsksOther && !OtherPeople.NamesAnother(evidence[0].Text, evidence[0].Match.Spans);

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

        var best = evidence[0];
        var weak = new List<string>();
        for (var gi = 0; gi < groups.Count; gi++)
        {
            if (words[gi].InCorpus && !words[gi].Predicate && best.Match.Credit[gi] <= 0)
            {
                weak.Add(words[gi].Word);
            }
        }

        // A Hangul word in no article and not in the general dictionary either is mostly a name or a foreign word ("젠슨", "텐센트"):
        // like a Latin name, the articles cannot be about it.
        // A piece of such a word is known to the articles when it occurs there as a word (its bigrams all occur) or is a glossary word.
        bool InArticles(string piece) => _planner.InGlossary(piece) || QueryForm.OfWord(piece, false).Terms.All(t => Df(t) > 0);
        var missingName = groups.Where((g, i) => !words[i].InCorpus && (g.Name
            || (best.Coverage < UnknownWordMaxCoverage && !words[i].Predicate && IsUnknownWord(g.Surface, InArticles) && (g.Whole == g.Surface || IsUnknownWord(g.Whole, InArticles))))).Any();
        var missingShare = totalWeight > 0 ? words.Where(w => !w.InCorpus && !w.Predicate).Sum(w => w.Weight) / totalWeight : 0;
        // A missing topic that the Korean dictionary knows as a noun, in a question the best passage otherwise covers well
        // ("마소가 이상한 API 트래픽 언제 눈치챘대": 트래픽), is the asker's own word for what the passage says, not another subject.
        var missingTopic = groups.Where((g, i) => (g.Topic || g.Focus) && !words[i].InCorpus && !words[i].Predicate
            && !(best.Coverage >= TopicParaphraseMinCoverage && _dictionary.IsNoun(g.Surface))).Any();
        var signals = new AbstentionSignals(best.Coverage, missingShare, missingName, missingTopic, noCount, noDate, noOther);
        return new RetrievalResult(RetrievalStatus.Found, plan, hits, new Evidence(best.Coverage, words, missing, weak) { Signals = signals });
    }

    /// <summary>An English word (capitalised at most at its start: not an acronym such as "LLMs", whose plural is undone
    /// by <see cref="WordPresence.Respell"/>) that WordNet knows.</summary>
    private bool IsKnownEnglishWord(string surface) =>
        surface.Length > 1 && surface.All(char.IsAsciiLetter) && !surface.Skip(1).Any(char.IsAsciiLetterUpper) && _english.Knows(surface.ToLowerInvariant());

    /// <summary>The share of <paramref name="totalWeight"/> that words with these credits earn.</summary>
    private static double Covered(ReadOnlySpan<double> credit, double[] earned, double totalWeight)
    {
        if (totalWeight <= 0)
        {
            return 0;
        }

        var covered = 0.0;
        for (var gi = 0; gi < earned.Length; gi++)
        {
            covered += earned[gi] * credit[gi];
        }

        return covered / totalWeight;
    }

    /// <summary>The ranking features of one candidate (see <see cref="RankFeatures"/>); a title's coverage is computed once per article.</summary>
    private static RankFeatures Features(
        string text, PassageMatch match, BytesRef value, double bm25, double coverage, double cue, List<WordEvidence> words, double[] earned, double totalWeight,
        PassageMatcher matcher, Dictionary<string, double> titleCoverage)
    {
        var (title, ordinal) = PassageValuesCodec.TitleAndOrdinal(value);
        double nouns = 0, predicates = 0;
        var matched = 0;
        for (var gi = 0; gi < earned.Length; gi++)
        {
            if (!words[gi].InCorpus || match.Credit[gi] <= 0)
            {
                continue;
            }

            var v = earned[gi] * match.Credit[gi];
            matched++;
            if (words[gi].Predicate)
            {
                predicates += v;
            }
            else
            {
                nouns += v;
            }
        }

        if (!titleCoverage.TryGetValue(title, out var onTitle))
        {
            Span<double> credit = earned.Length <= 64 ? stackalloc double[earned.Length] : new double[earned.Length];
            matcher.Credit(title, credit);
            titleCoverage[title] = onTitle = Covered(credit, earned, totalWeight);
        }

        var norm = totalWeight > 0 ? totalWeight : 1;
        var (sentence, twoSentences) = PassageRanker.SentenceCoverage(text, match, earned, totalWeight);
        return new RankFeatures(
            bm25,
            coverage,
            cue,
            sentence,
            twoSentences,
            Math.Log(1 + text.Length),
            nouns / norm,
            predicates / norm,
            earned.Length > 0 ? (double)matched / earned.Length : 0,
            onTitle,
            Math.Log(1 + match.Spans.Count),
            ordinal <= 1);
    }

    /// <summary>An unknown Hangul word vetoes only while the best passage covers less than this of the question: a word the
    /// dictionary lacks may still be a loanword or slang for something the passage says.</summary>
    private const double UnknownWordMaxCoverage = 0.6;

    /// <summary>The coverage from which a missing topic word the dictionary knows as a noun no longer vetoes (measured on
    /// the readable question sets: 0.7 removes wrong declines without losing an out-of-corpus one; 0.6 answers "삼성전자
    /// 주가는 … 얼마나 떨어졌어?", as the dictionary lists 삼성전자).</summary>
    private const double TopicParaphraseMinCoverage = 0.7;

    private bool IsUnknownWord(string surface, Func<string, bool> inArticles) =>
        _unknown && _dictionary.Count > 0 && surface.Length >= 2 && WordPresence.IsHangulWord(surface) && !_dictionary.Knows(surface, inArticles);

    /// <summary>
    /// For each content word none of whose forms occurs: adds the whole Hangul run it was cut from when that occurs
    /// ("출생연도" for "출생연"), or else the spelling it was probably meant as (<see cref="WordPresence.Respell"/>).
    /// </summary>
    private void Repair(List<QueryGroup> groups, WordPresence presence, string question)
    {
        for (var gi = 0; gi < groups.Count; gi++)
        {
            var g = groups[gi];

            // A word split by a space ("딥 시크"): one syllable joined with the next word, when the articles contain that.
            if (JoinedWithNext(question, g.Surface) is { } joined && !g.Forms.Any(f => !f.Borrowed && presence.Occurs(f))
                && presence.Occurs(QueryForm.OfWord(joined, false)))
            {
                groups[gi] = g with { Forms = [.. g.Forms, .. _planner.FormsOf(joined, synonym: true)], Predicate = false };
                continue;
            }

            if (g.Predicate || g.Forms.Any(f => !f.Borrowed && presence.Occurs(f)))
            {
                continue;
            }

            IReadOnlyList<QueryForm> extra = [];
            if (g.Whole.Length > g.Forms[0].Text.Length)
            {
                var whole = QueryForm.OfWord(g.Whole, false);
                extra = presence.Occurs(whole) ? [whole] : [];
            }

            // A word the Korean dictionary knows as a noun is no typo ("궁극" is not 궁금 misspelt), nor is an English word
            // WordNet knows ("city" is not "cite"): it is left as it is.
            if (extra.Count == 0 && !_dictionary.IsNoun(g.Forms[0].Text) && !IsKnownEnglishWord(g.Surface)
                && presence.Respell(g.Forms[0].Text) is { } respelt)
            {
                extra = _planner.FormsOf(respelt, synonym: true);
            }

            // A noun with a suffix the analysis keeps ("칩끼리", "나라마다"): the noun, when the articles have it.
            if (extra.Count == 0 && (WithoutKeptSuffix(g.Forms[0].Text) ?? WithoutDaero(g.Whole)) is { } noun && presence.Occurs(QueryForm.OfWord(noun, false)))
            {
                extra = _planner.FormsOf(noun, synonym: true);
            }

            // A one-syllable noun keeps its particle in analysis, so "왕이" finds no "알렉산더 왕은": the same noun with
            // another particle, where the articles have it right after the question's word before it (a name's second
            // part), not merely somewhere.
            if (extra.Count == 0 && gi > 0 && OtherParticles(g.Forms[0].Text) is { } others
                && groups[gi - 1].Forms[0].Text is { Length: >= 2 } before && WordPresence.IsHangulWord(before))
            {
                extra = others.Where(o => presence.Occurs(QueryForm.OfWord(o, false)) && presence.Follows(before, o))
                    .Select(o => QueryForm.OfWord(o, false)).ToList();
            }

            if (extra.Count > 0)
            {
                groups[gi] = g with { Forms = [.. g.Forms, .. extra] };
                continue;
            }

            // Words run together without their spaces ("기술적고립주의", "고사양반도체없이"): one word per piece.
            if (_split && Unglue(g.Whole, presence) is { } pieces)
            {
                groups.RemoveAt(gi);
                groups.InsertRange(gi, pieces.Select(p => new QueryGroup(p.Surface, _planner.FormsOf(p.Word, synonym: false), p.Predicate)
                {
                    Topic = g.Topic && !p.Predicate,
                    Focus = g.Focus && !p.Predicate,
                }));
                gi += pieces.Count - 1;
            }
        }
    }

    /// <summary>
    /// A Hangul run of four or more syllables that occurs nowhere, cut into the fewest pieces (two to four) whose words
    /// (particle or ending stripped) all stand in one passage ("기술적고립주의" → 기술적, 고립주의; "고사양반도체없이" →
    /// 고사양, 반도체, 없이): a phrase of the articles typed without its spaces. A last piece that is only endings ("했나")
    /// is dropped. Null when no cut works; a name the articles lack ("스타게이트": 스타 and 게이트 occur only inside other
    /// words, and never together) stays missing.
    /// </summary>
    private static List<(string Surface, string Word, bool Predicate)>? Unglue(string run, WordPresence presence)
    {
        if (run.Length < 4 || run.Length > 12 || !WordPresence.IsHangulWord(run))
        {
            return null;
        }

        string? Analysed(string piece)
        {
            var words = KoreanWords.Split(piece);
            return words.Count == 1 && words[0].Text.Length >= 2 && presence.MayOccur(words[0].Text) ? words[0].Text
                : presence.MayOccur(piece) ? piece
                : null;
        }

        // best[i]: the fewest pieces that cut run[..i]
        var best = new int[run.Length + 1];
        var from = new int[run.Length + 1];
        Array.Fill(best, int.MaxValue);
        best[0] = 0;
        for (var end = 2; end <= run.Length; end++)
        {
            for (var start = 0; start <= end - 1; start++)
            {
                if (best[start] == int.MaxValue || best[start] + 1 >= best[end])
                {
                    continue;
                }

                // a piece of one syllable only as the closing bound word ("때")
                var piece = run[start..end];
                var closing = end == run.Length && start > 0 && (KoreanWords.IsSuffixChain(piece) || TrailingBoundWords.Contains(piece));
                if (closing || (piece.Length >= 2 && Analysed(piece) is not null))
                {
                    best[end] = best[start] + 1;
                    from[end] = start;
                }
            }
        }

        if (best[run.Length] is < 2 or > 4)
        {
            return null;
        }

        var pieces = new List<(string Surface, string Word, bool Predicate)>();
        for (var end = run.Length; end > 0; end = from[end])
        {
            var piece = run[from[end]..end];
            if (piece.Length >= 2 && Analysed(piece) is { } word)
            {
                pieces.Add((piece, word, KoreanWords.IsPredicateLike(new Word(word, 0, word.Length, WordKind.Hangul))));
            }
        }

        pieces.Reverse();
        return pieces.Count >= 2 && presence.CoOccur(pieces.Select(p => p.Word).ToList()) ? pieces : null;
    }

    /// <summary>Bound words that close a run typed without spaces ("딥시크쇼크때", "엔비디아말고"): when, besides.</summary>
    private static readonly HashSet<string> TrailingBoundWords = new(StringComparer.Ordinal) { "때", "때는", "때도", "말고", "빼고" };

    /// <summary>Suffixes of nouns that the analysis keeps on the word (among, each, the plural 들: "칩들"); not those of numbers and units (쯤, 씩, 짜리), whose unit words the counting rules read.</summary>
    private static readonly string[] KeptNounSuffixes = ["끼리", "마다", "들"];

    /// <summary>A one-syllable noun and its topic, subject or object particle ("왕이"; not 도, 로, 만, which end nouns too:
    /// 년도, 정도): the noun with each other particle, or null.</summary>
    private static IEnumerable<string>? OtherParticles(string word) =>
        word.Length == 2 && WordPresence.IsHangulWord(word) && word[1] is '은' or '는' or '이' or '가' or '을' or '를'
            ? KoreanStems.NounParticles.Where(p => p != word[1]).Select(p => $"{word[0]}{p}")
            : null;

    /// <summary>A noun with the particle 대로 ("as", "according to": "입맛대로", "계획대로"), which analysis cuts only as far as 로
    /// ("입맛대"): the noun, when at least two syllables are left before it (not "그대로", "반대로").</summary>
    private static string? WithoutDaero(string whole) =>
        whole.Length >= 4 && whole.EndsWith("대로", StringComparison.Ordinal) && WordPresence.IsHangulWord(whole) ? whole[..^2] : null;

    private static string? WithoutKeptSuffix(string word) =>
        WordPresence.IsHangulWord(word) && KeptNounSuffixes.FirstOrDefault(x => word.Length > x.Length && word.EndsWith(x, StringComparison.Ordinal)) is { } suffix
            ? word[..^suffix.Length]
            : null;

    /// <summary>A one-syllable Hangul word and the Hangul word after it, written together ("딥 시크" → "딥시크"), or null.</summary>
    private static string? JoinedWithNext(string question, string surface)
    {
        if (surface.Length != 1 || !KoreanWords.IsCjk(surface[0]))
        {
            return null;
        }

        for (var at = question.IndexOf(surface, StringComparison.Ordinal); at >= 0; at = question.IndexOf(surface, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !KoreanWords.IsCjk(question[at - 1]);
            var next = at + 2;
            if (!before || next >= question.Length || question[at + 1] != ' ' || !KoreanWords.IsCjk(question[next]))
            {
                continue;
            }

            var end = next;
            while (end < question.Length && KoreanWords.IsCjk(question[end]))
            {
                end++;
            }

            return surface + question[next..end];
        }

        return null;
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

    private sealed record Candidate(int DocId, string Text, double Bm25, double Score, double Coverage, PassageMatch Match, double Evidence);

    private static List<string> MergeWords(string text, IReadOnlyList<MatchSpan> spans)
    {
        var ranges = Snippets.Highlights(spans, 0, text.Length);
        return ranges.Select(r => text.Substring(r.Start, r.Length)).Distinct(StringComparer.Ordinal).ToList();
    }

    public void Dispose() => _served.Dispose();
}
