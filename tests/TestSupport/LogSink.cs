using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.TestSupport;

/// <summary>One captured log line.</summary>
internal sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Captures every formatted log line, so tests can assert "logged once", "one clear line" and "no secret or user id in the logs".</summary>
internal sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    /// <summary>Each line as "Level Category: message exception".</summary>
    public IReadOnlyList<string> Lines => Entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}").ToArray();

    /// <summary>Every message and exception, one per line.</summary>
    public string AllText => string.Join("\n", Entries.Select(e => e.Message + " " + e.Exception));

    public IEnumerable<CapturedLog> WithEvent(int id) => Entries.Where(e => e.EventId.Id == id);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
