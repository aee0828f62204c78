namespace Bot.Core.Search;

/// <summary>Per group: credit in [0,1] (share of the best form's terms present, 0 below half; for a phrase of several
/// words, the idf-weighted share) and the matched spans.</summary>
public sealed record PassageMatch(double[] Credit, List<MatchSpan> Spans);

/// <summary>
/// Finds a question's terms in passages: per group, the share of its best form's terms present (credit, 0 below half)
/// and the spans of those terms. Only the question's terms are looked up (span lookups, no per-bigram strings).
/// </summary>
public sealed class PassageMatcher
{
    private readonly IReadOnlyList<QueryGroup> _groups;
    private readonly Dictionary<string, int> _termIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<(int S, int E)>[] _positions;
    private readonly int[][][] _formTerms;
    private readonly List<Word> _words = new(128);

    private readonly double[] _termWeight;
    private readonly bool[][] _phrase;
    private readonly int[] _seenAt;
    private int _stamp;

    /// <param name="termWeight">A term's weight (its idf) for the partial match of a phrase of several words; null: all 1.</param>
    public PassageMatcher(IReadOnlyList<QueryGroup> groups, Func<string, double>? termWeight = null)
    {
        _groups = groups;
        _phrase = groups.Select(g => g.Forms.Select(f => f.Text.Contains(' ', StringComparison.Ordinal)).ToArray()).ToArray();
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
        _termWeight = new double[_termIndex.Count];
        foreach (var (term, id) in _termIndex)
        {
            _termWeight[id] = termWeight?.Invoke(term) ?? 1;
        }

        _seenAt = new int[_termIndex.Count];
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

        Scan(text, new Positions(_positions));

        var credit = new double[_groups.Count];
        var spans = new List<MatchSpan>();
        for (var gi = 0; gi < _groups.Count; gi++)
        {
            var bestForm = BestForm(gi, new Positioned(_positions), out credit[gi]);
            if (bestForm < 0)
            {
                continue;
            }

            foreach (var id in _formTerms[gi][bestForm])
            {
                foreach (var (s, e) in _positions[id])
                {
                    spans.Add(new MatchSpan(s, e, gi, id));
                }
            }
        }

        return new PassageMatch(credit, spans);
    }

    /// <summary>Per group, the credit <see cref="Match"/> would give <paramref name="text"/>, into <paramref name="credit"/>
    /// (one per group), without the spans: for short texts such as titles.</summary>
    public void Credit(string text, Span<double> credit)
    {
        var stamp = ++_stamp;
        Scan(text, new Stamps(_seenAt, stamp));
        for (var gi = 0; gi < _groups.Count; gi++)
        {
            BestForm(gi, new Stamped(_seenAt, stamp), out credit[gi]);
        }
    }

    /// <summary>Hands each of the question's terms found in <paramref name="text"/> to <paramref name="sink"/> with its
    /// span: the bigrams of Hangul words (a one-syllable word as itself), Latin and number words whole.</summary>
    private void Scan<TSink>(string text, TSink sink)
        where TSink : struct, ISink
    {
        _words.Clear();
        KoreanWords.Split(text, _words, hangulText: false);
        foreach (var w in _words)
        {
            if (w.Kind != WordKind.Hangul)
            {
                if (_lookup.TryGetValue(w.Text, out var id))
                {
                    sink.Add(id, w.Start, w.End);
                }

                continue;
            }

            if (w.End - w.Start == 1)
            {
                if (_lookup.TryGetValue(text.AsSpan(w.Start, 1), out var one))
                {
                    sink.Add(one, w.Start, w.End);
                }

                continue;
            }

            for (var i = w.Start; i + 1 < w.End; i++)
            {
                if (_lookup.TryGetValue(text.AsSpan(i, 2), out var id))
                {
                    sink.Add(id, i, i + 2);
                }
            }
        }
    }

    /// <summary>The form of group <paramref name="gi"/> with the largest share of its terms present (at least half; for a
    /// phrase of several words, the share of their weight), or -1; <paramref name="share"/> is that share, or 0.</summary>
    private int BestForm<TPresent>(int gi, TPresent present, out double share)
        where TPresent : struct, IPresent
    {
        var bestForm = -1;
        share = 0;
        var forms = _formTerms[gi];
        for (var fi = 0; fi < forms.Length; fi++)
        {
            var count = 0;
            double wPresent = 0, wAll = 0;
            foreach (var id in forms[fi])
            {
                wAll += _termWeight[id];
                if (present.Has(id))
                {
                    count++;
                    wPresent += _termWeight[id];
                }
            }

            var formShare = (double)count / forms[fi].Length;
            // A phrase of several words ("수혜 기업") is weighed by what its present terms tell apart: its common word
            // alone ("기업") is no half match.
            if (formShare < 1 && wAll > 0 && _phrase[gi][fi])
            {
                formShare = wPresent / wAll;
            }

            if (formShare >= 0.5 && formShare > share)
            {
                share = formShare;
                bestForm = fi;
            }
        }

        return bestForm;
    }

    /// <summary>Where <see cref="Scan"/> puts a term found (a struct, so that the call inlines).</summary>
    private interface ISink
    {
        void Add(int id, int start, int end);
    }

    private readonly struct Positions(List<(int S, int E)>[] positions) : ISink
    {
        public void Add(int id, int start, int end) => positions[id].Add((start, end));
    }

    private readonly struct Stamps(int[] seenAt, int stamp) : ISink
    {
        public void Add(int id, int start, int end) => seenAt[id] = stamp;
    }

    /// <summary>Whether a term is present in the text at hand (a struct, so that the check inlines).</summary>
    private interface IPresent
    {
        bool Has(int id);
    }

    private readonly struct Positioned(List<(int S, int E)>[] positions) : IPresent
    {
        public bool Has(int id) => positions[id].Count > 0;
    }

    private readonly struct Stamped(int[] seenAt, int stamp) : IPresent
    {
        public bool Has(int id) => seenAt[id] == stamp;
    }
}
