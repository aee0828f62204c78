using Bot.Discord.Gateway;

namespace Bot.Discord.Tests.Gateway;

public sealed class ShardSettingsTests
{
    private static (ShardSettings Settings, List<string> Errors) Parse(string? count, string? ids)
    {
        var errors = new List<string>();
        return (ShardSettings.Parse(count, ids, errors), errors);
    }

    [Theory]
    [InlineData(null, null, 1, "0")]
    [InlineData("", "", 1, "0")]
    [InlineData("4", null, 4, "0,1,2,3")]
    [InlineData("8", "0-3", 8, "0,1,2,3")]
    [InlineData("8", "4,5", 8, "4,5")]
    [InlineData("8", " 6 , 0-1,1 ", 8, "0,1,6")]
    public void Parse_FixedCount_IdsForThisProcess(string? count, string? ids, int expectedCount, string expectedIds)
    {
        var (settings, errors) = Parse(count, ids);
        Assert.Empty(errors);
        Assert.Equal(expectedCount, settings.Count);
        Assert.False(settings.AutoIds);
        Assert.Equal(expectedIds, string.Join(",", settings.IdsFor(settings.Count!.Value)));
    }

    [Fact]
    public void Parse_Auto_CountFromGatewayAndIdsFromLeases()
    {
        var (settings, errors) = Parse("AUTO", "auto");
        Assert.Empty(errors);
        Assert.True(settings.AutoCount);
        Assert.True(settings.AutoIds);

        (settings, errors) = Parse("auto", "2-3");
        Assert.Empty(errors);
        Assert.Equal("2,3", string.Join(",", settings.IdsFor(4)));
        Assert.NotNull(settings.CheckIdsAgainst(3, "the recommended count"));
        Assert.Null(settings.CheckIdsAgainst(4, "the recommended count"));
    }

    [Theory]
    [InlineData("0", null, "Discord:ShardCount")]
    [InlineData("-2", null, "Discord:ShardCount")]
    [InlineData("two", null, "Discord:ShardCount")]
    [InlineData("99999999", null, "Discord:ShardCount")]
    [InlineData("4", "3-1", "Discord:ShardIds")]
    [InlineData("4", "0,,1", "Discord:ShardIds")]
    [InlineData("4", "a-b", "Discord:ShardIds")]
    [InlineData("4", "-1", "Discord:ShardIds")]
    [InlineData("4", "4", "Discord:ShardIds")]
    [InlineData(null, "1", "Discord:ShardIds")] // the default count is 1: only shard 0 exists
    public void Parse_Bad_OneLineNamingTheSetting(string? count, string? ids, string named)
    {
        var (_, errors) = Parse(count, ids);
        var error = Assert.Single(errors);
        Assert.StartsWith(named, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Options_BadShardIds_FailValidationNamingTheSetting()
    {
        var options = new DiscordOptions { Token = "t", ShardCount = "2", ShardIds = "0-5" };
        var error = Assert.Single(options.Problems());
        Assert.Equal("Discord:ShardIds lists shard 2, but Discord:ShardCount is 2 (shard ids run from 0 to 1).", error);
    }
}
