using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary><c>GET /trainee-uploads</c>: the provider's 50 latest uploads, newest first.</summary>
internal static class ListTraineeUploads
{
    public static void Map(TraineeApi api)
    {
        var basePath = TraineeUploads.BasePath(api);
        api.Group.MapGet("/trainee-uploads", async (HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                var uploads = await LatestAsync(db, http.TrainingProvider().Id, 50, ct);
                return TraineeApiResults.Data(StatusCodes.Status200OK, new JsonArray(uploads.Select(u => (JsonNode?)u.ToJson(basePath)).ToArray()));
            })
            .WithName(api.Name("ListTraineeUploads")).WithSummary("The provider's 50 latest uploads")
            .Answers<TraineeUploadList>(StatusCodes.Status200OK);
    }

    /// <summary>The provider's latest uploads, newest first (the API's 50, the page's 10).</summary>
    public static async Task<IReadOnlyList<TraineeUpload>> LatestAsync(NpgsqlDataSource db, Guid providerId, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<TraineeUpload>(new CommandDefinition(
            $"SELECT {TraineeUpload.Columns} FROM trainees.trainee_uploads WHERE provider_id = @providerId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { providerId, limit }, cancellationToken: ct))).AsList();
    }
}
