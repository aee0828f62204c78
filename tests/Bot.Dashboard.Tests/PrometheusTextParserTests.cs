namespace Bot.Dashboard.Tests;

/// <summary>The parser that checks /metrics must itself reject what Prometheus rejects.</summary>
public sealed class PrometheusTextParserTests
{
    [Theory]
    [InlineData("a 1")] // no final newline
    [InlineData("a{b=\"c} 1\n")]
    [InlineData("a{b=c} 1\n")]
    [InlineData("1a 1\n")]
    [InlineData("a one\n")]
    [InlineData("# TYPE a counter\na -1\n")]
    [InlineData("# TYPE a counter\na 1\nb 1\na 2\n")]
    [InlineData("# TYPE h histogram\nh 1\n")]
    [InlineData("# TYPE a counter\na 1\n# TYPE a counter\n")]
    public void Parse_Malformed_Throws(string text) => Assert.Throws<FormatException>(() => PrometheusTextParser.Parse(text));

    [Fact]
    public void Parse_Valid_ReadsFamilies()
    {
        var f = PrometheusTextParser.Parse("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"0.1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 0.3\nh_count 2\n# TYPE c counter\nc{p=\"a\\\"b\"} 4\n");
        Assert.Equal(4, f["h"].Samples.Count);
        Assert.Equal("a\"b", f["c"].Samples[0].Labels["p"]);
    }
}
