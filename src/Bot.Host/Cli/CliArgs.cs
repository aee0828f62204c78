namespace Bot.Host.Cli;

/// <summary>Minimal argument reader: flags (--x), options with values (--x v or --x=v) and positionals.</summary>
internal sealed class CliArgs
{
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public CliArgs(IEnumerable<string> args, IReadOnlySet<string> valueOptions)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a == "--")
            {
                _positionals.AddRange(list.Skip(i + 1));
                break;
            }

            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 ? a[2..eq] : a[2..];
                if (eq > 0)
                {
                    _options[name] = a[(eq + 1)..];
                }
                else if (valueOptions.Contains(name))
                {
                    if (i + 1 >= list.Count)
                    {
                        throw new UsageException($"--{name} needs a value");
                    }

                    _options[name] = list[++i];
                }
                else
                {
                    _options[name] = null;
                }
            }
            else
            {
                _positionals.Add(a);
            }
        }
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public int Int(string name, int fallback, int min, int max)
    {
        var v = Value(name);
        if (v is null)
        {
            return fallback;
        }

        if (!int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new UsageException($"--{name} must be a whole number from {min} to {max}");
        }

        return n;
    }

    public void RejectUnknown(params string[] known)
    {
        foreach (var k in _options.Keys)
        {
            if (!known.Contains(k))
            {
                throw new UsageException($"unknown option --{k}");
            }
        }
    }
}
