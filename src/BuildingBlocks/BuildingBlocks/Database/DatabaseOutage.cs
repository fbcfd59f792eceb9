using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Register.BuildingBlocks.Database;

/// <summary>
/// Tells a database that cannot be reached, or is not answering in time, from a database that answered with an
/// error. An outage is the service's state, not the request's fault: the APIs answer 503 with <c>Retry-After</c>,
/// and the background loops wait for their next round, without an error and a stack trace each time.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>What the APIs and pages tell a client to wait before trying again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// SQLSTATEs that mean the server is going away or cannot take the work: class 08 (connection exceptions) is
    /// matched by its prefix; 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up or
    /// shutting down), 53300 too many connections, 57014 query cancelled (the statement timeout).
    /// </summary>
    /// <summary>Shutting down, crashed, starting up, too many connections, a statement timeout, and read-only (a standby after a failover).</summary>
    private static readonly string[] OutageStates = ["57P01", "57P02", "57P03", "53300", "57014", "25006"];

    /// <summary>
    /// True when <paramref name="exception"/>, or an exception it wraps, says the database is unreachable or timed out:
    /// a transient <see cref="NpgsqlException"/> (a refused or broken connection), a <see cref="SocketException"/>, a
    /// <see cref="TimeoutException"/>, or a <see cref="PostgresException"/> whose SQLSTATE is one of the outage states.
    /// Any other <see cref="PostgresException"/> (a constraint, a syntax error, a serialization failure) is not an
    /// outage, and neither is a cancelled request (the caller went away).
    /// </summary>
    public static bool IsOutage(Exception? exception)
    {
        if (exception is OperationCanceledException)
        {
            return false;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsOutage);
                case PostgresException postgres:
                    return IsOutageState(postgres.SqlState);
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Logs a failed round of a background loop (outbox, daily jobs, workers): an outage as a warning without a stack trace,
    /// since the loop simply tries again in its next round; anything else as an error with its stack trace.
    /// </summary>
    public static void LogFailedRound(this ILogger logger, Exception exception, string message, params object?[] args)
    {
        if (IsOutage(exception))
        {
#pragma warning disable CA2254 // The template is the caller's, with the reason appended.
            logger.LogWarning(message + " (the database is unavailable: {Reason})", [.. args, exception.InnerException?.Message ?? exception.Message]);
        }
        else
        {
            logger.LogError(exception, message, args);
#pragma warning restore CA2254
        }
    }

    /// <summary>Whether a SQLSTATE says the server is unavailable rather than that the statement was wrong.</summary>
    public static bool IsOutageState(string? sqlState) =>
        sqlState is not null && (sqlState.StartsWith("08", StringComparison.Ordinal) || OutageStates.Contains(sqlState));
}

/// <summary>
/// Logs an outage once: the first failure is a warning (without a stack trace), later failures of the same outage are
/// debug lines, and the first connection made after it (or a health check that reaches the database) logs that the
/// database is reachable again. A failure after a quiet period (no failure for <see cref="QuietPeriod"/>) starts a new outage.
/// </summary>
public sealed class DatabaseOutageMonitor(ILogger<DatabaseOutageMonitor> logger, TimeProvider clock)
{
    /// <summary>After this long without a failure, the next failure is a new outage and logged as a warning again.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private DateTimeOffset _lastFailure;
    private int _failures;

    /// <summary>True between the first failure of an outage and the database answering again.</summary>
    public bool InOutage => Volatile.Read(ref _failures) > 0;

    /// <summary>Records a failure that <see cref="DatabaseOutage.IsOutage"/> classified as an outage; <paramref name="source"/> says who saw it.</summary>
    public void ReportFailure(Exception exception, string source)
    {
        var now = clock.GetUtcNow();
        bool first;
        lock (_gate)
        {
            first = _since is null || now - _lastFailure > QuietPeriod;
            if (first)
            {
                _since = now;
                _failures = 0;
            }

            _lastFailure = now;
            _failures++;
        }

        if (first)
        {
            logger.LogWarning(
                "The database is unavailable ({Reason:l}), first seen by {Source:l}: requests that need it are answered 503 until it is back",
                Reason(exception), source);
        }
        else
        {
            logger.LogDebug("The database is still unavailable ({Reason:l}), seen by {Source:l}", Reason(exception), source);
        }
    }

    /// <summary>Records that the database answered: ends the outage, if there was one, with an information line.</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref _failures) == 0)
        {
            return;
        }

        DateTimeOffset since;
        int failures;
        lock (_gate)
        {
            if (_since is null)
            {
                return;
            }

            since = _since.Value;
            failures = _failures;
            _since = null;
            _failures = 0;
        }

        logger.LogInformation(
            "The database is reachable again after {Seconds:0.0} s of outage ({Failures} failures seen)", (clock.GetUtcNow() - since).TotalSeconds, failures);
    }

    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null && innermost is not PostgresException)
        {
            innermost = innermost.InnerException;
        }

        return innermost == exception ? exception.Message : $"{exception.Message}: {innermost.Message}";
    }
}
