using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Dashboard.Tests;

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4 (no parser library is served here): metric and label
/// name grammar, label-value escapes, float values (+Inf/-Inf/NaN), HELP/TYPE at most once and before the family's samples,
/// families not interleaved, histogram/summary suffixes, a final newline. Throws <see cref="FormatException"/> on anything else.
/// </summary>
public static partial class PrometheusTextParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed class Family(string name)
    {
        public string Name { get; } = name;

        public string Type { get; set; } = "untyped";

        public string? Help { get; set; }

        public List<Sample> Samples { get; } = [];
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static Dictionary<string, Family> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("exposition must end with a newline");
        }

        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        Family? current = null;
        var lineNo = 0;
        foreach (var line in text.Split('\n')[..^1])
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    Require(MetricName().IsMatch(name), lineNo, $"bad metric name '{name}'");
                    var family = Enter(name, families, closed, ref current, lineNo);
                    if (parts[1] == "TYPE")
                    {
                        Require(parts.Length == 4 && Types.Contains(parts[3]), lineNo, "bad TYPE");
                        Require(family.Samples.Count == 0 && family.Type == "untyped", lineNo, "TYPE after samples or twice");
                        family.Type = parts[3];
                    }
                    else
                    {
                        Require(family.Help is null, lineNo, "HELP twice");
                        family.Help = parts.Length == 4 ? Unescape(parts[3], lineNo, label: false) : "";
                    }
                }

                continue;
            }

            var (sampleName, labels, rest) = ParseSample(line, lineNo);
            var familyName = FamilyOf(sampleName, families);
            var f = Enter(familyName, families, closed, ref current, lineNo);
            if (f.Type is "histogram")
            {
                Require(sampleName == familyName + "_bucket" || sampleName == familyName + "_sum" || sampleName == familyName + "_count", lineNo, "histogram sample without _bucket/_sum/_count");
                Require(sampleName != familyName + "_bucket" || labels.ContainsKey("le"), lineNo, "bucket without le");
            }
            else
            {
                Require(sampleName == familyName, lineNo, $"sample '{sampleName}' outside its family");
            }

            var fields = rest.Split(' ', StringSplitOptions.None);
            Require(fields.Length is 1 or 2, lineNo, "expected value [timestamp]");
            var value = ParseValue(fields[0], lineNo);
            if (fields.Length == 2)
            {
                Require(long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), lineNo, "bad timestamp");
            }

            Require(f.Type != "counter" || value >= 0, lineNo, "negative counter");
            f.Samples.Add(new Sample(sampleName, labels, value));
        }

        return families;
    }

    private static string FamilyOf(string sample, Dictionary<string, Family> families)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && families.TryGetValue(sample[..^suffix.Length], out var f) && f.Type is "histogram" or "summary")
            {
                return f.Name;
            }
        }

        return sample;
    }

    private static Family Enter(string name, Dictionary<string, Family> families, HashSet<string> closed, ref Family? current, int lineNo)
    {
        if (current?.Name == name)
        {
            return current;
        }

        Require(!closed.Contains(name), lineNo, $"family '{name}' interleaved with another");
        if (current is not null)
        {
            closed.Add(current.Name);
        }

        current = new Family(name);
        families.Add(name, current);
        return current;
    }

    private static (string Name, Dictionary<string, string> Labels, string Tail) ParseSample(string line, int lineNo)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        Require(MetricName().IsMatch(name), lineNo, $"bad metric name '{name}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                Require(i < line.Length, lineNo, "unterminated labels");
                if (line[i] == '}')
                {
                    i++;
                    break;
                }

                var eq = line.IndexOf('=', i);
                Require(eq > i, lineNo, "label without '='");
                var labelName = line[i..eq];
                Require(LabelName().IsMatch(labelName) && !labelName.StartsWith("__", StringComparison.Ordinal), lineNo, $"bad label name '{labelName}'");
                Require(eq + 1 < line.Length && line[eq + 1] == '"', lineNo, "label value must be quoted");
                var sb = new StringBuilder();
                var j = eq + 2;
                for (; j < line.Length && line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        Require(j + 1 < line.Length && line[j + 1] is '\\' or '"' or 'n', lineNo, "bad escape in label value");
                        sb.Append(line[++j] == 'n' ? '\n' : line[j]);
                    }
                    else
                    {
                        sb.Append(line[j]);
                    }
                }

                Require(j < line.Length, lineNo, "unterminated label value");
                Require(labels.TryAdd(labelName, sb.ToString()), lineNo, $"label '{labelName}' twice");
                i = j + 1;
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
            }
        }

        Require(i < line.Length && line[i] == ' ', lineNo, "expected a space before the value");
        return (name, labels, line[(i + 1)..]);
    }

    private static double ParseValue(string s, int lineNo) => s switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"line {lineNo}: bad value '{s}'"),
    };

    private static string Unescape(string s, int lineNo, bool label)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\')
            {
                Require(i + 1 < s.Length && (s[i + 1] is '\\' or 'n' || (label && s[i + 1] == '"')), lineNo, "bad escape in HELP");
                sb.Append(s[++i] == 'n' ? '\n' : s[i]);
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }

    private static void Require(bool condition, int lineNo, string message)
    {
        if (!condition)
        {
            throw new FormatException($"line {lineNo}: {message}");
        }
    }
}
