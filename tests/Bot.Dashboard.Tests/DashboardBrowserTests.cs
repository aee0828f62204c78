using System.Text.Json;
using Microsoft.Playwright;

namespace Bot.Dashboard.Tests;

/// <summary>The pages in Debian's Chromium (skipped, with the reason, when it is not installed).</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests
{
    private readonly DashboardFixture _f;

    public DashboardBrowserTests(DashboardFixture fixture) => _f = fixture;

    private async Task<(IBrowserContext Context, IPage Page)> OpenAsync(bool withToken = true, string locale = "en-US")
    {
        Skip.If(_f.Browser is null, _f.BrowserMissing);
        var context = await _f.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _f.Address.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ExtraHTTPHeaders = withToken ? new Dictionary<string, string> { ["Authorization"] = "Bearer " + DashboardFixture.Token } : null,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return (context, page);
    }

    private Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_f.ArtifactDir, name + ".png"), FullPage = true });

    [SkippableFact]
    public async Task Overview_FilledDatabase_PlotsEachDayFromTheStores()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;
        var response = await page.GotoAsync("/");
        Assert.Equal(200, response!.Status);
        await page.WaitForSelectorAsync("#chart-feedback[data-drawn]");

        var questions = await DatasetsAsync(page, "chart-questions");
        Assert.Equal(_f.AnsweredPerDay.Select(v => (double?)v), questions[0]);
        Assert.Equal(_f.DeclinedPerDay.Select(v => (double?)v), questions[1]);
        var feedback = await DatasetsAsync(page, "chart-feedback");
        Assert.Equal(_f.UpPerDay.Select(v => (double?)v), feedback[0]);
        Assert.Equal(_f.DownPerDay.Select(v => (double?)v), feedback[1]);
        var latency = await DatasetsAsync(page, "chart-latency");
        Assert.Equal(30, latency[0].Count);
        Assert.All(latency[0].Zip(latency[1]), p => Assert.True(p.First <= p.Second, "p50 above p95"));

        // Axes titled with units, legends on, the platform's state and the corpus numbers shown.
        var yTitle = await page.EvaluateAsync<string>("() => Chart.getChart(document.getElementById('chart-latency')).options.scales.y.title.text");
        Assert.Equal("milliseconds", yTitle);
        Assert.Contains("connected", await page.InnerTextAsync("[data-platform=discord]"));
        Assert.Equal("5", await page.InnerTextAsync("#stat-articles"));
        await ShotAsync(page, "overview");
    }

    private static async Task<List<List<double?>>> DatasetsAsync(IPage page, string id)
    {
        var json = await page.EvaluateAsync<string>($"() => JSON.stringify(Chart.getChart(document.getElementById('{id}')).data.datasets.map(d => d.data))");
        return JsonSerializer.Deserialize<List<List<double?>>>(json)!;
    }

    [SkippableFact]
    public async Task Questions_UnansweredFilter_ListsOnlyDeclinedGroupsAndOpensTheAnswer()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;
        await page.GotoAsync("/questions");
        Assert.Contains("Answered", await page.Locator(".question-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)"));

        var console = new List<string>();
        page.Console += (_, m) => console.Add(m.Text);
        await page.CheckAsync("#f-unanswered");
        try
        {
            await page.WaitForFunctionAsync("() => location.search.includes('unanswered=1')");
        }
        catch (TimeoutException)
        {
            Assert.Fail("htmx did not swap: " + string.Join(" | ", console) + " htmx=" + await page.EvaluateAsync<string>("() => typeof htmx"));
        }

        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.question-row')].every(r => r.dataset.status !== 'Answered')");
        var statuses = await page.Locator(".question-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)");
        Assert.Equal(2, statuses.Length); // the hostile question and the grouped unanswered one
        Assert.All(statuses, s => Assert.Equal("NotFound", s));

        // Same question asked on many days: one row with its count.
        var row = page.Locator(".question-row", new() { HasText = DashboardFixture.Unanswered });
        Assert.Equal(_f.DeclinedPerDay.Sum() - 1, int.Parse(await row.Locator("td.num").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture));
        await row.Locator("a").ClickAsync();
        await page.WaitForSelectorAsync("#detail-reason");
        Assert.Contains("never mention 본사", await page.InnerTextAsync("#detail-reason"));
        await ShotAsync(page, "questions-unanswered");

        // The answered question opens with the passage it cited.
        await page.GotoAsync("/questions?q=" + Uri.EscapeDataString("훈련 비용"));
        await page.Locator(".question-row a").First.ClickAsync();
        await page.WaitForSelectorAsync("#detail-passage");
        Assert.Contains("002_15df3019d8376f01", await page.InnerHTMLAsync("#detail-passage"));
        await ShotAsync(page, "questions-detail");
    }

    [SkippableFact]
    public async Task Ask_KoreanAndEnglish_AnswersWithCitationAndExplainWithoutLogging()
    {
        var (context, page) = await OpenAsync(locale: "ko-KR");
        await using var _ = context;
        var before = _f.QueryLogRows();

        await page.GotoAsync("/ask");
        await page.FillAsync("#ask-q", DashboardFixture.Answered);
        await page.ClickAsync("#ask-go");
        await page.WaitForSelectorAsync("#explain");
        Assert.Equal("Answered", await page.GetAttributeAsync("#ask-status", "data-status"));
        Assert.Equal("개요", await page.InnerTextAsync("header a[href='/']")); // Korean from Accept-Language
        var discord = await page.InnerTextAsync("#preview-discord");
        var slack = await page.InnerTextAsync("#preview-slack");
        Assert.Contains("👍", discord);
        Assert.Contains("V3", slack);
        Assert.True(await page.Locator("#preview-discord strong").CountAsync() > 0, "matched words are bold");
        Assert.True(await page.Locator("#explain-words tbody tr").CountAsync() >= 2);
        Assert.Equal("답변", await page.InnerTextAsync("#explain-decision"));
        await ShotAsync(page, "ask-korean");

        await page.ClickAsync("#lang-switch");
        await page.GotoAsync("/ask?q=" + Uri.EscapeDataString("How much did DeepSeek V3 training cost?"));
        await page.WaitForSelectorAsync("#explain");
        Assert.Equal("Overview", await page.InnerTextAsync("header a[href='/']"));
        Assert.Equal("Answered", await page.GetAttributeAsync("#ask-status", "data-status"));
        Assert.Contains("Sources", await page.InnerTextAsync("#preview-discord"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("answer", await page.InnerTextAsync("#explain-decision"));
        await ShotAsync(page, "ask-english");

        await page.GotoAsync("/ask?q=" + Uri.EscapeDataString("딥시크 본사 주소는 어디야?"));
        await page.WaitForSelectorAsync("#ask-decline");
        Assert.Equal("decline", await page.InnerTextAsync("#explain-decision"));

        Assert.Equal(before, _f.QueryLogRows());
    }

    [SkippableFact]
    public async Task HostileQuestion_ShownAsText_NoScriptRuns()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;
        var errors = new List<string>();
        page.Console += (_, m) => errors.Add(m.Text);
        await page.GotoAsync("/questions?q=script");
        var link = page.Locator(".question-link", new() { HasText = "<script>" });
        Assert.Contains("<img src=x onerror=", await link.InnerTextAsync());
        Assert.Equal(0, await page.Locator("#questions img").CountAsync());
        await link.ClickAsync();
        await page.WaitForSelectorAsync("#detail-question");
        Assert.Contains("<script>", await page.InnerTextAsync("#detail-question"));
        Assert.Contains("<b>never</b>", await page.InnerTextAsync("#detail-reason"));

        await page.GotoAsync("/ask?q=" + Uri.EscapeDataString(DashboardFixture.Hostile));
        Assert.Equal(DashboardFixture.Hostile, await page.InputValueAsync("#ask-q"));
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        await ShotAsync(page, "hostile");
    }

    [SkippableFact]
    public async Task NoToken_Gets401_LoginFormSetsStrictHttpOnlyCookie()
    {
        var (context, page) = await OpenAsync(withToken: false);
        await using var _ = context;
        var response = await page.GotoAsync("/questions");
        Assert.Equal(401, response!.Status);
        Assert.DoesNotContain(DashboardFixture.Unanswered, await page.ContentAsync());

        await page.GotoAsync("/login?return=/questions");
        await page.FillAsync("#token", "wrong-token-wrong-token");
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#login-failed");
        await page.FillAsync("#token", DashboardFixture.Token);
        await page.ClickAsync("#sign-in");
        await page.WaitForSelectorAsync("#questions");
        Assert.EndsWith("/questions", page.Url);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "bot_dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.NotEqual(DashboardFixture.Token, cookie.Value);
        await ShotAsync(page, "signed-in");
    }

    [SkippableFact]
    public async Task OtherPages_Render_ScreenshotsKept()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;
        await page.GotoAsync("/articles");
        Assert.Equal(5, await page.Locator("#articles tbody tr").CountAsync());
        await ShotAsync(page, "articles");

        await page.GotoAsync("/articles/002_15df3019d8376f01");
        Assert.True(await page.Locator(".passage").CountAsync() > 3);
        Assert.True(await page.Locator("#removed tbody tr").CountAsync() > 0, "cleaning removed something");
        await ShotAsync(page, "article");

        await page.GotoAsync("/digests");
        Assert.Contains("+09:00", await page.InnerTextAsync("#schedules"));
        Assert.False(string.IsNullOrWhiteSpace(await page.InnerTextAsync("#digest-preview")));
        await ShotAsync(page, "digests");
    }
}
