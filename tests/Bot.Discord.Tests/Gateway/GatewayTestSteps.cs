using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Support;

namespace Bot.Discord.Tests.Gateway;

/// <summary>What the gateway connection tests share: the opcodes they look for and two waits.</summary>
internal static class GatewayTestSteps
{
    public const int Op1 = 1;
    public const int Op2 = 2;
    public const int Op6 = 6;

    /// <summary>Gives the client a moment to (not) react, for "nothing happened" assertions.</summary>
    public static Task Settle() => Task.Delay(150);

    /// <summary>Waits until connection <paramref name="count"/> ended and the client sits in its reconnect delay.</summary>
    public static Task WaitWaitingToReconnect(DiscordTestHost host, int count) =>
        FakeDiscordServer.WaitUntilAsync(
            () => host.Fake.Connections.Count == count && host.Fake.Connections[count - 1].Ended.IsCompleted && host.Gateway.State == GatewayState.Disconnected,
            "waiting to reconnect after connection " + count);
}
