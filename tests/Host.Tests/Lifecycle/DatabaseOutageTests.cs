using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Register.BuildingBlocks.Database;

namespace Register.Host.Tests.Lifecycle;

/// <summary>What counts as the database being unavailable (a 503), and what is an error of the request or the code (a 500).</summary>
public sealed class DatabaseOutageTests
{
    public static TheoryData<Exception> Outages => new()
    {
        new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
        new SocketException((int)SocketError.ConnectionRefused),
        new TimeoutException("The operation has timed out."),
        new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt")),
        new NpgsqlException("The connection pool has been exhausted", new TimeoutException()),
        Postgres("57P01"), Postgres("57P02"), Postgres("57P03"), Postgres("53300"), Postgres("57014"), Postgres("08006"), Postgres("08001"),
        new InvalidOperationException("A handler failed", new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe"))),
        new AggregateException(new TimeoutException()),
    };

    public static TheoryData<Exception> NotOutages => new()
    {
        Postgres("23505"), Postgres("42P01"), Postgres("40001"), Postgres("22021"),
        new InvalidOperationException("Sequence contains no elements"),
        new OperationCanceledException("The request was aborted", new NpgsqlException("cancelled", Postgres("57014"))),
        new NpgsqlException("Wraps a constraint", Postgres("23503")),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void An_unreachable_or_timed_out_database_is_an_outage(Exception exception) => Assert.True(DatabaseOutage.IsOutage(exception));

    [Theory]
    [MemberData(nameof(NotOutages))]
    public void An_error_the_database_answered_with_or_a_cancelled_request_is_not(Exception exception) => Assert.False(DatabaseOutage.IsOutage(exception));

    [Fact]
    public void An_outage_is_reported_once_until_the_database_answers_again()
    {
        var logger = new CountingLogger();
        var monitor = new DatabaseOutageMonitor(logger, TimeProvider.System);

        for (var i = 0; i < 50; i++)
        {
            monitor.ReportFailure(new TimeoutException(), "test");
        }

        monitor.ReportSuccess();
        monitor.ReportSuccess();
        monitor.ReportFailure(new TimeoutException(), "test");

        Assert.Equal(2, logger.Count(Microsoft.Extensions.Logging.LogLevel.Warning));
        Assert.Equal(49, logger.Count(Microsoft.Extensions.Logging.LogLevel.Debug));
        Assert.Equal(1, logger.Count(Microsoft.Extensions.Logging.LogLevel.Information));
        Assert.True(monitor.InOutage);
    }

    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    private sealed class CountingLogger : Microsoft.Extensions.Logging.ILogger<DatabaseOutageMonitor>
    {
        private readonly List<Microsoft.Extensions.Logging.LogLevel> _levels = [];

        public int Count(Microsoft.Extensions.Logging.LogLevel level) => _levels.Count(l => l == level);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => NullLogger.Instance.BeginScope(state);

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Assert.Null(exception);
            _levels.Add(logLevel);
        }
    }
}
