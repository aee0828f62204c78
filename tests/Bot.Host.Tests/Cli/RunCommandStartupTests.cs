using Bot.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Host.Tests.Cli;

/// <summary><c>bot run</c> refusing to start or stopping for good with one clear line: nothing configured, a bad setting, an unopenable database, every platform's token rejected (in process).</summary>
public sealed class RunCommandStartupTests : CliTestBase
{
    [Fact]
    public async Task Run_NothingConfigured_SaysWhatToSet()
    {
        var (code, _, err) = await Run("run");
        Assert.Equal(2, code);
        Assert.Contains("Discord:Token", err, StringComparison.Ordinal);
        Assert.Contains("Slack:BotToken", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadSlackConfig_OneLineErrorNamingTheSetting()
    {
        var (code, _, err) = await Run("run", "--set", "Slack:BotToken=not-a-bot-token", "--set", "Slack:AppToken=xapp-test");
        Assert.Equal(2, code);
        Assert.Contains("Slack:BotToken", err, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-bot-token", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public async Task Run_UnopenableDatabase_OneLineBeforeTheIndexIsBuilt()
    {
        var db = Tmp.Sub("db.sqlite");
        await File.WriteAllTextAsync(db, new string('x', 5000));
        var (code, _, err) = await Run("run", "--set", "Slack:BotToken=xoxb-test", "--set", "Slack:AppToken=xapp-test", "--set", $"Storage:Path={db}");
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Tmp.Sub("index"), "lucene")), "storage is checked before the index is built");
    }

    [Fact]
    public async Task Run_OnlyPlatformTokenRejected_ExitsOneWithOneLineInsteadOfIdling()
    {
        // A Web API that says invalid_auth to everything: Slack is the only platform and cannot recover.
        await using var api = await StartApiAsync(200, """{"ok":false,"error":"invalid_auth"}""");
        var err = await RunUntilEveryPlatformStoppedAsync("--set", "Slack:BotToken=xoxb-test", "--set", "Slack:AppToken=xapp-test",
            "--set", $"Slack:ApiBaseUrl={api.Http("api/")}");
        Assert.Contains("invalid_auth", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnlyPlatformDiscordTokenRejected_ExitsOneInsteadOfIdling()
    {
        // A Discord REST API that answers 401 to everything: GET /gateway/bot fails like close 4004 (authentication failed).
        await using var api = await StartApiAsync(401, """{"message":"401: Unauthorized","code":0}""");
        var err = await RunUntilEveryPlatformStoppedAsync("--set", "Discord:Token=not-a-real-token", "--set", $"Discord:ApiBaseUrl={api.Http("api/v10")}");
        Assert.Contains("4004", err, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-token", err, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs <c>bot run</c> with <paramref name="settings"/> (and a database in the temporary folder), expects it to exit
    /// within a minute with code 1 and one line saying every platform stopped for good (no stack trace); returns stderr.
    /// </summary>
    private async Task<string> RunUntilEveryPlatformStoppedAsync(params string[] settings)
    {
        var run = Run(["run", .. settings, "--set", $"Storage:Path={Tmp.Sub("db/bot.db")}", "--set", "Host:ShutdownTimeout=00:00:01"]);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.Same(run, finished);
        var (code, _, err) = await run;
        Assert.Equal(1, code);
        Assert.Contains("error: every configured chat platform stopped for good", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        return err;
    }

    /// <summary>An HTTP API on the fake-server host that answers every request under /api/ with one status and JSON body.</summary>
    private static Task<FakeServerHost> StartApiAsync(int status, string json) =>
        FakeServerHost.StartAsync(routes => routes.Map("/api/{**path}", async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        }));
}
