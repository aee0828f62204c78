using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class RankerTreesTests
{
    private static Stream Json(JsonNode node) => new MemoryStream(Encoding.UTF8.GetBytes(node.ToJsonString()));

    private static JsonObject Model(double baseline, params JsonObject[] trees) => new()
    {
        ["features"] = new JsonArray([.. PassageRanker.FeatureNames.Select(n => (JsonNode)n!)]),
        ["baseline"] = baseline,
        ["trees"] = new JsonArray(trees),
    };

    // One split on feature f at threshold t, leaves a (left) and b (right).
    private static JsonObject Stump(int f, double t, double a, double b) => new()
    {
        ["f"] = new JsonArray(f, -1, -1),
        ["t"] = new JsonArray(t, 0, 0),
        ["l"] = new JsonArray(1, 0, 0),
        ["r"] = new JsonArray(2, 0, 0),
        ["v"] = new JsonArray(0, a, b),
    };

    private static double One(RankerTrees trees, double[] x)
    {
        var sum = new double[1];
        trees.LogOdds(x, x.Length, sum);
        return sum[0];
    }

    [Fact]
    public void Default_LoadsTheShippedTrees()
    {
        Assert.True(RankerTrees.Default.TreeCount > 0);
    }

    [Fact]
    public void LogOdds_SumsTheBaselineAndOneLeafPerTree_GoingLeftAtTheThreshold()
    {
        var trees = RankerTrees.Parse(Json(Model(-1.0, Stump(1, 0.5, 0.25, 2.0), Stump(24, 0.1, -0.5, 0.75))));
        var x = new double[PassageRanker.FeatureNames.Length];
        x[1] = 0.5; // at the threshold: left
        x[24] = 0.2;
        Assert.Equal(-1.0 + 0.25 + 0.75, One(trees, x), 10);
        x[1] = 0.51;
        x[24] = 0;
        Assert.Equal(-1.0 + 2.0 - 0.5, One(trees, x), 10);

        // Two rows at once give the same sums as one at a time.
        var rows = new double[2 * x.Length];
        rows[1] = 0.5;
        rows[24] = 0.2;
        x.CopyTo(rows, x.Length);
        var sums = new double[2];
        trees.LogOdds(rows, x.Length, sums);
        Assert.Equal([-1.0 + 0.25 + 0.75, -1.0 + 2.0 - 0.5], sums);
    }

    [Fact]
    public void Parse_RejectsTreesFittedOnOtherFeatures()
    {
        var model = Model(0, Stump(0, 0.5, 0, 1));
        model["features"] = new JsonArray("bm25", "cov");
        var e = Assert.Throws<InvalidDataException>(() => RankerTrees.Parse(Json(model)));
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void Parse_RejectsANodeWhoseChildIsNotAfterIt()
    {
        var stump = Stump(0, 0.5, 0, 1);
        stump["l"] = new JsonArray(0, 0, 0); // a split pointing at itself would never reach a leaf
        Assert.Throws<InvalidDataException>(() => RankerTrees.Parse(Json(Model(0, stump))));
    }
}
