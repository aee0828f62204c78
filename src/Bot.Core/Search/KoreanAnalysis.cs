using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Synonym;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Bot.Core.Search;

/// <summary>
/// Index terms of a word: Hangul words become overlapping character bigrams (a one-syllable word stays a unigram),
/// so spacing errors and compounds still match; Latin and number words are one term each.
/// </summary>
public static class IndexTerms
{
    /// <summary>The terms of a word as strings (query side; allocation is fine there).</summary>
    public static List<string> Of(in Word word)
    {
        var list = new List<string>(Math.Max(1, word.Text.Length - 1));
        if (word.Kind == WordKind.Hangul && word.Text.Length >= 2)
        {
            for (var i = 0; i + 1 < word.Text.Length; i++)
            {
                list.Add(word.Text.Substring(i, 2));
            }
        }
        else
        {
            list.Add(word.Text);
        }

        return list;
    }
}

/// <summary>Reads a whole field into a string (fields here are passages of a few hundred characters).</summary>
internal static class ReaderText
{
    public static string ReadAll(TextReader reader, ref char[] buffer)
    {
        var len = 0;
        while (true)
        {
            if (len == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = reader.Read(buffer, len, buffer.Length - len);
            if (read <= 0)
            {
                break;
            }

            len += read;
        }

        return new string(buffer, 0, len);
    }
}

/// <summary>Reads the whole field, splits it into <see cref="KoreanWords"/> and lets the subclass emit tokens from them.</summary>
public abstract class KoreanTokenizerBase : Tokenizer
{
    private char[] _buffer = new char[1024];
    private int _finalOffset;

    protected KoreanTokenizerBase(TextReader input)
        : base(input)
    {
        Offset = AddAttribute<IOffsetAttribute>();
    }

    /// <summary>The words of the current field.</summary>
    protected List<Word> Words { get; } = new(64);

    protected IOffsetAttribute Offset { get; }

    public override void End()
    {
        base.End();
        Offset.SetOffset(_finalOffset, _finalOffset);
    }

    public override void Reset()
    {
        base.Reset();
        var text = ReaderText.ReadAll(m_input, ref _buffer);
        Words.Clear();
        KoreanWords.Split(text, Words);
        _finalOffset = CorrectOffset(text.Length);
        OnReset();
    }

    /// <summary>Resets the subclass's position in <see cref="Words"/>.</summary>
    protected abstract void OnReset();
}

/// <summary>The index-time tokenizer: <see cref="KoreanWords"/> then <see cref="IndexTerms"/>, with exact offsets.</summary>
public sealed class KoreanIndexTokenizer : KoreanTokenizerBase
{
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _posInc;
    private int _wordIndex;
    private int _bigram;

    public KoreanIndexTokenizer(TextReader input)
        : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _posInc = AddAttribute<IPositionIncrementAttribute>();
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        while (_wordIndex < Words.Count)
        {
            var w = Words[_wordIndex];
            if (w.Kind == WordKind.Hangul && w.Text.Length >= 2)
            {
                if (_bigram + 1 < w.Text.Length)
                {
                    var buf = _term.ResizeBuffer(2);
                    buf[0] = w.Text[_bigram];
                    buf[1] = w.Text[_bigram + 1];
                    _term.Length = 2;
                    Offset.SetOffset(CorrectOffset(w.Start + _bigram), CorrectOffset(w.Start + _bigram + 2));
                    _bigram++;
                    return true;
                }

                _wordIndex++;
                _bigram = 0;
                continue;
            }

            _term.SetEmpty().Append(w.Text);
            Offset.SetOffset(CorrectOffset(w.Start), CorrectOffset(w.End));
            _posInc.PositionIncrement = w.Catenated ? 0 : 1;
            _wordIndex++;
            return true;
        }

        return false;
    }

    protected override void OnReset()
    {
        _wordIndex = 0;
        _bigram = 0;
    }
}

/// <summary>The query-time word tokenizer (words, not bigrams), so that the synonym filter sees whole words.</summary>
public sealed class KoreanWordTokenizer : KoreanTokenizerBase
{
    public const string WordType = "word";

    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _posInc;
    private readonly ITypeAttribute _type;
    private int _index;

    public KoreanWordTokenizer(TextReader input)
        : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _posInc = AddAttribute<IPositionIncrementAttribute>();
        _type = AddAttribute<ITypeAttribute>();
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        while (_index < Words.Count)
        {
            var w = Words[_index++];
            if (w.Catenated)
            {
                continue; // synonyms and the query builder see the parts; the joined form is added by the query builder
            }

            _term.SetEmpty().Append(w.Text);
            Offset.SetOffset(CorrectOffset(w.Start), CorrectOffset(w.End));
            _posInc.PositionIncrement = 1;
            _type.Type = WordType;
            return true;
        }

        return false;
    }

    protected override void OnReset() => _index = 0;
}

/// <summary>Index analyzer: Korean-aware words expanded to bigrams (see <see cref="KoreanWords"/>, <see cref="IndexTerms"/>).</summary>
public sealed class KoreanIndexAnalyzer : Analyzer
{
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader) =>
        new(new KoreanIndexTokenizer(reader));
}

/// <summary>Word analyzer without synonyms (used to parse the synonyms file).</summary>
public sealed class KoreanWordAnalyzer : Analyzer
{
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader) =>
        new(new KoreanWordTokenizer(reader));
}

/// <summary>Query analyzer: words, then Lucene's <see cref="SynonymFilter"/> with the bilingual glossary.</summary>
public sealed class KoreanQueryAnalyzer : Analyzer
{
    private readonly SynonymMap? _synonyms;

    public KoreanQueryAnalyzer(SynonymMap? synonyms, IReadOnlyDictionary<string, List<string>>? singleWordSynonyms = null)
    {
        _synonyms = synonyms;
        SingleWordSynonyms = singleWordSynonyms ?? new Dictionary<string, List<string>>();
    }

    /// <summary>Single-word glossary entries and their synonyms (see <see cref="SynonymLoader.LoadWithIndex"/>).</summary>
    public IReadOnlyDictionary<string, List<string>> SingleWordSynonyms { get; }

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new KoreanWordTokenizer(reader);
        TokenStream sink = _synonyms is null || _synonyms.Fst is null ? source : new SynonymFilter(source, _synonyms, ignoreCase: true);
        return new TokenStreamComponents(source, sink);
    }
}

/// <summary>The one Lucene version constant.</summary>
public static class LuceneSettings
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Bumped whenever analysis or the index layout changes, so an older index is rebuilt.</summary>
    public const string AnalysisVersion = "ko-bigram-10+meta+rows"; // +meta: articles carry url/author/published (front matter, .md, .html); +rows: a table's rows stay with its header (PassageSplitter)
}
