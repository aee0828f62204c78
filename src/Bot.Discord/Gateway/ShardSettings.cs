using System.Globalization;

namespace Bot.Discord.Gateway;

/// <summary>
/// <c>Discord:ShardCount</c> and <c>Discord:ShardIds</c>, parsed. Count: a positive number, or <c>auto</c> (the
/// <c>shards</c> that <c>GET /gateway/bot</c> recommends); unset = 1. Ids: unset = every shard, a fixed list for this
/// process (<c>0-3</c>, <c>4,5</c>, <c>0,2-3</c>), or <c>auto</c> (replicas claim shards through leases in the shared store).
/// </summary>
internal sealed record ShardSettings(int? Count, IReadOnlyList<int>? Ids, bool AutoIds)
{
    /// <summary>The highest shard count accepted (far above what any bot needs; keeps a typo from opening a million sockets).</summary>
    public const int MaxShards = 16384;

    public static readonly ShardSettings Default = new(1, null, false);

    /// <summary>The shard count is <c>auto</c>: it comes from <c>GET /gateway/bot</c>.</summary>
    public bool AutoCount => Count is null;

    /// <summary>The shards this process runs once the count is known (every shard unless a fixed list was given).</summary>
    public IReadOnlyList<int> IdsFor(int count) => Ids ?? Enumerable.Range(0, count).ToArray();

    /// <summary>A one-line error when a fixed list names a shard the count does not have, else null.</summary>
    public string? CheckIdsAgainst(int count, string countSource)
    {
        var outside = Ids?.FirstOrDefault(id => id >= count, -1) ?? -1;
        return outside < 0 ? null
            : $"Discord:ShardIds lists shard {outside}, but {countSource} is {count} (shard ids run from 0 to {count - 1}).";
    }

    /// <summary>Parses both settings; every problem is one line naming the setting.</summary>
    public static ShardSettings Parse(string? count, string? ids, List<string> errors)
    {
        int? parsedCount = 1;
        var countText = count?.Trim();
        if (string.Equals(countText, "auto", StringComparison.OrdinalIgnoreCase))
        {
            parsedCount = null;
        }
        else if (!string.IsNullOrEmpty(countText))
        {
            if (int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxShards)
            {
                parsedCount = n;
            }
            else
            {
                errors.Add($"Discord:ShardCount must be a whole number from 1 to {MaxShards} or 'auto' (got '{Shorten(countText)}').");
                return Default;
            }
        }

        var idsText = ids?.Trim();
        if (string.IsNullOrEmpty(idsText))
        {
            return new ShardSettings(parsedCount, null, false);
        }

        if (string.Equals(idsText, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return new ShardSettings(parsedCount, null, true);
        }

        var list = ParseList(idsText);
        if (list is null)
        {
            errors.Add($"Discord:ShardIds must be 'auto' or shard ids and ranges such as '0-3' or '4,5' (got '{Shorten(idsText)}').");
            return new ShardSettings(parsedCount, null, false);
        }

        var settings = new ShardSettings(parsedCount, list, false);
        if (parsedCount is { } fixedCount && settings.CheckIdsAgainst(fixedCount, "Discord:ShardCount") is { } error)
        {
            errors.Add(error);
        }

        return settings;
    }

    private static int[]? ParseList(string text)
    {
        var ids = new SortedSet<int>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = raw.IndexOf('-', StringComparison.Ordinal);
            var first = dash < 0 ? raw : raw[..dash].Trim();
            var last = dash < 0 ? raw : raw[(dash + 1)..].Trim();
            if (!TryId(first, out var from) || !TryId(last, out var to) || to < from)
            {
                return null;
            }

            for (var id = from; id <= to; id++)
            {
                ids.Add(id);
            }
        }

        return ids.Count == 0 ? null : ids.ToArray();
    }

    private static bool TryId(string text, out int id) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id < MaxShards;

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
