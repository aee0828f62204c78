using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Fakes;

/// <summary>Captures every formatted log line (to assert "one clear line" and "no secret in logs").</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public IReadOnlyList<string> Lines => Entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}").ToArray();

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
    }
}
