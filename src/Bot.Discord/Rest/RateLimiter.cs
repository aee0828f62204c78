using System.Globalization;

namespace Bot.Discord.Rest;

/// <summary>
/// Per-bucket and global rate-limit state for one token. Buckets are keyed by method + route template + major
/// parameter, and remapped to Discord's <c>X-RateLimit-Bucket</c> hash once a response names it. A bucket whose
/// remaining count reached 0 makes later calls wait until its reset; a 429 parks that bucket (or, when global, every
/// route) for the body's <c>retry_after</c>.
/// </summary>
internal sealed class RateLimiter
{
    private const int MaxTrackedBuckets = 5000;

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _routeToBucket = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private DateTimeOffset _globalUntil = DateTimeOffset.MinValue;

    public RateLimiter(TimeProvider time) => _time = time;

    /// <summary>Buckets currently tracked (bounded).</summary>
    public int TrackedBuckets
    {
        get
        {
            lock (_gate)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>Waits until a call on <paramref name="route"/> may be sent, and reserves one slot of its bucket.</summary>
    public async Task AcquireAsync(RestRoute route, bool exemptFromGlobal, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (!exemptFromGlobal && _globalUntil > now)
                {
                    wait = _globalUntil - now;
                }
                else
                {
                    var bucket = GetBucket(route);
                    if (bucket.ResetAt <= now)
                    {
                        bucket.Remaining = null;
                    }

                    if (bucket.Remaining is 0)
                    {
                        wait = bucket.ResetAt - now;
                    }
                    else
                    {
                        if (bucket.Remaining is { } remaining)
                        {
                            bucket.Remaining = remaining - 1;
                        }

                        return;
                    }
                }
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long a call on <paramref name="route"/> would wait now (for tests and health).</summary>
    public TimeSpan PendingDelay(RestRoute route)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var global = _globalUntil > now ? _globalUntil - now : TimeSpan.Zero;
            var bucket = GetBucket(route);
            var local = bucket.Remaining is 0 && bucket.ResetAt > now ? bucket.ResetAt - now : TimeSpan.Zero;
            return global > local ? global : local;
        }
    }

    /// <summary>Reads the X-RateLimit-* headers of any response.</summary>
    public void Update(RestRoute route, HttpResponseMessage response)
    {
        lock (_gate)
        {
            if (Header(response, "X-RateLimit-Bucket") is { Length: > 0 } hash &&
                (!_routeToBucket.TryGetValue(route.RouteKey, out var known) || known != hash))
            {
                _routeToBucket[route.RouteKey] = hash;
            }

            var remainingText = Header(response, "X-RateLimit-Remaining");
            var resetAfterText = Header(response, "X-RateLimit-Reset-After");
            if (remainingText is null || resetAfterText is null ||
                !int.TryParse(remainingText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) ||
                !double.TryParse(resetAfterText, NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
            {
                return;
            }

            var bucket = GetBucket(route);
            bucket.Remaining = Math.Max(0, remaining);
            bucket.ResetAt = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, resetAfter));
        }
    }

    /// <summary>A 429: park the bucket (or everything, when global) for <paramref name="retryAfter"/>.</summary>
    public void OnRateLimited(RestRoute route, TimeSpan retryAfter, bool global)
    {
        lock (_gate)
        {
            var until = _time.GetUtcNow() + retryAfter;
            if (global)
            {
                if (until > _globalUntil)
                {
                    _globalUntil = until;
                }

                return;
            }

            var bucket = GetBucket(route);
            bucket.Remaining = 0;
            if (until > bucket.ResetAt)
            {
                bucket.ResetAt = until;
            }
        }
    }

    private BucketState GetBucket(RestRoute route)
    {
        var key = _routeToBucket.TryGetValue(route.RouteKey, out var hash)
            ? hash + "|" + route.MajorParameter
            : route.RouteKey + "|" + route.MajorParameter;
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            if (_buckets.Count >= MaxTrackedBuckets)
            {
                Prune();
            }

            bucket = new BucketState();
            _buckets[key] = bucket;
        }

        return bucket;
    }

    /// <summary>Every interaction and webhook token gets its own bucket; forget the ones whose window has passed.</summary>
    private void Prune()
    {
        var now = _time.GetUtcNow();
        foreach (var stale in _buckets.Where(b => b.Value.ResetAt <= now).Select(b => b.Key).ToList())
        {
            _buckets.Remove(stale);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class BucketState
    {
        public int? Remaining { get; set; }

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;
    }
}
