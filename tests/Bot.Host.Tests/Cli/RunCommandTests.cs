using System.Diagnostics;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;
using Bot.Slack.Tests.Fakes;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary>
/// <c>bot run</c> as a real process against the fake Discord and the fake Slack on 127.0.0.1: how it stops (SIGTERM)
/// and how it lives with a platform that fails for good.
/// </summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private const string DiscordToken = "discord-test-token-ZZZ";
    private const string SlackBotToken = "xoxb-slack-test-token";
    private const string SlackAppToken = "xapp-slack-test-token";
    private const string Question = "딥시크 설립은 언제 발표되었나요?";

    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-run");
    private FakeDiscordServer _discord = null!;
    private FakeSlack _slack = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _slack = await FakeSlack.StartAsync(TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _discord.DisposeAsync();
        await _slack.DisposeAsync();
        _tmp.Dispose();
    }

    private string[] Common(TimeSpan budget) =>
    [
        "run",
        "--set", $"Corpus:SeedsPath={RepoPaths.Seeds}",
        "--set", $"Index:Path={_tmp.Sub("index")}",
        "--set", $"Storage:Path={_tmp.Sub("db/bot.db")}",
        "--set", $"Host:ShutdownTimeout={budget:c}",
    ];

    private string[] DiscordSettings =>
    [
        "--set", $"Discord:Token={DiscordToken}",
        "--set", $"Discord:ApiBaseUrl={_discord.ApiBaseUrl}",
    ];

    private string[] SlackSettings =>
    [
        "--set", $"Slack:BotToken={SlackBotToken}",
        "--set", $"Slack:AppToken={SlackAppToken}",
        "--set", $"Slack:ApiBaseUrl={_slack.ApiBaseUrl}",
        "--set", "Slack:NumberOfConnections=1",
    ];

    [Fact]
    public async Task Run_SigtermWithAnswersBeingPostedOnBothPlatforms_DrainsBothAtOnceWithinOneBudgetAndLogsTheAbandoned()
    {
        var budget = TimeSpan.FromSeconds(2);
        var discordHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _discord.Script(r => r.Method == "POST" && r.Path == $"/channels/{Events.ChannelId}/messages", new FakeResponse(200, "{}") { Hold = discordHold.Task }, once: false);
        var slackHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _slack.HoldPostMessage = slackHold;
        using var bot = BotProcess.Start(_tmp.Path, [.. Common(budget), .. DiscordSettings, .. SlackSettings]);
        try
        {
            // an answer on each platform stuck in its post (the fakes hold the request open)
            await FakeDiscordServer.WaitUntilAsync(() => _discord.Connections.Any(c => c.Session is not null && c.IsOpen), "Discord READY");
            await _discord.DispatchAsync("MESSAGE_CREATE", Events.Guild($"<@{FakeDiscordServer.BotUserId}> {Question}"));
            var socket = await _slack.WaitForSocketAsync(1);
            await socket.SendAsync(FakeSlack.EventEnvelope("env-1", "Ev1", FakeSlack.Mention($"<@U_BOT> {Question}")));
            await FakeDiscordServer.WaitUntilAsync(() => _discord.RequestsTo("POST", $"/channels/{Events.ChannelId}/messages").Any(), "the Discord answer being posted");
            await _slack.WaitUntilAsync(() => _slack.CallsTo("chat.postMessage").Count > 0, "the Slack answer being posted");

            var stopping = Stopwatch.StartNew();
            bot.Terminate();
            var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var took = stopping.Elapsed;

            Assert.True(code == 0, $"exit {code?.ToString() ?? "(none)"}\n{bot.Out}\n{bot.Err}");
            // both drained together: one budget (the held answers waited for it), not two one after the other
            Assert.True(took >= budget - TimeSpan.FromMilliseconds(200), $"stopped in {took}: the answers were not given the budget");
            Assert.True(took < budget * 1.75, $"stopped in {took}; two budgets one after the other take {budget * 2}");

            var abandoned = bot.OutLines.Where(l => l.Contains("abandoned", StringComparison.Ordinal) || l.Contains("after the shutdown deadline", StringComparison.Ordinal)).ToList();
            Assert.Contains(abandoned, l => l.Contains("Slack", StringComparison.Ordinal) && l.Contains("1 answers abandoned", StringComparison.Ordinal));
            Assert.Contains(abandoned, l => l.Contains("Discord", StringComparison.Ordinal) && l.Contains("1 answers", StringComparison.Ordinal));
            foreach (var line in abandoned)
            {
                Assert.DoesNotContain(Events.UserId, line, StringComparison.Ordinal);
                Assert.DoesNotContain("U7", line, StringComparison.Ordinal);
            }

            AssertNoSecretsNoStackTrace(bot);
        }
        finally
        {
            discordHold.TrySetResult();
            slackHold.TrySetResult();
        }
    }

    [Theory]
    [InlineData(4004)]
    [InlineData(4014)]
    public async Task Run_OnlyPlatformDiscordGatewayClosesFatally_ExitsOneWithOneLine(int closeCode)
    {
        _discord.OnConnect = c => c.CloseAsync(closeCode, "fatal");
        using var bot = BotProcess.Start(_tmp.Path, [.. Common(TimeSpan.FromSeconds(1)), .. DiscordSettings]);

        var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(code == 1, $"exit {code?.ToString() ?? "(none: still running)"}\n{bot.Out}\n{bot.Err}");
        var err = Assert.Single(bot.ErrLines, l => l.Trim().Length > 0);
        Assert.StartsWith("error: every configured chat platform stopped for good: ", err, StringComparison.Ordinal);
        Assert.Contains($"Discord closed the gateway with {closeCode}", err, StringComparison.Ordinal);
        Assert.Contains(bot.OutLines, l => l.Contains($"Discord gateway closed by the server: code {closeCode}", StringComparison.Ordinal)); // the close frame, not REST
        Assert.DoesNotContain(_discord.RequestsTo("GET", "/gateway/bot"), r => r.Status == 401);
        AssertNoSecretsNoStackTrace(bot);
    }

    [Fact]
    public async Task Run_DiscordClosesWith4004_SlackKeepsAnsweringAndTheProcessStaysUp()
    {
        _discord.OnConnect = c => c.CloseAsync(4004, "Authentication failed.");
        using var bot = BotProcess.Start(_tmp.Path, [.. Common(TimeSpan.FromSeconds(1)), .. DiscordSettings, .. SlackSettings]);

        await bot.WaitForLineAsync("Discord gateway stopped for good");
        var socket = await _slack.WaitForSocketAsync(1);
        await socket.SendAsync(FakeSlack.EventEnvelope("env-1", "Ev1", FakeSlack.Mention($"<@U_BOT> {Question}")));
        var post = await _slack.WaitForAsync(() => _slack.Posts.FirstOrDefault(), "the Slack answer");

        Assert.Equal("C9", post["channel"]?.GetValue<string>());
        Assert.Contains("2023", post.ToJsonString(), StringComparison.Ordinal);
        Assert.False(bot.HasExited, $"the process exited although Slack still runs\n{bot.Out}\n{bot.Err}");
        Assert.Contains(_slack.Acks, a => a.EnvelopeId == "env-1");

        bot.Terminate();
        var code = await bot.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"exit {code?.ToString() ?? "(none)"}\n{bot.Out}\n{bot.Err}");
        Assert.DoesNotContain("stopped for good", bot.Err, StringComparison.Ordinal);
        AssertNoSecretsNoStackTrace(bot);
    }

    private static void AssertNoSecretsNoStackTrace(BotProcess bot)
    {
        foreach (var text in new[] { bot.Out, bot.Err })
        {
            Assert.DoesNotContain(DiscordToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SlackBotToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(SlackAppToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
    }
}
