using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Commands;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot chat</c>: questions from standard input, one per line, answered as one thread (follow-ups read in the context of
/// the question before, as in a chat thread); an empty line starts a new conversation. <c>bot ask --thread FILE "…"</c>:
/// one question in the thread kept in FILE (a SQLite file), so successive runs continue it. Both go through Core's
/// <see cref="ConversationService"/> and the SQLite context store, exactly as the chat platforms do; <c>chat</c> without
/// <c>--thread</c> keeps its context in a temporary file deleted at the end. <c>--no-context</c> answers every line on its
/// own (to compare). <c>--json</c>: one JSON object per answer (the <c>ask --json</c> fields plus <c>asked</c> and
/// <c>followUp</c>).
/// </summary>
internal static class ChatCommand
{
    private static readonly ThreadKey Thread = new("cli", "chat", "1");

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, IConfiguration config, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var args = new CliArgs(argv, new HashSet<string> { "top", "thread" });
        args.RejectUnknown("top", "thread", "json", "no-context");
        if (args.Positionals.Count > 0)
        {
            throw new UsageException("chat reads its questions from standard input, one per line (an empty line starts a new conversation)");
        }

        var top = args.Int("top", 3, 1, 20);
        var temp = args.Value("thread") is null ? Path.Combine(Path.GetTempPath(), $"bot-chat-{Guid.NewGuid():N}") : null;
        try
        {
            using var sp = Services(config, args.Value("thread") ?? Path.Combine(temp!, "chat.db"));
            var conversations = sp.GetRequiredService<ConversationService>();
            var handler = sp.GetRequiredService<QuestionHandler>();
            if (handler.Engine.EnsureIndex())
            {
                IndexCommand.WarnSkipped(handler.Engine.Manifest!, stderr);
            }

            var interactive = ReferenceEquals(stdin, Console.In) && !Console.IsInputRedirected;
            if (interactive)
            {
                await stderr.WriteLineAsync("ask a question (an empty line starts a new conversation, Ctrl+D ends)").ConfigureAwait(false);
            }

            while (await stdin.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    conversations.Forget(Thread);
                    continue;
                }

                var answer = args.Flag("no-context")
                    ? await handler.AskAsync(line, QueryContext.Cli, top, CancellationToken.None).ConfigureAwait(false)
                    : await conversations.AskAsync(line, Thread, QueryContext.Cli, top, CancellationToken.None).ConfigureAwait(false);
                Print(answer, line, args.Flag("json"), stdout);
            }

            return ExitCodes.Ok;
        }
        finally
        {
            if (temp is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try
                {
                    Directory.Delete(temp, recursive: true);
                }
                catch (IOException)
                {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /// <summary><c>ask --thread FILE "question"</c>: one question in the thread kept in FILE.</summary>
    public static async Task<int> AskInThreadAsync(string question, string threadFile, int top, bool json, IConfiguration config, TextWriter stdout, TextWriter stderr)
    {
        using var sp = Services(config, threadFile);
        var handler = sp.GetRequiredService<QuestionHandler>();
        if (handler.Engine.EnsureIndex())
        {
            IndexCommand.WarnSkipped(handler.Engine.Manifest!, stderr);
        }

        var answer = await sp.GetRequiredService<ConversationService>().AskAsync(question, Thread, QueryContext.Cli, top, CancellationToken.None).ConfigureAwait(false);
        Print(answer, question, json, stdout);
        if (answer.Status is AnswerStatus.Empty or AnswerStatus.TooLong)
        {
            await stderr.WriteLineAsync($"error: {answer.Decline!.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return ExitCodes.Ok;
    }

    private static void Print(Answer answer, string asked, bool json, TextWriter stdout)
    {
        if (json)
        {
            var node = AskCommand.ToJson(answer);
            node["asked"] = AnswerComposer.Normalize(asked);
            node["followUp"] = answer.FollowUp is { } f
                ? new JsonObject
                {
                    ["earlierQuestion"] = f.EarlierQuestion,
                    ["searchedAs"] = f.SearchedAs,
                    ["carried"] = new JsonArray(f.CarriedWords.Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
                }
                : null;
            stdout.WriteLine(node.ToJsonString(AskCommand.Json));
            return;
        }

        if (answer.FollowUp is { } followUp)
        {
            stdout.WriteLine($"({followUp.Note(answer.Language)})");
        }

        AnswerPrinter.Print(answer, stdout, color: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out));
        stdout.WriteLine();
    }

    /// <summary>Core, plus the SQLite storage at <paramref name="databasePath"/> for the thread context (opened and migrated here).</summary>
    private static ServiceProvider Services(IConfiguration config, string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var withStore = new ConfigurationBuilder().AddConfiguration(config)
            .AddInMemoryCollection([new KeyValuePair<string, string?>("Storage:Path", full)]).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddBotCore(withStore);
        services.AddBotStorage(withStore);
        var sp = services.BuildServiceProvider();
        try
        {
            sp.GetRequiredService<BotDatabase>().Initialize();
        }
        catch
        {
            sp.Dispose();
            throw;
        }

        return sp;
    }
}
