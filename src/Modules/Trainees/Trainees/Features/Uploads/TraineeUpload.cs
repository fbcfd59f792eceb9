using System.Globalization;
using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;
using Register.Trainees.Contracts;
using Register.Trainees.Domain;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// A CSV upload of trainees. <c>pending</c>: its dry run is to come; <c>validated</c>: every row passed and it may be
/// submitted; <c>in_progress</c>: submitted, its trainees being made; then <c>succeeded</c>, or <c>failed</c> (a row broke a
/// rule, nothing was made), or <c>cancelled</c>.
/// </summary>
internal sealed record TraineeUpload
{
    public const string Columns =
        "id, slug, provider_id, status, file_name, total_rows, rows_processed, rows_failed, failure, created_by_name, created_by_email, created_at, updated_at, " +
        "validated_at, submitted_at, completed_at";

    public const string Pending = "pending";
    public const string Validated = "validated";
    public const string InProgress = "in_progress";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public Guid Id { get; init; }

    public string Slug { get; init; } = "";

    public Guid ProviderId { get; init; }

    public string Status { get; init; } = Pending;

    public string? FileName { get; init; }

    public int TotalRows { get; init; }

    public int RowsProcessed { get; init; }

    public int RowsFailed { get; init; }

    /// <summary>What stopped a run that could not finish (not a row's broken rule).</summary>
    public string? Failure { get; init; }

    public string CreatedByName { get; init; } = "";

    /// <summary>Where the "upload checked" email goes: the address of whoever uploaded it in the browser; null for an API upload.</summary>
    public string? CreatedByEmail { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? ValidatedAt { get; init; }

    public DateTimeOffset? SubmittedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public JsonObject ToJson(string basePath) => new()
    {
        ["upload_id"] = Slug,
        ["status"] = Status,
        ["file_name"] = FileName,
        ["total_rows"] = TotalRows,
        ["rows_processed"] = RowsProcessed,
        ["rows_failed"] = RowsFailed,
        ["failure"] = Failure,
        ["created_by"] = CreatedByName,
        ["created_at"] = Time(CreatedAt),
        ["updated_at"] = Time(UpdatedAt),
        ["validated_at"] = Time(ValidatedAt),
        ["submitted_at"] = Time(SubmittedAt),
        ["completed_at"] = Time(CompletedAt),
        ["links"] = new JsonObject
        {
            ["self"] = $"{basePath}/trainee-uploads/{Slug}",
            ["rows"] = $"{basePath}/trainee-uploads/{Slug}/rows",
            ["report"] = $"{basePath}/trainee-uploads/{Slug}/report",
        },
    };

    public static Task<TraineeUpload?> FindAsync(NpgsqlConnection connection, Guid providerId, string slug, NpgsqlTransaction? tx, CancellationToken ct) =>
        Slugs.IsWellFormed(slug)
            ? connection.QuerySingleOrDefaultAsync<TraineeUpload>(new CommandDefinition(
                $"SELECT {Columns} FROM trainees.trainee_uploads WHERE provider_id = @providerId AND slug = @slug{(tx is null ? "" : " FOR UPDATE")}",
                new { providerId, slug }, tx, cancellationToken: ct))
            : Task.FromResult<TraineeUpload?>(null);

    /// <summary>Moves an upload to a status, with its notification; returns it as it now is.</summary>
    public static async Task<TraineeUpload> MoveAsync(NpgsqlTransaction tx, TraineeUpload upload, string status, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var moved = await tx.Connection!.QuerySingleAsync<TraineeUpload>(new CommandDefinition(
            $"""
            UPDATE trainees.trainee_uploads SET status = @status, updated_at = @now,
                rows_processed = CASE WHEN @status = 'in_progress' THEN 0 ELSE rows_processed END,
                rows_failed = CASE WHEN @status = 'in_progress' THEN 0 ELSE rows_failed END,
                validated_at = CASE WHEN @status = 'validated' THEN @now ELSE validated_at END,
                submitted_at = CASE WHEN @status = 'in_progress' THEN @now ELSE submitted_at END,
                completed_at = CASE WHEN @status IN ('succeeded', 'failed', 'cancelled') THEN @now ELSE completed_at END
            WHERE id = @Id
            RETURNING {Columns}
            """,
            new { upload.Id, status, now }, tx, cancellationToken: ct));
        await EnqueueAsync(tx, upload, RecordActions.Updated, actor, [new FieldChange("status", upload.Status, status)], now, ct);
        return moved;
    }

    public static Task EnqueueAsync(NpgsqlTransaction tx, TraineeUpload upload, string action, Actor actor, IReadOnlyList<FieldChange> changes, DateTimeOffset now, CancellationToken ct) =>
        Outbox.EnqueueAsync(tx, TraineesModule.Schema, new TraineeUploadChanged(EventIds.Next(now), now, upload.Id, action, actor, changes, upload.ProviderId), ct);

    private static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
