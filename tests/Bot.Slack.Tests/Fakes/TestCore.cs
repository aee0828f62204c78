using Bot.Core.Commands;

namespace Bot.Slack.Tests.Fakes;

/// <summary>The Core handler the adapter tests run against.</summary>
internal static class TestCore
{
    public static IQuestionHandler Handler { get; } = new StandInQuestionHandler();
}
