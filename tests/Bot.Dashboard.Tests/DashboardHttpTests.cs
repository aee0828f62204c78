using System.Globalization;
using System.Net;
using Bot.Dashboard.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Dashboard.Tests;

/// <summary>Endpoints over plain HTTP (no browser needed).</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardHttpTests
{
    private readonly DashboardFixture _f;

    public DashboardHttpTests(DashboardFixture fixture) => _f = fixture;

    [Theory]
    [InlineData("/")]
    [InlineData("/questions")]
    [InlineData("/metrics")]
    [InlineData("/readyz")]
    [InlineData("/healthz")]
    public async Task AnyPage_NoOrWrongToken_401AndNothingElse(string path)
    {
        using var anonymous = _f.Http(withToken: false);
        var none = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        var body = await none.Content.ReadAsStringAsync();
        Assert.DoesNotContain("딥시크", body);
        Assert.DoesNotContain("bot_", body);

        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);

        using var client = _f.Http();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Pages_SendCspWithoutInlineScript()
    {
        using var client = _f.Http();
        var response = await client.GetAsync("/");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_ParseStrictly_AndCountTheQueryLog()
    {
        using var client = _f.Http();
        var response = await client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType.Parameters.Single(p => p.Name == "version").Value);
        var families = PrometheusTextParser.Parse(await response.Content.ReadAsStringAsync());

        var questions = families["bot_questions_total"];
        Assert.Equal("counter", questions.Type);
        Assert.Equal(_f.QueryLogRows(), (int)questions.Samples.Sum(s => s.Value));
        Assert.Equal(_f.AnsweredPerDay.Sum(), (int)questions.Samples.Where(s => s.Labels["outcome"] == "answered").Sum(s => s.Value));

        var latency = families["bot_answer_latency_seconds"];
        Assert.Equal("histogram", latency.Type);
        var buckets = latency.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
        Assert.Equal("+Inf", buckets[^1].Labels["le"]);
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Value <= p.Second.Value), "buckets are cumulative");
        Assert.Equal(buckets[^1].Value, latency.Samples.Single(s => s.Name == "bot_answer_latency_seconds_count").Value);

        var votes = families["bot_feedback_votes_total"];
        Assert.Equal(_f.DownPerDay.Sum(), (int)votes.Samples.Where(s => s.Labels["vote"] == "down").Sum(s => s.Value));
        Assert.Equal(3, families["bot_reconnects_total"].Samples.Single(s => s.Labels["platform"] == "discord").Value);
        Assert.True(families.ContainsKey("bot_digest_runs_total"));
    }

    [Fact]
    public async Task Readyz_PlatformDisconnected_503()
    {
        using var client = _f.Http();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        _f.Platform.Connected = false;
        try
        {
            var response = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("discord: not connected", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            _f.Platform.Connected = true;
        }
    }

    [Fact]
    public async Task Ask_OverHttp_NotWrittenToQueryLog()
    {
        using var client = _f.Http();
        var before = _f.QueryLogRows();
        var html = await client.GetStringAsync("/ask?q=" + Uri.EscapeDataString(DashboardFixture.Answered));
        Assert.Contains("data-status=\"Answered\"", html);
        Assert.Equal(before, _f.QueryLogRows());
    }

    [Fact]
    public void Questions_RatedDownFilter_OnlyGroupsWithADownVote()
    {
        var queries = _f.Services.GetRequiredService<DashboardQueries>();
        var page = queries.Questions(new QuestionFilter(RatedDown: true), 500);
        Assert.Equal(_f.DownPerDay.Sum(), page.TotalGroups);
        Assert.All(page.Rows, r => Assert.Equal(1, r.Down));
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", null, false)]
    [InlineData("http://10.1.2.3:5080", null, false)]
    [InlineData("http://10.1.2.3:5080", "a-long-enough-token-1234", true)]
    [InlineData("http://127.0.0.1:5080", null, true)]
    [InlineData("http://localhost:0", null, true)]
    [InlineData("http://[::1]:5080", null, true)]
    [InlineData("not a url", null, false)]
    public void Options_NonLoopbackNeedsToken(string url, string? token, bool valid)
    {
        var result = Bot.Core.ValidatedOptions.Check(new DashboardOptions { ListenUrl = url, Token = token });
        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public async Task Cli_NonLoopbackWithoutToken_OneLineError()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Bot.Host.Cli.BotCli.RunAsync(["dashboard", "--set", "Dashboard:ListenUrl=http://0.0.0.0:5080", "--set", "Dashboard:Token="], stdout, stderr);
        Assert.Equal(2, code);
        var message = stderr.ToString().Trim();
        Assert.Single(message.Split('\n'));
        Assert.Contains("Dashboard:Token is required", message);
    }

    [Fact]
    public void Percentile_NearestRank()
    {
        Assert.Null(DashboardQueries.Percentile([], 0.5));
        Assert.Equal(3, DashboardQueries.Percentile([1, 2, 3, 4, 5], 0.5));
        Assert.Equal(5, DashboardQueries.Percentile([1, 2, 3, 4, 5], 0.95));
        _ = CultureInfo.InvariantCulture;
        _ = _f.Services.GetRequiredService<IOptions<DashboardOptions>>().Value;
    }
}
