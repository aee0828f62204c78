using System.Globalization;
using System.Reflection;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Digests;
using Bot.Core.Search;
using Bot.Core.Storage;
using Bot.Dashboard.Components;
using Bot.Dashboard.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Dashboard;

/// <summary>
/// Builds the Kestrel app: security headers (a CSP that allows only this origin's scripts, so no text a user wrote can
/// run), the token check, and the pages, each a Razor component rendered on the server from the bot's own services.
/// </summary>
internal static class DashboardApp
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static WebApplication Build(IServiceProvider bot, DashboardOptions options, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.WebHost.UseUrls(options.ListenUrl);
        builder.Services.AddRazorComponents();

        // Razor components bring antiforgery, which wants data-protection keys; the dashboard posts no protected forms, so
        // in-memory keys do (nothing is written to disk, no warning at start).
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var app = builder.Build();
        var logger = loggers.CreateLogger("Bot.Dashboard");
        var auth = new DashboardAuth(options.Token);
        var pages = new Pages(bot, options);

        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy = Csp;
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            h.XFrameOptions = "DENY";
            h.CacheControl = context.Request.Path.StartsWithSegments("/static") ? "public, max-age=86400" : "no-store";
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
            {
                DashboardLog.PageFailed(logger, ex, context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("500: the page failed; the bot's log has the details.").ConfigureAwait(false);
            }
        });

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/login") || path.StartsWithSegments("/static") || auth.Allows(context.Request, out _))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            DashboardLog.Rejected(logger, context.Request.Headers.Authorization.Count > 0 || context.Request.Cookies.ContainsKey(DashboardAuth.CookieName) ? "wrong token" : "no token", path);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("401 Unauthorized: send Authorization: Bearer <Dashboard:Token>, or sign in at /login").ConfigureAwait(false);
        });

        app.MapGet("/static/{name}", (string name) => Static(name));
        app.MapGet("/login", (HttpContext c) => Page<LoginPage>(pages.Context(c), new() { ["Failed"] = false, ["Return"] = DashboardAuth.SafeReturn(c.Request.Query["return"]) }));
        app.MapPost("/login", async (HttpContext c, CancellationToken ct) =>
        {
            var form = await c.Request.ReadFormAsync(ct).ConfigureAwait(false);
            var back = DashboardAuth.SafeReturn(form["return"]);
            if (!auth.Required || auth.IsToken(form["token"].ToString()))
            {
                if (auth.Required)
                {
                    c.Response.Cookies.Append(DashboardAuth.CookieName, auth.Session, new CookieOptions
                    {
                        HttpOnly = true,
                        SameSite = SameSiteMode.Strict,
                        Secure = c.Request.IsHttps,
                        Path = "/",
                    });
                }

                return Results.Redirect(back);
            }

            DashboardLog.Rejected(logger, "wrong token at sign-in", "/login");
            c.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page<LoginPage>(pages.Context(c), new() { ["Failed"] = true, ["Return"] = back }, StatusCodes.Status401Unauthorized);
        });
        app.MapPost("/logout", (HttpContext c) =>
        {
            c.Response.Cookies.Delete(DashboardAuth.CookieName, new CookieOptions { Path = "/" });
            return Results.Redirect("/login");
        });

        app.MapGet("/", (HttpContext c) => Page<OverviewPage>(pages.Context(c), new() { ["Model"] = pages.Overview() }));
        app.MapGet("/questions", (HttpContext c) =>
        {
            var model = pages.Questions(c.Request.Query);
            return IsHtmx(c)
                ? Fragment<QuestionsTable>(new() { ["Ctx"] = pages.Context(c), ["Model"] = model })
                : Page<QuestionsPage>(pages.Context(c), new() { ["Model"] = model });
        });
        app.MapGet("/questions/{id:long}", (HttpContext c, long id) =>
        {
            var model = pages.Question(id);
            if (model is null)
            {
                return Results.NotFound();
            }

            return IsHtmx(c)
                ? Fragment<QuestionDetailView>(new() { ["Ctx"] = pages.Context(c), ["Model"] = model })
                : Page<QuestionDetailPage>(pages.Context(c), new() { ["Model"] = model });
        });
        app.MapGet("/ask", (HttpContext c) => Page<AskPage>(pages.Context(c), new() { ["Model"] = pages.Ask(c.Request.Query["q"].ToString()) }));
        app.MapGet("/articles", (HttpContext c) => Page<ArticlesPage>(pages.Context(c), new() { ["Model"] = pages.Articles(IntOr(c.Request.Query["page"], 1)) }));
        app.MapGet("/articles/{id}", (HttpContext c, string id) => pages.Article(id) is { } view
            ? Page<ArticlePage>(pages.Context(c), new() { ["Model"] = view })
            : Results.NotFound());
        app.MapGet("/digests", async (HttpContext c, CancellationToken ct) => Page<DigestsPage>(pages.Context(c), new()
        {
            ["Model"] = await pages.DigestsAsync(c.Request.Query["preview"].ToString(), IntOr(c.Request.Query["page"], 1), ct).ConfigureAwait(false),
        }));
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain; charset=utf-8"));
        app.MapGet("/readyz", () =>
        {
            var (ready, lines) = pages.Readiness();
            return Results.Text(string.Join('\n', lines) + "\n", "text/plain; charset=utf-8", statusCode: ready ? 200 : 503);
        });
        app.MapGet("/metrics", () => Results.Text(pages.Metrics(), PrometheusText.ContentType));
        return app;
    }

    private static bool IsHtmx(HttpContext c) => c.Request.Headers["HX-Request"] == "true";

    private static int IntOr(string? s, int fallback) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;

    private static IResult Page<T>(PageContext ctx, Dictionary<string, object?> parameters, int status = 200)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        parameters["Ctx"] = ctx;
        return new RazorComponentResult<T>(parameters) { StatusCode = status };
    }

    private static IResult Fragment<T>(Dictionary<string, object?> parameters)
        where T : Microsoft.AspNetCore.Components.IComponent => new RazorComponentResult<T>(parameters);

    private static IResult Static(string name)
    {
        var stream = typeof(DashboardApp).Assembly.GetManifestResourceStream("wwwroot/" + name);
        if (stream is null)
        {
            return Results.NotFound();
        }

        var type = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        return Results.Stream(stream, type);
    }
}

