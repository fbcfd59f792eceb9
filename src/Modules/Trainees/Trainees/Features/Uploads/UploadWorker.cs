using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Email;
using Register.BuildingBlocks.Jobs;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Telemetry;
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
/// never leaves trainees made and the upload not knowing). A <see cref="BackgroundLoop"/> whose batch is one upload, every
/// <c>Uploads:PollInterval</c> or when an upload or a submit wakes it. The run's transaction holds a transaction-scoped
/// advisory lock on the upload, taken before anything else, and writes the upload's new status before it ends, so one
/// worker — of any process on the database — runs an upload, once; the lock goes with the transaction (a crash, a lost
/// connection), which leaves the upload to run again. Progress is written as it goes, on a second connection. Work is in
/// the database, so a restart picks it up again.
/// </summary>
internal sealed class UploadWorker(
    NpgsqlDataSource db, OutboxDispatcher outbox, RegisterDatabase database, TimeProvider clock, IOptions<UploadOptions> options,
    IOptions<TrsOptions> trs, IOptions<EmailOptions> email, EmailWorker emails, RegisterMetrics metrics, ILogger<UploadWorker> logger)
    : BackgroundLoop(database, clock, logger)
{
    private static readonly Actor Worker = Actor.SystemTask("Trainee CSV upload");

    /// <summary>Rows run together (known organisations, locks, duplicates and inserts a statement each); progress is written after each.</summary>
    private const int ChunkSize = 500;

    protected override string Name => "Upload worker";

    protected override bool Enabled => options.Value.BackgroundProcessing;

    /// <summary>Runs every upload waiting to run (that no other worker is running); returns how many ran.</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken ct)
    {
        var ran = 0;
        while (await RunBatchAsync(ct) > 0)
        {
            ran++;
        }

        return ran;
    }

    /// <summary>Runs the oldest waiting upload that no other worker is running; 1 if one ran, 0 if none was left.</summary>
    protected override async Task<int> RunBatchAsync(CancellationToken ct)
    {
        List<Guid> waiting;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            waiting = (await connection.QueryAsync<Guid>(new CommandDefinition(
                "SELECT id FROM trainees.trainee_uploads WHERE status IN ('pending', 'in_progress') ORDER BY updated_at, id", cancellationToken: ct))).AsList();
        }

        foreach (var id in waiting)
        {
            if (await RunAsync(id, ct))
            {
                return 1;
            }
        }

        return 0;
    }

    // Straight on after an upload: another may be waiting.
    protected override TimeSpan NextWait(int done) => done > 0 ? TimeSpan.Zero : options.Value.PollInterval;

    /// <summary>Runs the upload if this worker gets its lock and it is still waiting; false otherwise.</summary>
    private async Task<bool> RunAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(@key, 0))", new { key = $"trainee-upload:{id}" }, tx, cancellationToken: ct)))
        {
            return false;
        }

        // Read once the lock is held: a run that finished elsewhere committed the upload's new status before letting the lock go.
        var upload = await connection.QuerySingleOrDefaultAsync<TraineeUpload>(new CommandDefinition(
            $"SELECT {TraineeUpload.Columns} FROM trainees.trainee_uploads WHERE id = @id AND status IN ('pending', 'in_progress')", new { id }, tx, cancellationToken: ct));
        if (upload is null)
        {
            return false;
        }

        var status = await RunAsync(tx, upload, ct);
        CountCommitted(upload, status);
        await outbox.DispatchAfterCommitAsync(TraineesModule.Schema, CancellationToken.None);
        if (upload.Status == TraineeUpload.Pending && upload.CreatedByEmail is not null)
        {
            emails.Wake();
        }

        return true;
    }

    /// <summary>
    /// The metrics of a run that has committed: the upload's outcome and rows, and the trainees a submit made (source
    /// <c>web</c> for an upload made in the pages, which has someone to email, <c>csv</c> for one made with an API token).
    /// </summary>
    private void CountCommitted(TraineeUpload upload, string status)
    {
        var source = UploadSource(upload);
        var outcome = status == TraineeUpload.Succeeded ? "submitted" : status;
        metrics.Upload(outcome, source, upload.TotalRows);
        if (status == TraineeUpload.Succeeded)
        {
            metrics.TraineesCreated(source, upload.TotalRows);
        }
    }

    /// <summary>How an upload was made, for the metrics: <c>web</c> (in the pages) or <c>csv</c> (with an API token).</summary>
    public static string UploadSource(TraineeUpload upload) => upload.CreatedByEmail is null ? "csv" : "web";

    /// <summary>
    /// The rows run after a savepoint: a dry run, a failed submit or a failure rolls back to it (the lock, taken before it,
    /// stays) and writes the results and the new status in the same transaction; a submit that passed commits it all.
    /// Returns the upload's new status, committed.
    /// </summary>
    private async Task<string> RunAsync(NpgsqlTransaction tx, TraineeUpload upload, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var submitting = upload.Status == TraineeUpload.InProgress;
        var rows = (await connection.QueryAsync<StoredRow>(new CommandDefinition(
            "SELECT row_number, cells::text AS cells FROM trainees.trainee_upload_rows WHERE upload_id = @Id ORDER BY row_number", upload, tx, cancellationToken: ct))).AsList();
        var version = TraineeApiVersions.Latest;
        var results = new List<RowResult>(rows.Count);
        await tx.SaveAsync("upload_rows", ct);
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
            // a transient one (the connection lost, a deadlock) rolls the whole transaction back, leaving the upload to run again.
            Logger.LogError(ex, "Trainee upload {Upload} could not run", upload.Slug);
            await tx.RollbackAsync("upload_rows", ct);
            var failure = $"runtime failure: {ex.Message}";
            var ran = results.Select(r => r.RowNumber).ToHashSet();
            results.AddRange(rows.Where(r => !ran.Contains(r.RowNumber)).Select(r => new RowResult(r.RowNumber, "runtime", [failure], null)));
            await WriteResultsAsync(tx, upload, TraineeUpload.Failed, results, failure, ct);
            await tx.CommitAsync(ct);
            return TraineeUpload.Failed;
        }

        var passed = results.All(r => r.Errors.Count == 0);
        if (!submitting || !passed)
        {
            await tx.RollbackAsync("upload_rows", ct);
        }

        var status = submitting && passed ? TraineeUpload.Succeeded : passed ? TraineeUpload.Validated : TraineeUpload.Failed;
        await WriteResultsAsync(tx, upload, status, results, null, ct);
        await tx.CommitAsync(ct);
        return status;
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
            Actor.SystemTask($"CSV upload by {upload.CreatedByName}"), Clock.UtcNowForDatabase(), Clock.TodayInLondon(), trs.Value.TrnDelay,
            dryRun: upload.Status == TraineeUpload.Pending, ct);
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
            Logger.LogWarning(ex, "The progress of trainee upload {Upload} could not be written", uploadId);
        }
    }

    /// <summary>The rows' results, the counts and the upload's new status, with its notification.</summary>
    private async Task WriteResultsAsync(NpgsqlTransaction tx, TraineeUpload upload, string status, List<RowResult> results, string? failure, CancellationToken ct)
    {
        var now = Clock.UtcNowForDatabase();
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
        if (upload.Status == TraineeUpload.Pending)
        {
            await EnqueueCheckedEmailAsync(tx, upload, status, status == TraineeUpload.Validated ? results.Count : results.Count(r => r.Errors.Count > 0), now, ct);
        }
    }

    /// <summary>
    /// A dry run ended: "Your file of trainees has been checked", to whoever uploaded it in the browser (an upload by a token has
    /// no one to email), in the run's transaction (<see cref="Emails"/>: sent afterwards by <see cref="EmailWorker"/>, once). Inside a
    /// savepoint: an email that cannot be written is logged and left out, and the upload's results stand.
    /// </summary>
    private async Task EnqueueCheckedEmailAsync(NpgsqlTransaction tx, TraineeUpload upload, string status, int count, DateTimeOffset now, CancellationToken ct)
    {
        if (upload.CreatedByEmail is not { } to)
        {
            return;
        }

        var passed = status == TraineeUpload.Validated;
        var body = $"""
            {(passed ? $"{count} {(count == 1 ? "trainee is" : "trainees are")} ready to submit." : $"{count} {(count == 1 ? "row has errors" : "rows have errors")}.")}

            {(passed ? "Check and submit your file" : "See the errors and upload your fixed file")}: {email.Value.ServiceUrl}/bulk-update/add-trainees/{upload.Slug}
            """;
        await tx.SaveAsync("upload_email", ct);
        try
        {
            await Emails.EnqueueAsync(tx, new EmailNotice($"upload-checked:{upload.Id}", to, "Your file of trainees has been checked", body), now, ct);
        }
        catch (PostgresException ex)
        {
            Logger.LogWarning("The \"upload checked\" email of trainee upload {Upload} could not be written: {Error}", upload.Slug, ex.MessageText);
            await tx.RollbackAsync("upload_email", ct);
        }
    }

    private sealed record StoredRow
    {
        public int RowNumber { get; init; }

        public string Cells { get; init; } = "{}";
    }

    private sealed record RowResult(int RowNumber, string? ErrorType, IReadOnlyList<string> Errors, string? TraineeSlug);
}
