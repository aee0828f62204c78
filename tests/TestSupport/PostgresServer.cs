using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Bot.TestSupport;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests of one test assembly: started on first use (initdb into a temporary folder,
/// <c>pg_ctl</c> on a free port on 127.0.0.1; as the <c>postgres</c> user via <c>runuser</c> when the tests run as root),
/// stopped and deleted when the test process exits. Where Debian's <c>postgresql</c> package is missing,
/// <see cref="Available"/> is false and <see cref="Missing"/> says why (tests skip themselves with it).
/// <see cref="NewSchema"/> gives each test its own empty schema (a connection string whose search path is it).
/// <c>BOT_PG_BIN</c> points at another PostgreSQL <c>bin</c> folder.
/// </summary>
internal sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(() => new PostgresServer(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string? _dir;
    private readonly string? _bin;
    private readonly bool _asPostgres;

    private PostgresServer()
    {
        try
        {
            _bin = FindBin();
            if (_bin is null)
            {
                Missing = "PostgreSQL is not installed (apt-get install postgresql; or set BOT_PG_BIN to its bin folder): PostgreSQL store tests skipped";
                return;
            }

            _asPostgres = OperatingSystem.IsLinux() && Environment.UserName == "root";
            if (_asPostgres && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
            {
                Missing = "running as root without runuser to start PostgreSQL as the postgres user: PostgreSQL store tests skipped";
                return;
            }

            _dir = Path.Combine(Path.GetTempPath(), $"bot-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Port = FreePort();
            var data = Path.Combine(_dir, "data");
            Run("mkdir", $"-p {_dir}");
            Run(Path.Combine(_bin, "initdb"), $"-D {data} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync");
            Run(Path.Combine(_bin, "pg_ctl"),
                $"-D {data} -l {Path.Combine(_dir, "log")} -w -t 60 -o \"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=300\" start");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
            ConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";
            Available = true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Missing = $"could not start a throwaway PostgreSQL ({ex.Message.ReplaceLineEndings(" ")}): PostgreSQL store tests skipped";
        }
    }

    /// <summary>The assembly's one server (started on first use).</summary>
    public static PostgresServer Instance => Shared.Value;

    public bool Available { get; }

    /// <summary>Why <see cref="Available"/> is false.</summary>
    public string Missing { get; } = "";

    public int Port { get; }

    /// <summary>Superuser connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; } = "";

    /// <summary>A new empty schema; returns a connection string whose search path is that schema only.</summary>
    public string NewSchema(string prefix = "t")
    {
        var schema = $"{prefix}_{Guid.NewGuid():N}";
        using (var c = new NpgsqlConnection(ConnectionString))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"CREATE SCHEMA {schema};";
            cmd.ExecuteNonQuery();
        }

        return $"{ConnectionString};Search Path={schema}";
    }

    private void Stop()
    {
        if (_dir is null || _bin is null)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            Run(Path.Combine(_bin, "pg_ctl"), $"-D {Path.Combine(_dir, "data")} -m immediate -w stop");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // best effort at process exit
        }

        try
        {
            Run("rm", $"-rf {_dir}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
        }
    }

    private void Run(string file, string args)
    {
        var psi = _asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {args}")
            : new ProcessStartInfo(file, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = Path.GetTempPath();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} timed out");
        }

        _ = stdout.Result;
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} exited {p.ExitCode}: {stderr.Trim()}");
        }
    }

    private static string? FindBin()
    {
        if (Environment.GetEnvironmentVariable("BOT_PG_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var version in Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            {
                var bin = Path.Combine(version, "bin");
                if (File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                {
                    return bin;
                }
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        return onPath;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
