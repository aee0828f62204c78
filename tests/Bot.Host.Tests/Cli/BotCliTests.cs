using System.Text.Json;
using Bot.Host.Cli;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary>The command line as a whole: usage and bad usage, the Discord invite and Slack manifest printers, and the example settings file run as a real process.</summary>
public sealed class BotCliTests : CliTestBase
{
    [Fact]
    public async Task NoArgs_PrintsUsage()
    {
        var stdout = new StringWriter();
        var code = await BotCli.RunAsync([], stdout, new StringWriter());
        Assert.Equal(2, code);
        Assert.Contains("bot ask", stdout.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ask")]
    [InlineData("ask", "")]
    [InlineData("ask", "?!?")]
    [InlineData("ask", "--top", "zero", "딥시크")]
    [InlineData("ask", "--batch", "/nonexistent/file.jsonl")]
    [InlineData("nonsense")]
    [InlineData("index", "extra")]
    [InlineData("ask", "--bogus", "딥시크")]
    public async Task BadUsage_ExitTwoOneLineNoStackTrace(params string[] args)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscordInvite_WithApplicationId_PrintsUrlWithScopesAndPermissions()
    {
        var (code, output, _) = await Run("discord", "invite", "--set", "Discord:ApplicationId=123456789012345678");
        Assert.Equal(0, code);
        Assert.Contains("client_id=123456789012345678", output, StringComparison.Ordinal);
        Assert.Contains("scope=bot%20applications.commands", output, StringComparison.Ordinal);
        Assert.Contains("permissions=", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscordInvite_NothingSet_OneLineError()
    {
        var (code, _, err) = await Run("discord", "invite");
        Assert.Equal(2, code);
        Assert.Contains("Discord:ApplicationId", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlackManifest_PrintsJsonWithScopesCommandsAndShortcut()
    {
        var (code, output, _) = await Run("slack", "manifest");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var text = doc.RootElement.ToString();
        foreach (var expected in new[] { "app_mentions:read", "im:history", "chat:write", "commands", "/ask", "/search", "/source", "/help", "find_sources", "socket_mode_enabled" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ExampleSettings_BindCleanly()
    {
        // appsettings.example.json copied as appsettings.json: every value binds and validates, and with no tokens
        // `run` says what to set.
        var work = Tmp.Sub("work");
        Directory.CreateDirectory(work);
        File.Copy(Path.Combine(RepoPaths.Root, "appsettings.example.json"), Path.Combine(work, "appsettings.json"));

        Task<(int, string, string)> Exec(params string[] args) => ExecBot(work, args);

        var (code, output, err) = await Exec(["ask", .. Paths, "딥시크 설립은 언제 발표되었나요?"]);
        Assert.True(code == 0, err);
        Assert.Contains("2023년", output, StringComparison.Ordinal);
        (code, _, err) = await Exec(["run", .. Paths]);
        Assert.Equal(2, code);
        Assert.Contains("no chat platform is configured", err, StringComparison.Ordinal);
        (code, output, err) = await Exec(["digest", "preview", .. Paths, "--set", $"Storage:Path={Tmp.Sub("db/bot.db")}"]);
        Assert.True(code is 0 or 2, err);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
