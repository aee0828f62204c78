using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bot.Host.Tests.Cli;

/// <summary>
/// The built bot.dll as a real, long-running process (<c>bot run</c>): every stdout and stderr line is recorded as it
/// arrives and can be awaited; <see cref="Terminate"/> sends SIGTERM like a supervisor would.
/// </summary>
internal sealed class BotProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _out = new();
    private readonly ConcurrentQueue<string> _err = new();
    private readonly TaskCompletionSource _outClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BotProcess(Process process) => _process = process;

    public static BotProcess Start(string workingDirectory, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bot.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = psi };
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, e) => bot.OnLine(bot._out, bot._outClosed, e.Data);
        process.ErrorDataReceived += (_, e) => bot.OnLine(bot._err, bot._errClosed, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Out => string.Join('\n', _out);

    public string Err => string.Join('\n', _err);

    public IReadOnlyList<string> OutLines => _out.ToArray();

    public IReadOnlyList<string> ErrLines => _err.ToArray();

    /// <summary>Waits for a stdout line (the console log) containing <paramref name="text"/>; fails early if the process exits.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var arrived = Volatile.Read(ref _lineArrived);
            if (_out.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (_outClosed.Task.IsCompleted)
            {
                throw new InvalidOperationException($"bot exited before logging '{text}'.\nstdout:\n{Out}\nstderr:\n{Err}");
            }

            try
            {
                await arrived.Task.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"bot did not log '{text}'.\nstdout:\n{Out}\nstderr:\n{Err}");
            }
        }
    }

    /// <summary>Sends SIGTERM (what systemd, Docker and Kubernetes send to stop a service).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Sends SIGKILL: the process dies at once, without any shutdown (a crashed or OOM-killed replica).</summary>
    public void KillHard()
    {
        using var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Resident and peak resident memory (VmRSS, VmHWM from /proc) in MiB; zeros when the process is gone.</summary>
    public (double RssMiB, double PeakMiB) Memory()
    {
        try
        {
            var lines = File.ReadAllLines($"/proc/{_process.Id}/status");
            double Kb(string key) => lines.Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            return (Kb("VmRSS:") / 1024, Kb("VmHWM:") / 1024);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <summary>Waits for the exit (and for both streams to be read to the end); null when it did not exit in time.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            await Task.WhenAll(_outClosed.Task, _errClosed.Task).WaitAsync(TimeSpan.FromSeconds(5));
            return _process.ExitCode;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void OnLine(ConcurrentQueue<string> lines, TaskCompletionSource closed, string? line)
    {
        if (line is null)
        {
            closed.TrySetResult();
        }
        else
        {
            lines.Enqueue(line);
        }

        Interlocked.Exchange(ref _lineArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
