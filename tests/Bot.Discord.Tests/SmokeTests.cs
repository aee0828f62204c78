using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;

namespace Bot.Discord.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task Start_MentionInGuild_RepliesOnce()
    {
        await using var host = await DiscordTestHost.StartReadyAsync();
        await host.Fake.DispatchAsync("MESSAGE_CREATE", Events.Guild("<@" + FakeDiscordServer.BotUserId + "> 딥시크가 뭐야?"));
        await FakeDiscordServer.WaitUntilAsync(() => host.Fake.CreatedMessages.Count == 1, "reply");
    }
}
