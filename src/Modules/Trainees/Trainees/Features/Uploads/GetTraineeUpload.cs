using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary><c>GET /trainee-uploads/{id}</c>: an upload's status and how far its run has got; 404 for another provider's.</summary>
internal static class GetTraineeUpload
{
    public static void Map(TraineeApi api)
    {
        var basePath = TraineeUploads.BasePath(api);
        api.Group.MapGet("/trainee-uploads/{uploadId}", async (string uploadId, HttpContext http, NpgsqlDataSource db, CancellationToken ct) =>
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var upload = await TraineeUpload.FindAsync(connection, http.TrainingProvider().Id, uploadId, null, ct);
                return upload is null ? TraineeUploads.NotFound() : TraineeApiResults.Data(StatusCodes.Status200OK, upload.ToJson(basePath));
            })
            .WithName(api.Name("GetTraineeUpload")).WithSummary("An upload: its status and how far it has got")
            .Answers<TraineeUploadEnvelope>(StatusCodes.Status200OK)
            .Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);
    }
}
