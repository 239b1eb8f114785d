using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace EtcdConfiguration.Tests.Shared;

/// <summary>
/// What every test project needs from <see cref="FakeLogCollector"/>: a logger factory to hand to the code under
/// test, and the records as text to search (for what was reported, and that no secret leaked).
/// </summary>
/// <remarks>Compiled into each test project (linked), so there is one copy of it.</remarks>
internal static class FakeLogCollectorExtensions
{
    extension(FakeLogCollector collector)
    {
        /// <summary>Every record as one line, <c>Level category: message | exception</c>, in the order written.</summary>
        public IReadOnlyList<string> Lines => collector.GetSnapshot()
            .Select(r => $"{r.Level} {r.Category}: {r.Message}{(r.Exception is null ? string.Empty : " | " + r.Exception)}")
            .ToList();

        /// <summary>A logger factory whose loggers write every record, <see cref="LogLevel.Trace"/> and up, to the collector.</summary>
        public ILoggerFactory CreateFactory() =>
            LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
    }
}
