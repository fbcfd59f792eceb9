using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Trainees.Api;

namespace Register.Trainees.Features.Uploads;

/// <summary><c>GET /trainee-uploads/template</c>: the CSV template's header row, its 51 columns.</summary>
internal static class GetTraineeUploadTemplate
{
    public static void Map(TraineeApi api) =>
        api.Group.MapGet("/trainee-uploads/template", () => Results.Text(UploadFile.Template, "text/csv; charset=utf-8"))
            .WithName(api.Name("GetTraineeUploadTemplate")).WithSummary("The CSV template: its 51 columns")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
}