/// <summary>Builds each page's model from the bot's services.</summary>
internal sealed class Pages
{
    private readonly IServiceProvider _bot;
    private readonly DashboardOptions _options;

    public Pages(IServiceProvider bot, DashboardOptions options)
    {
        _bot = bot;
        _options = options;
    }

    private DashboardQueries Queries => _bot.GetRequiredService<DashboardQueries>();

    private IEnumerable<IPlatformStatus> Platforms => _bot.GetServices<IPlatformStatus>();

    public PageContext Context(HttpContext c)
    {
        var requested = c.Request.Query["lang"].ToString();
        string lang;
        if (requested is "ko" or "en")
        {
            lang = requested;
            c.Response.Cookies.Append("lang", lang, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = TimeSpan.FromDays(365) });
        }
        else if (c.Request.Cookies.TryGetValue("lang", out var cookie) && cookie is "ko" or "en")
        {
            lang = cookie!;
        }
        else
        {
            lang = c.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
                .Select(l => l.Value.Value ?? "")
                .FirstOrDefault(v => v.StartsWith("ko", StringComparison.OrdinalIgnoreCase) || v.StartsWith("en", StringComparison.OrdinalIgnoreCase)) is { } v
                && v.StartsWith("ko", StringComparison.OrdinalIgnoreCase) ? "ko" : "en";
        }

