using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Bot.Core.Search;

/// <summary>
/// The passage ranker's boosted trees: a sum of regression trees over a candidate's feature vector
/// (<see cref="PassageRanker.FeatureNames"/>), read from the embedded <c>Resources/RankerTrees.json</c> that
/// <c>tests/eval/fit_trees.py</c> fits offline (scikit-learn's histogram gradient boosting). Each node goes left when the
/// value of its feature is at most its threshold. All trees are held in flat arrays, one run per tree.
/// </summary>
public sealed class RankerTrees
{
    private const string ResourceName = "Bot.Core.Search.RankerTrees.json";

    private static readonly Lazy<RankerTrees> Embedded = new(() =>
    {
        using var stream = typeof(RankerTrees).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from {typeof(RankerTrees).Assembly.GetName().Name}");
        return Parse(stream);
    });

    private readonly Node[] _nodes;
    private readonly int[] _roots;

    private RankerTrees(double baseline, Node[] nodes, int[] roots)
    {
        Baseline = baseline;
        _nodes = nodes;
        _roots = roots;
    }

    /// <summary>The trees shipped with the bot.</summary>
    public static RankerTrees Default => Embedded.Value;

    /// <summary>The log-odds before any tree.</summary>
    public double Baseline { get; }

    public int TreeCount => _roots.Length;

    /// <summary>
    /// Reads trees written by <c>fit_trees.py</c>: <c>{"features": [...], "baseline": x, "trees": [{"f", "t", "l", "r", "v"}]}</c>.
    /// The feature names must be <see cref="PassageRanker.FeatureNames"/>, in order, so a model fitted on other features
    /// fails here rather than ranking by the wrong ones.
    /// </summary>
    public static RankerTrees Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var names = root.GetProperty("features").EnumerateArray().Select(e => e.GetString()).ToArray();
        if (!names.SequenceEqual(PassageRanker.FeatureNames))
        {
            throw new InvalidDataException($"ranker trees fitted on features [{string.Join(", ", names)}], expected [{string.Join(", ", PassageRanker.FeatureNames)}]");
        }

        List<Node> nodes = [];
        List<int> roots = [];
        foreach (var tree in root.GetProperty("trees").EnumerateArray())
        {
            var offset = nodes.Count;
            var f = tree.GetProperty("f").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var t = tree.GetProperty("t").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var l = tree.GetProperty("l").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var r = tree.GetProperty("r").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var v = tree.GetProperty("v").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            if (f.Length == 0 || t.Length != f.Length || l.Length != f.Length || r.Length != f.Length || v.Length != f.Length)
            {
                throw new InvalidDataException($"ranker tree {roots.Count} has arrays of different lengths");
            }

            for (var i = 0; i < f.Length; i++)
            {
                // Nodes in preorder: a split's left child right after it, its right child later; every walk ends at a leaf.
                if (f[i] >= names.Length || (f[i] >= 0 && (l[i] != i + 1 || r[i] <= l[i] || r[i] >= f.Length)))
                {
                    throw new InvalidDataException($"ranker tree {roots.Count} node {i} is malformed");
                }

                nodes.Add(f[i] < 0 ? new Node(v[i], -1, 0) : new Node(t[i], f[i], r[i] + offset));
            }

            roots.Add(offset);
        }

        return new RankerTrees(root.GetProperty("baseline").GetDouble(), [.. nodes], [.. roots]);
    }

    /// <summary>
    /// The log-odds that each passage answers (the baseline plus each tree's leaf), for each of <paramref name="sums"/>.Length
    /// rows of <paramref name="rows"/> (row-major, one vector of <paramref name="width"/> features per row,
    /// <see cref="PassageRanker.FeatureNames"/>). Tree by tree, so a tree's nodes stay in cache for every row; the walk reads nodes and features without bounds checks, which
    /// <see cref="Parse"/> made safe (every feature index below the width, every child inside its tree).
    /// </summary>
    public void LogOdds(ReadOnlySpan<double> rows, int width, Span<double> sums)
    {
        if (width != PassageRanker.FeatureNames.Length || rows.Length < sums.Length * width)
        {
            throw new ArgumentException($"expected {sums.Length} rows of {PassageRanker.FeatureNames.Length} features", nameof(rows));
        }

        ref var nodes = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref var first = ref MemoryMarshal.GetReference(rows);
        sums.Fill(Baseline);
        foreach (var root in _roots)
        {
            for (var r = 0; r < sums.Length; r++)
            {
                ref var x = ref Unsafe.Add(ref first, r * width);
                var i = root;
                while (true)
                {
                    ref var node = ref Unsafe.Add(ref nodes, i);
                    if (node.Feature < 0)
                    {
                        sums[r] += node.Value;
                        break;
                    }

                    i = Unsafe.Add(ref x, node.Feature) <= node.Value ? i + 1 : node.Right;
                }
            }
        }
    }

    /// <summary>One node, 16 bytes, in preorder (a split's left child is the next node): a split (the feature, its
    /// threshold in <see cref="Value"/>, the index of its right child) or a leaf (feature -1, its value).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Node(double Value, int Feature, int Right);
}
