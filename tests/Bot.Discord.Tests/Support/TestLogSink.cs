using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Support;

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Captures every log line so tests can assert "logged once" and "never contains the token".</summary>
internal sealed class TestLogSink : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IEnumerable<LogEntry> WithEvent(int id) => Entries.Where(e => e.EventId.Id == id);

    public string AllText => string.Join("\n", Entries.Select(e => e.Message + " " + e.Exception));

    public void Dispose()
    {
    }

    private sealed class Logger(TestLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
