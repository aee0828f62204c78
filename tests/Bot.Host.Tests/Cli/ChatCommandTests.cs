using System.Text.Json;
using Bot.Host.Cli;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary><c>bot chat</c> with piped input and <c>bot ask --thread FILE</c>, in process, over the real seeds and SQLite.</summary>
public sealed class ChatCommandTests : IDisposable
{
    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-chat");

    private async Task<(int Code, string Out, string Err)> Run(string input, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] all = [args[0], "--set", $"Corpus:SeedsPath={RepoPaths.Seeds}", "--set", $"Index:Path={_tmp.Sub("index")}", .. args.Skip(1)];
        var code = await BotCli.RunAsync(all, stdout, stderr, new StringReader(input));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public async Task Chat_PipedFollowUp_CarriesContext_EmptyLineStartsANewConversation()
    {
        var (code, output, err) = await Run("딥시크 V3 훈련 비용은 얼마야?\n그럼 R1은?\n\n그럼 R1은?\n", "chat", "--json");

        Assert.Equal(0, code);
        Assert.Equal("", err);
        var lines = Lines(output);
        Assert.Equal(3, lines.Count);
        Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("followUp").ValueKind);
        Assert.Equal("딥시크 V3 훈련 비용은 얼마야?", lines[1].GetProperty("followUp").GetProperty("earlierQuestion").GetString());
        Assert.Equal("그럼 R1은?", lines[1].GetProperty("asked").GetString());
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("followUp").ValueKind); // a new conversation
        Assert.Equal("그럼 R1은?", lines[2].GetProperty("question").GetString());
    }

    [Fact]
    public async Task Chat_NoContext_EveryLineStandsAlone()
    {
        var (_, output, _) = await Run("딥시크 V3 훈련 비용은 얼마야?\n그럼 R1은?\n", "chat", "--json", "--no-context");
        Assert.All(Lines(output), l => Assert.Equal(JsonValueKind.Null, l.GetProperty("followUp").ValueKind));
    }

    [Fact]
    public async Task Chat_HumanReadable_SaysWhichQuestionItFollows()
    {
        var (code, output, _) = await Run("How much did it cost to train DeepSeek-V3?\nWhat about R1?\n", "chat");
        Assert.Equal(0, code);
        Assert.Contains("(Following on from the earlier question “How much did it cost to train DeepSeek-V3?”.)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskThread_ContextKeptInTheFileBetweenRuns()
    {
        var thread = _tmp.Sub("thread.db");
        var (first, _, _) = await Run("", "ask", "--thread", thread, "--json", "딥시크 V3 훈련 비용은 얼마야?");
        var (second, output, _) = await Run("", "ask", "--thread", thread, "--json", "그럼 R1은?");

        Assert.Equal(0, first);
        Assert.Equal(0, second);
        Assert.True(File.Exists(thread));
        Assert.Equal("딥시크 V3 훈련 비용은 얼마야?", Lines(output)[0].GetProperty("followUp").GetProperty("earlierQuestion").GetString());
    }

    [Fact]
    public async Task Chat_QuestionOnTheCommandLine_UsageError()
    {
        var (code, _, err) = await Run("", "chat", "딥시크?");
        Assert.Equal(2, code);
        Assert.StartsWith("error: chat reads its questions from standard input", err, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _tmp.Dispose();
    }
}
