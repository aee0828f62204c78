using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Bot.Host.Tests.LongestFirstCollectionOrderer", "Bot.Host.Tests")]

namespace Bot.Host.Tests;

/// <summary>
/// Starts the replica acceptance run first. xunit starts two test classes at a time (one per core) and takes the next
/// when one ends; the replica run is the longest and mostly waits (process start-up, the digest tick, the lease), so
/// started last it alone made the tail of the run. The rest keep xunit's default order (by unique id).
/// </summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => c.DisplayName.Contains(".Replicas.", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(c => c.UniqueID);
}
