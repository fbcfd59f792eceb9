using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks;
using Register.Trainees.Contracts;

namespace Register.Trainees.Features.Uploads;

/// <summary>
/// Answers <see cref="GetUploadUsage"/> for the support usage dashboard: three aggregate queries over the uploads made
/// between two London days (the uploads table, not the trainees), and the error messages of the failed uploads' rows only.
/// A quoted value in a message (a URN, a code, a name the row gave) becomes '…', so reasons group and hold no one's data.
/// </summary>
internal sealed class GetUploadUsageHandler(NpgsqlDataSource db) : IRequestHandler<GetUploadUsage, UploadUsage>
{
    /// <summary>A row error without the values it quotes: <c>is invalid. The URN '…' does not match any known schools</c>.</summary>
    private const string Reason = "regexp_replace(e, '''[^'']*''', '''…''', 'g')";

    public async ValueTask<UploadUsage> Handle(GetUploadUsage request, CancellationToken cancellationToken)
    {
        var range = new
        {
            fromAt = LondonTime.StartOfLondonDay(request.From),
            toAt = LondonTime.StartOfLondonDay(request.To.AddDays(1)),
            top = Math.Clamp(request.TopReasons, 0, 100),
            latest = Math.Clamp(request.LatestFailed, 0, 100),
        };
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var providers = await connection.QueryAsync<ProviderUploadUsage>(new CommandDefinition(
            """
            SELECT provider_id,
                   count(*)::int AS uploads,
                   count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded,
                   count(*) FILTER (WHERE status = 'failed')::int AS failed,
                   count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
                   count(*) FILTER (WHERE status IN ('pending', 'validated', 'in_progress'))::int AS open,
                   count(*) FILTER (WHERE created_by_email IS NOT NULL)::int AS in_browser,
                   count(*) FILTER (WHERE created_by_email IS NULL)::int AS by_token,
                   coalesce(sum(rows_processed) FILTER (WHERE status = 'succeeded'), 0)::int AS trainees_created
            FROM trainees.trainee_uploads
            WHERE created_at >= @fromAt AND created_at < @toAt
            GROUP BY provider_id
            """,
            range, cancellationToken: cancellationToken));

        // A run that could not finish says why once (its rows all carry the same words); otherwise each failed row's errors.
        var reasons = await connection.QueryAsync<UploadFailureReason>(new CommandDefinition(
            $"""
            WITH failed AS (
                SELECT id, failure, rows_failed FROM trainees.trainee_uploads
                WHERE status = 'failed' AND created_at >= @fromAt AND created_at < @toAt
            ), reasons AS (
                SELECT id AS upload_id, failure AS reason, rows_failed AS rows FROM failed WHERE failure IS NOT NULL
                UNION ALL
                SELECT upload_id, reason, 1 FROM (
                    SELECT DISTINCT r.upload_id, r.row_number, {Reason} AS reason
                    FROM failed f
                    JOIN trainees.trainee_upload_rows r ON r.upload_id = f.id AND r.error_type IS NOT NULL
                    CROSS JOIN LATERAL unnest(r.errors) AS e
                    WHERE f.failure IS NULL
                ) row_reasons
            )
            SELECT reason, sum(rows)::int AS rows, count(DISTINCT upload_id)::int AS uploads
            FROM reasons GROUP BY reason ORDER BY sum(rows) DESC, reason LIMIT @top
            """,
            range, cancellationToken: cancellationToken));

        var latest = await connection.QueryAsync<FailedUpload>(new CommandDefinition(
            $"""
            SELECT u.provider_id, u.created_at, u.created_by_email IS NOT NULL AS in_browser, u.total_rows, u.rows_failed,
                   coalesce(u.failure, (
                       SELECT {Reason} FROM trainees.trainee_upload_rows r CROSS JOIN LATERAL unnest(r.errors) AS e
                       WHERE r.upload_id = u.id GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1), 'No reason recorded') AS reason
            FROM trainees.trainee_uploads u
            WHERE u.status = 'failed' AND u.created_at >= @fromAt AND u.created_at < @toAt
            ORDER BY u.created_at DESC, u.id LIMIT @latest
            """,
            range, cancellationToken: cancellationToken));

        return new UploadUsage(providers.AsList(), reasons.AsList(), latest.AsList());
    }
}
