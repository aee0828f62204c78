using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Bot.Core.Search;

/// <summary>
/// The tokens an analyzer produced for one field value (term, offsets, position increment), captured on an analysis
/// thread and replayed to the <see cref="Lucene.Net.Index.IndexWriter"/> by <see cref="Replay"/>: the writer then indexes
/// exactly what it would have analysed itself, while the analysis ran elsewhere (see <see cref="OrderedPipeline"/>).
/// Only these three attributes reach the index with our analyzer (no payloads, no term vectors, no indexed offsets).
/// </summary>
internal sealed class AnalyzedText
{
    private readonly char[] _chars;
    private readonly int[] _tokens; // per token: end in _chars, start offset, end offset, position increment
    private readonly int _count;
    private readonly int _finalOffset;
    private readonly int _finalPositionIncrement;

    private AnalyzedText(char[] chars, int[] tokens, int count, int finalOffset, int finalPositionIncrement)
    {
        _chars = chars;
        _tokens = tokens;
        _count = count;
        _finalOffset = finalOffset;
        _finalPositionIncrement = finalPositionIncrement;
    }

    public int Count => _count;

    /// <summary>Runs <paramref name="analyzer"/> over <paramref name="text"/> (thread-safe: Lucene analyzers reuse their components per thread).</summary>
    public static AnalyzedText Capture(Analyzer analyzer, string field, string text)
    {
        using var ts = analyzer.GetTokenStream(field, text);
        var term = ts.AddAttribute<ICharTermAttribute>();
        var offset = ts.AddAttribute<IOffsetAttribute>();
        var posInc = ts.AddAttribute<IPositionIncrementAttribute>();
        if (ts.HasAttribute<IPayloadAttribute>())
        {
            throw new NotSupportedException("payloads are not captured; index this analyzer's output directly");
        }

        var chars = new char[Math.Max(16, text.Length * 2)];
        var tokens = new int[64 * 4];
        var used = 0;
        var count = 0;
        ts.Reset();
        while (ts.IncrementToken())
        {
            var length = term.Length;
            if (used + length > chars.Length)
            {
                Array.Resize(ref chars, Math.Max(chars.Length * 2, used + length));
            }

            Array.Copy(term.Buffer, 0, chars, used, length);
            used += length;
            if ((count + 1) * 4 > tokens.Length)
            {
                Array.Resize(ref tokens, tokens.Length * 2);
            }

            var t = count * 4;
            tokens[t] = used;
            tokens[t + 1] = offset.StartOffset;
            tokens[t + 2] = offset.EndOffset;
            tokens[t + 3] = posInc.PositionIncrement;
            count++;
        }

        ts.End();
        return new AnalyzedText(chars, tokens, count, offset.EndOffset, posInc.PositionIncrement);
    }

    /// <summary>A fresh token stream that replays the captured tokens (the writer disposes it after the field).</summary>
    public TokenStream Replay() => new ReplayStream(this);

    private sealed class ReplayStream : TokenStream
    {
        private readonly AnalyzedText _text;
        private readonly ICharTermAttribute _term;
        private readonly IOffsetAttribute _offset;
        private readonly IPositionIncrementAttribute _posInc;
        private int _next;

        public ReplayStream(AnalyzedText text)
        {
            _text = text;
            _term = AddAttribute<ICharTermAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
            _posInc = AddAttribute<IPositionIncrementAttribute>();
        }

        public override bool IncrementToken()
        {
            if (_next >= _text._count)
            {
                return false;
            }

            ClearAttributes();
            var t = _next * 4;
            var start = _next == 0 ? 0 : _text._tokens[t - 4];
            var end = _text._tokens[t];
            _term.CopyBuffer(_text._chars, start, end - start);
            _offset.SetOffset(_text._tokens[t + 1], _text._tokens[t + 2]);
            _posInc.PositionIncrement = _text._tokens[t + 3];
            _next++;
            return true;
        }

        public override void End()
        {
            base.End();
            _offset.SetOffset(_text._finalOffset, _text._finalOffset);
            _posInc.PositionIncrement = _text._finalPositionIncrement;
        }

        public override void Reset()
        {
            base.Reset();
            _next = 0;
        }
    }
}
