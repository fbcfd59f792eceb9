using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.Features.Trs;
using Register.Trainees.Versions;

namespace Register.Trainees.Features.Uploads;

/// <summary><c>Uploads:*</c>: how often the worker looks for uploads to run (it is also woken by each upload and submit).</summary>
internal sealed class UploadOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool BackgroundProcessing { get; set; } = true;
}

/// <summary>
/// Runs uploads: a <c>pending</c> one's dry run (every row through the rules and creation of POST /trainees, in one
/// transaction rolled back, so rows duplicating earlier rows of the file are found) and an <c>in_progress</c> one's submit
/// (the same, committed only if every row passed; with the upload's new status, in the same transaction, so a crash
/// never leaves trainees made and the upload not knowing). A session lock per upload means one worker runs it; progress
/// is written as it goes, on a second connection. Work is in the database, so a restart picks it up again.
/// </summary>
internal sealed class UploadWorker(
    NpgsqlDataSource db, OutboxDispatcher outbox, RegisterDatabase database, TimeProvider clock, IOptions<UploadOptions> options,
    IOptions<TrsOptions> trs, ILogger<UploadWorker> logger) : BackgroundService
{
    private static readonly Actor Worker = Actor.SystemTask("Trainee CSV upload");

    /// <summary>Rows run together (known organisations, locks, duplicates and inserts a statement each); progress is written after each.</summary>
    private const int ChunkSize = 500;

    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Asks the worker to look for work now rather than at its next poll.</summary>
    public void Wake() => _wake.Release();

    /// <summary>Runs every upload waiting to run; returns how many ran.</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var waiting = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM trainees.trainee_uploads WHERE status IN ('pending', 'in_progress') ORDER BY updated_at, id", cancellationToken: ct))).AsList();
        var ran = 0;
        foreach (var id in waiting)
        {
            ran += await RunAsync(id, ct) ? 1 : 0;
        }

        return ran;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundProcessing)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (database.IsMigrated)
                {
                    await ProcessPendingAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever failed (the database away, a bug), the worker lives on and tries again at the next poll.
                logger.LogFailedRound(ex, "Running trainee uploads failed; trying again in {Interval}", options.Value.PollInterval);
            }

            await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    private async Task<bool> RunAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var key = $"trainee-upload:{id}";
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", new { key }, cancellationToken: ct)))
        {
            return false;
        }

        try
        {
            var upload = await connection.QuerySingleOrDefaultAsync<TraineeUpload>(new CommandDefinition(
                $"SELECT {TraineeUpload.Columns} FROM trainees.trainee_uploads WHERE id = @id AND status IN ('pending', 'in_progress')", new { id }, cancellationToken: ct));
            if (upload is null)
            {
                return false;
            }

            await RunAsync(connection, upload, ct);
            await outbox.DispatchAfterCommitAsync(TraineesModule.Schema, CancellationToken.None);
            return true;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", new { key }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task RunAsync(NpgsqlConnection connection, TraineeUpload upload, CancellationToken ct)
    {
        var submitting = upload.Status == TraineeUpload.InProgress;
        var rows = (await connection.QueryAsync<StoredRow>(new CommandDefinition(
            "SELECT row_number, cells::text AS cells FROM trainees.trainee_upload_rows WHERE upload_id = @Id ORDER BY row_number", upload, cancellationToken: ct))).AsList();
        var version = TraineeApiVersions.Latest;
        var results = new List<RowResult>(rows.Count);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            try
            {
                foreach (var chunk in rows.Chunk(ChunkSize))
                {
                    results.AddRange(await RunRowsAsync(tx, upload, chunk, version, ct));
                    await ProgressAsync(upload.Id, results, ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !IsTransient(ex))
            {
                // A failure no retry mends (a bug, bad stored data) fails the upload, saying so, rather than running it again for ever;
                // a transient one (the connection lost, a deadlock) leaves it as it was, to run again at the next poll.
                logger.LogError(ex, "Trainee upload {Upload} could not run", upload.Slug);
                await tx.RollbackAsync(ct);
                var failure = $"runtime failure: {ex.Message}";
                var ran = results.Select(r => r.RowNumber).ToHashSet();
                results.AddRange(rows.Where(r => !ran.Contains(r.RowNumber)).Select(r => new RowResult(r.RowNumber, "runtime", [failure], null)));
                await FinishAsync(connection, upload, TraineeUpload.Failed, results, failure, ct);
                return;
            }

            var passed = results.All(r => r.Errors.Count == 0);
            if (submitting && passed)
            {
                await WriteResultsAsync(tx, upload, TraineeUpload.Succeeded, results, null, ct);
                await tx.CommitAsync(ct);
                return;
            }

            await tx.RollbackAsync(ct);
            await FinishAsync(connection, upload, passed ? TraineeUpload.Validated : TraineeUpload.Failed, results, null, ct);
        }
    }

    /// <summary>Rows, through the rules and creation of POST /trainees (each also checked against the rows before it); a database error ends the run.</summary>
    private async Task<IEnumerable<RowResult>> RunRowsAsync(NpgsqlTransaction tx, TraineeUpload upload, StoredRow[] rows, TraineeApiVersion version, CancellationToken ct)
    {
        var drafts = rows.Select(row =>
        {
            var cells = JsonSerializer.Deserialize<Dictionary<string, string?>>(row.Cells) ?? [];
            return TraineeDraft.ForCreate(RequestData.From(UploadRowMapping.Trainee(new UploadRow(row.RowNumber, 0, cells)), version), version);
        }).ToList();
        var outcomes = await TraineeCreation.CreateManyAsync(tx, drafts, upload.ProviderId, version, "csv",
            Actor.SystemTask($"CSV upload by {upload.CreatedByName}"), clock.UtcNowForDatabase(), clock.TodayInLondon(), trs.Value.TrnDelay, ct);
        return rows.Zip(outcomes, (row, outcome) => outcome switch
        {
            { Created: { } trainee } => new RowResult(row.RowNumber, null, [], trainee.Slug),
            { Duplicates.Count: > 0 } => new RowResult(row.RowNumber, "duplicate", ["This trainee is already in Register"], null),
            _ => new RowResult(row.RowNumber, "validation", outcome.Errors.Select(UploadRowMapping.Message).ToList(), null),
        });
    }

    private static bool IsTransient(Exception ex) =>
        ex is NpgsqlException { IsTransient: true } or PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure } or TimeoutException;

    /// <summary>How far the run has got, on a connection of its own (the run's transaction is not committed yet); progress is only a hint, so failing to write it stops nothing.</summary>
    private async Task ProgressAsync(Guid uploadId, List<RowResult> results, CancellationToken ct)
    {
        try
        {
            await using var progress = await db.OpenConnectionAsync(ct);
            await progress.ExecuteAsync(new CommandDefinition(
                "UPDATE trainees.trainee_uploads SET rows_processed = @processed, rows_failed = @failed WHERE id = @uploadId",
                new { uploadId, processed = results.Count, failed = results.Count(r => r.Errors.Count > 0) }, cancellationToken: ct));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(ex, "The progress of trainee upload {Upload} could not be written", uploadId);
        }
    }

    private async Task FinishAsync(NpgsqlConnection connection, TraineeUpload upload, string status, List<RowResult> results, string? failure, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await WriteResultsAsync(tx, upload, status, results, failure, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The rows' results, the counts and the upload's new status, with its notification.</summary>
    private async Task WriteResultsAsync(NpgsqlTransaction tx, TraineeUpload upload, string status, List<RowResult> results, string? failure, CancellationToken ct)
    {
        var now = clock.UtcNowForDatabase();
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            """
            UPDATE trainees.trainee_upload_rows r
            SET error_type = x.error_type, errors = ARRAY(SELECT jsonb_array_elements_text(x.errors::jsonb)), trainee_slug = x.slug
            FROM unnest(@numbers, @types, @errors, @slugs) AS x(row_number, error_type, errors, slug)
            WHERE r.upload_id = @Id AND r.row_number = x.row_number
            """,
            new
            {
                upload.Id,
                numbers = results.Select(r => r.RowNumber).ToArray(),
                types = results.Select(r => r.ErrorType).ToArray(),
                errors = results.Select(r => JsonSerializer.Serialize(r.Errors)).ToArray(),
                // A dry run's trainees were never made: only a submit that succeeded links its rows to trainees.
                slugs = results.Select(r => status == TraineeUpload.Succeeded ? r.TraineeSlug : null).ToArray(),
            }, tx, cancellationToken: ct));
        await tx.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE trainees.trainee_uploads SET rows_processed = @processed, rows_failed = @failed, failure = @failure WHERE id = @Id",
            new { upload.Id, processed = results.Count, failed = results.Count(r => r.Errors.Count > 0), failure }, tx, cancellationToken: ct));
        await TraineeUpload.MoveAsync(tx, upload, status, Worker, now, ct);
    }

    private sealed record StoredRow
    {
        public int RowNumber { get; init; }

        public string Cells { get; init; } = "{}";
    }

    private sealed record RowResult(int RowNumber, string? ErrorType, IReadOnlyList<string> Errors, string? TraineeSlug);
}