        var t = DashboardText.For(lang);
        var query = c.Request.Query.Where(kv => kv.Key != "lang").Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value.ToString()))
            .Append(new KeyValuePair<string, string?>("lang", t.OtherCode));
        var switchUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(c.Request.Path.Value ?? "/", query);
        new DashboardAuth(_options.Token).Allows(c.Request, out var viaCookie);
        return new PageContext(t, c.Request.Path.Value ?? "/", switchUrl, viaCookie);
    }

    public OverviewModel Overview()
    {
        var engine = _bot.GetRequiredService<SearchEngine>();
        var folder = IndexStore.LuceneFolder(_bot.GetRequiredService<IOptions<IndexOptions>>().Value.Path);
        var bytes = Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length) : 0;
        return new OverviewModel(engine.Manifest, bytes, Platforms.Select(p => p.Snapshot()).ToList(), Queries.Days(30));
    }

    public QuestionsModel Questions(IQueryCollection q)
    {
        int? days = int.TryParse(q["days"], NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d > 0 ? Math.Min(d, 3650) : null;
        var filter = new QuestionFilter(
            Unanswered: q["unanswered"] == "1",
            RatedDown: q["down"] == "1",
            Platform: string.IsNullOrWhiteSpace(q["platform"]) ? null : q["platform"].ToString(),
            Days: days,
            Text: string.IsNullOrWhiteSpace(q["q"]) ? null : q["q"].ToString().Trim(),
            Page: int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1);
        return new QuestionsModel(filter, Queries.Questions(filter, _options.PageSize), Queries.Platforms());
    }

    public QuestionDetailModel? Question(long id)
    {
        var detail = Queries.Question(id);
        if (detail is null)
        {
            return null;
        }

        var e = detail.Entry;
        var article = e.TopDocId is null ? null : _bot.GetRequiredService<ArticleCatalog>().Articles().FirstOrDefault(a => a.DocId == e.TopDocId);
        var passage = article?.Passages.FirstOrDefault(p => p.Ordinal == e.TopPassage);
        return new QuestionDetailModel(detail, passage, article?.Title);
    }

    public AskModel Ask(string question)
    {
        var engine = _bot.GetRequiredService<SearchEngine>();
        if (string.IsNullOrWhiteSpace(question))
        {
            return new AskModel("", null, null, engine.Options.MinCoverage, []);
        }

        // Straight to retrieval: this path never touches the query log.
        var (answer, result) = _bot.GetRequiredService<QuestionHandler>().AskWithEvidence(question, 5);
        var views = _bot.GetServices<IAnswerPreview>().Select(p => PlatformPreview.Read(p.Platform, p.RenderJson(answer))).ToList();
        return new AskModel(question, answer, result, engine.Options.MinCoverage, views);
    }

    public ArticlesModel Articles(int page)
    {
        var all = _bot.GetRequiredService<ArticleCatalog>().Articles();
        var size = _options.PageSize;
        var pages = Math.Max(1, (all.Count + size - 1) / size);
        page = Math.Clamp(page, 1, pages);
        return new ArticlesModel(all.Skip((page - 1) * size).Take(size).ToList(), page, pages);
    }

    public ArticleView? Article(string id) => _bot.GetRequiredService<ArticleCatalog>().Find(id);

    public async Task<DigestsModel> DigestsAsync(string? preview, int page, CancellationToken ct)
    {
        var runner = _bot.GetRequiredService<DigestRunner>();
        var now = _bot.GetRequiredService<TimeProvider>().GetUtcNow();
        var schedules = runner.Schedules.Select(s => new DigestScheduleView(s, s.NextTick(now))).ToList();
        var runs = _bot.GetRequiredService<DigestRunStore>().Runs();
        var size = _options.PageSize;
        var pages = Math.Max(1, (runs.Count + size - 1) / size);
        page = Math.Clamp(page, 1, pages);
        var shown = runs.Reverse().Skip((page - 1) * size).Take(size).ToList();
        var selected = string.IsNullOrEmpty(preview) ? runner.Schedules.FirstOrDefault() : runner.Find(preview);
        string? text = null;
        var empty = false;
        if (selected is not null)
        {
            var content = await runner.PreviewAsync(selected, now, ct).ConfigureAwait(false);
            text = DigestPlainText.Render(content.Message);
            empty = content.IsEmpty;
        }

        return new DigestsModel(schedules, shown, page, pages, selected?.Name, text, empty);
    }

    public (bool Ready, List<string> Lines) Readiness()
    {
        var lines = new List<string>();
        var index = _bot.GetRequiredService<SearchEngine>().Manifest is not null;
        lines.Add($"index: {(index ? "loaded" : "not loaded")}");
        var storage = Queries.StorageOpen();
        lines.Add($"storage: {(storage ? "open" : "not open")}");
        var ready = index && storage;
        foreach (var p in Platforms.Select(p => p.Snapshot()))
        {
            lines.Add($"{p.Platform}: {(p.Connected ? "connected" : "not connected")} ({p.State})");
            ready &= p.Connected;
        }

        lines.Insert(0, ready ? "ready" : "not ready");
        return (ready, lines);
    }

    public string Metrics() => PrometheusText.Render(Queries.Totals(), Platforms.Select(p => p.Snapshot()));
}
