using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Corpus;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.ChatKit;

public sealed class RecentKeysTests
{
    [Fact]
    public void TryFirstSee_WithinWindow_Duplicate_AfterWindow_SeenAgain()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var keys = new RecentKeys(time, TimeSpan.FromMinutes(10));
        Assert.True(keys.TryFirstSee("event:Ev1"));
        Assert.False(keys.TryFirstSee("event:Ev1"));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(keys.TryFirstSee("event:Ev1"));
        Assert.True(keys.TryFirstSee("event:Ev2"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(keys.TryFirstSee("event:Ev1")); // ten minutes after the first sight
        Assert.Equal(2, keys.Count);
    }

    [Fact]
    public void TryFirstSee_NoWindow_OldestForgottenBeyondCapacity()
    {
        var keys = new RecentKeys(TimeProvider.System, window: null, capacity: 2);
        Assert.True(keys.TryFirstSee("1"));
        Assert.True(keys.TryFirstSee("2"));
        Assert.False(keys.TryFirstSee("1"));
        Assert.True(keys.TryFirstSee("3"));
        Assert.Equal(2, keys.Count);
        Assert.True(keys.TryFirstSee("1")); // evicted as the oldest
        Assert.False(keys.TryFirstSee("3"));
    }
}

public sealed class BackoffTests
{
    [Theory]
    [InlineData(0, 0.0, 1000)]
    [InlineData(1, 0.0, 2000)]
    [InlineData(3, 0.0, 8000)]
    [InlineData(10, 0.0, 30_000)]
    public void Delay_NoJitter_DoublesUpToCap(int attempt, double sample, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), attempt, 0, sample));

    [Fact]
    public void Delay_EqualJitter_BetweenHalfAndNominal_ZeroBaseIsZero()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 2, jitter: 0.5, sample: 0));
        Assert.Equal(TimeSpan.FromSeconds(3), Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 2, jitter: 0.5, sample: 0.5));
        Assert.True(Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 2, jitter: 0.5, sample: 0.999) < TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(TimeSpan.Zero, TimeSpan.Zero, 5, jitter: 0.5, sample: 0.3));
        Assert.Equal(TimeSpan.FromSeconds(512), Backoff.Delay(TimeSpan.FromSeconds(0.5), TimeSpan.MaxValue, 10));
    }
}

public sealed class JsonElementExtensionsTests
{
    [Fact]
    public void Reads_WrongKindOrMissing_IsNullNeverThrows()
    {
        using var doc = JsonDocument.Parse("""{"s":"x","n":3,"b":true,"o":{"k":1},"a":[1,2],"f":"true"}""");
        var e = doc.RootElement;
        Assert.Equal("x", e.GetString("s"));
        Assert.Null(e.GetString("n"));
        Assert.Equal(3, e.GetInt("n"));
        Assert.Null(e.GetInt("s"));
        Assert.True(e.GetBool("b"));
        Assert.False(e.GetBool("f"));
        Assert.Equal(1, e.GetObject("o")!.Value.GetInt("k"));
        Assert.Null(e.GetObject("a"));
        Assert.Equal(2, e.GetArray("a").Count());
        Assert.Empty(e.GetArray("missing"));
        Assert.Null(e.GetArray("a").First().GetString("s")); // not an object
    }
}

public sealed class TextCutterCutTests
{
    [Fact]
    public void Cut_NeverSplitsAPairOrCluster_EllipsisCounted()
    {
        Assert.Equal("", TextCutter.Cut(null, 5));
        Assert.Equal("딥시크", TextCutter.Cut("딥시크", 3));
        Assert.Equal("딥시…", TextCutter.Cut("딥시크 본사", 3));
        var emoji = string.Concat(Enumerable.Repeat("👍🏽", 3)); // 4 UTF-16 units per cluster
        var cut = TextCutter.Cut(emoji, 9);
        Assert.Equal("👍🏽👍🏽…", cut);
        Assert.True(cut.Length <= 9);
    }
}
