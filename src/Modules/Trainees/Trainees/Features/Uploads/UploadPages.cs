using Microsoft.AspNetCore.Http;
using Register.BuildingBlocks.Http;

namespace Register.Trainees.Features.Uploads;

/// <summary>What the "Bulk add new trainees" pages share: their address, the status tags, and reading the form's file.</summary>
internal static class UploadPages
{
    public const string Path = "/bulk-update/add-trainees";

    /// <summary>Rows with errors (or trainees made) a page.</summary>
    public const int PageSize = 25;

    /// <summary>An upload's status as the pages say it, with its tag colour.</summary>
    public static (string Text, string Colour) StatusTag(string status) => status switch
    {
        TraineeUpload.Pending => ("Checking", "blue"),
        TraineeUpload.Validated => ("Ready to submit", "turquoise"),
        TraineeUpload.InProgress => ("Adding trainees", "blue"),
        TraineeUpload.Succeeded => ("Trainees added", "green"),
        TraineeUpload.Failed => ("Errors found", "red"),
        _ => ("Cancelled", "grey"),
    };

    /// <summary>
    /// The form's <c>file</c> (the anti-forgery check has read the form already): its bytes and name, or none when no file was
    /// chosen (a browser sends an empty part without a name); a body over the limit or broken off is the size check's refusal.
    /// </summary>
    public static async Task<(byte[]? Content, string? FileName, ApiErrorResult? Error)> ReadFileAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            if (!request.HasFormContentType)
            {
                return (null, null, null);
            }

            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile(TraineeUploads.FileField) is not { } file)
            {
                return (null, null, null);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            return (buffer.ToArray(), file.FileName, null);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException)
        {
            return (null, null, ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, $"The selected file must be smaller than {UploadFile.MaxBytes / 1024 / 1024}MB", TraineeUploads.FileField));
        }
    }

    /// <summary>Messages that name a field in words, and the column they are about.</summary>
    private static readonly (string Prefix, string Column)[] WordedColumns =
    [
        ("Training Partner URN ", "training_partner_urn"), ("Employing School URN ", "employing_school_urn"),
        ("UK degree type or Non-UK degree type ", "uk_degree"),
    ];

    /// <summary>The CSV column an error is about: the column its message starts with (as the CSV messages do, spec §6.2), else "—".</summary>
    public static string Column(string message)
    {
        var first = message.Split(' ', 2)[0];
        if (UploadFile.Columns.Contains(first, StringComparer.Ordinal))
        {
            return first;
        }

        return WordedColumns.FirstOrDefault(w => message.StartsWith(w.Prefix, StringComparison.Ordinal)).Column ?? "—";
    }
}
