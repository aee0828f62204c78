using System.Diagnostics;
using Bot.Host.Cli;
using Bot.TestSupport;

namespace Bot.Host.Tests.Cli;

/// <summary>
/// What the command-line tests share: a temporary folder, the settings that point the CLI at the repository's seeds and
/// an index in that folder (<see cref="Paths"/>), the CLI run in process (<see cref="Run"/>, fast), and the built
/// <c>bot.dll</c> run as a real process (<see cref="ExecBot"/>).
/// </summary>
public abstract class CliTestBase : IDisposable
{
    private protected TempDir Tmp { get; } = RepoPaths.NewTempDir("bot-cli");

    /// <summary>--set options for the repository's seeds and an index in <see cref="Tmp"/>.</summary>
    protected string[] Paths => ["--set", $"Corpus:SeedsPath={RepoPaths.Seeds}", "--set", $"Index:Path={Tmp.Sub("index")}"];

    /// <summary>Runs the CLI in process, with <see cref="Paths"/> after the command name.</summary>
    protected async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var all = args.Length == 0 ? args : [args[0], .. Paths, .. args.Skip(1)];
        var code = await BotCli.RunAsync(all, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the built bot.dll as a real process in <paramref name="workingDirectory"/>.</summary>
    protected static async Task<(int Code, string Out, string Err)> ExecBot(string workingDirectory, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bot.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await o, await e);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) => Tmp.Dispose();
}
