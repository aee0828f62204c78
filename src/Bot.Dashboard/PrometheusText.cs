using System.Globalization;
using System.Text;
using Bot.Core.Chat;
using Bot.Dashboard.Data;

namespace Bot.Dashboard;

/// <summary>
/// /metrics in the Prometheus text exposition format 0.0.4. Question, latency, vote and digest counts are read from the
/// database at scrape time (so they survive restarts; the query log's retention purge shows up as a counter reset);
/// reconnects come from the running adapters.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(MetricTotals t, IEnumerable<PlatformStatus> platforms)
    {
        var sb = new StringBuilder();
        Header(sb, "bot_questions_total", "counter", "Questions in the retained query log, by platform and outcome.");
        foreach (var (platform, outcome, count) in t.Questions)
        {
            Sample(sb, "bot_questions_total", [("platform", platform), ("outcome", outcome)], count);
        }

        Header(sb, "bot_answer_latency_seconds", "histogram", "Time to answer a question (retrieval and composition), retained query log.");
        foreach (var (upperMs, count) in t.LatencyBuckets)
        {
            Sample(sb, "bot_answer_latency_seconds_bucket", [("le", Number(upperMs / 1000.0))], count);
        }

        Sample(sb, "bot_answer_latency_seconds_bucket", [("le", "+Inf")], t.LatencyCount);
        Sample(sb, "bot_answer_latency_seconds_sum", [], t.LatencySumSeconds);
        Sample(sb, "bot_answer_latency_seconds_count", [], t.LatencyCount);

        Header(sb, "bot_feedback_votes_total", "counter", "Feedback votes on answers, by platform and vote.");
        foreach (var (platform, vote, count) in t.Votes)
        {
            Sample(sb, "bot_feedback_votes_total", [("platform", platform), ("vote", vote)], count);
        }

        Header(sb, "bot_digest_runs_total", "counter", "Digest deliveries by result (posted, failed, unknown, empty, intent).");
        foreach (var (result, count) in t.DigestRuns)
        {
            Sample(sb, "bot_digest_runs_total", [("result", result)], count);
        }

        var list = platforms.ToList();
        Header(sb, "bot_reconnects_total", "counter", "Gateway (Discord) and socket (Slack) reconnects since the process started.");
        foreach (var p in list)
        {
            Sample(sb, "bot_reconnects_total", [("platform", p.Platform)], p.Reconnects);
        }

        Header(sb, "bot_platform_connected", "gauge", "1 while the chat platform is connected.");
        foreach (var p in list)
        {
            Sample(sb, "bot_platform_connected", [("platform", p.Platform)], p.Connected ? 1 : 0);
        }

        return sb.ToString();
    }

    private static void Header(StringBuilder sb, string name, string type, string help) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder sb, string name, (string Name, string Value)[] labels, double value)
    {
        sb.Append(name);
        if (labels.Length > 0)
        {
            sb.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                sb.Append(labels[i].Name).Append("=\"").Append(EscapeLabel(labels[i].Value)).Append('"');
            }

            sb.Append('}');
        }

        sb.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
