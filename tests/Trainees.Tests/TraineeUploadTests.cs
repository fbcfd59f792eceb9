using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Register.TestKit;
using Register.Trainees.Features.Uploads;

namespace Register.Trainees.Tests;

/// <summary>
/// CSV bulk upload over HTTP (spec §9 and "Register decides"): the file checks, a dry run that makes nothing, a report per
/// row (as CSV, safe against injection), and a submit that makes every trainee or none. The worker runs when a test says.
/// </summary>
[Collection(TraineesCollection.Name)]
public sealed class TraineeUploadTests(TraineesFixture fixture) : TraineeApiTest(fixture)
{
    private Task<HttpResponseMessage> UploadAsync(string csv) =>
        Srs.PostAsync("/api/v2026.1/trainee-uploads?file_name=trainees.csv", new StringContent(csv, Encoding.UTF8, "text/csv"));

    private Task<int> WorkerRunsAsync() => Api.Factory.Services.GetRequiredService<UploadWorker>().ProcessPendingAsync(CancellationToken.None);

    private async Task<System.Text.Json.JsonElement> UploadedAsync(string csv)
    {
        var response = await UploadAsync(csv);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.BodyAsync()).GetProperty("data");
    }

    private async Task<System.Text.Json.JsonElement> ShowAsync(string id) => (await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}")).BodyAsync()).GetProperty("data");

    private async Task<int> TraineeCountAsync()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM trainees.trainees");
    }

    [Fact]
    public async Task A_valid_file_is_dry_run_without_making_trainees_then_submitted_and_made()
    {
        var upload = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1), TraineeCsv.Row(2), TraineeCsv.Row(3)]));
        var id = upload.Text("upload_id");

        Assert.Equal(("pending", 3), (upload.Text("status"), upload.GetProperty("total_rows").GetInt32()));
        Assert.Equal(1, await WorkerRunsAsync());
        var validated = await ShowAsync(id);
        Assert.Equal(("validated", 3, 0), (validated.Text("status"), validated.GetProperty("rows_processed").GetInt32(), validated.GetProperty("rows_failed").GetInt32()));
        Assert.Equal(0, await TraineeCountAsync());

        var submit = await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{id}/submit", null);
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        Assert.Equal("in_progress", (await submit.BodyAsync()).GetProperty("data").Text("status"));
        Assert.Equal(1, await WorkerRunsAsync());

        Assert.Equal("succeeded", (await ShowAsync(id)).Text("status"));
        var trainees = await (await Srs.GetAsync("/api/v2026.1/trainees")).BodyAsync();
        Assert.Equal(3, trainees.GetProperty("meta").GetProperty("total_count").GetInt32());
        var rows = (await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}/rows")).BodyAsync()).GetProperty("data");
        Assert.All(rows.EnumerateArray(), r => Assert.Equal("created", r.Text("result")));
        var first = await (await Srs.GetAsync($"/api/v2026.1/trainees/{rows[0].Text("trainee_id")}")).BodyAsync();
        Assert.Equal(("Trainee1", "csv", "submitted_for_trn", "0310261553101", "020"),
            (first.Text("first_names"), first.Text("record_source"), first.Text("state"), first.Text("hesa_id"), first.Text("itt_qualification_aim")));
        Assert.Equal(("Establishment does not have a URN", "900020"), (first.GetProperty("placements")[0].Text("name"), first.GetProperty("placements")[0].Text("urn")));
        Assert.Equal("0116", first.GetProperty("degrees")[0].Text("institution"));
    }

    [Fact]
    public async Task A_file_with_one_bad_row_fails_whole_with_each_rows_errors_and_makes_nothing()
    {
        var bad = TraineeCsv.Row(2);
        bad["sex"] = "3";
        bad["degree_graduation_year"] = "abc";
        bad["course_subject_2"] = "100403";
        var upload = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1), bad, TraineeCsv.Row(1)]));
        var id = upload.Text("upload_id");

        await WorkerRunsAsync();
        var failed = await ShowAsync(id);
        var submit = await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{id}/submit", null);
        var rows = (await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}/rows")).BodyAsync()).GetProperty("data");

        Assert.Equal(("failed", 2), (failed.Text("status"), failed.GetProperty("rows_failed").GetInt32()));
        Assert.Equal(0, await TraineeCountAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, submit.StatusCode);
        Assert.Equal("passed", rows[0].Text("result"));
        Assert.Equal(("failed", "validation"), (rows[1].Text("result"), rows[1].Text("error_type")));
        Assert.Equal(
        [
            "course_subject_2 Course subject fields contain duplicate values",
            "sex has invalid reference data value of '3'. Valid values are '11', '10', '12', '99', '96'.",
            "degree_graduation_year Enter a valid graduation year",
        ], rows[1].GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Equal(("failed", "duplicate"), (rows[2].Text("result"), rows[2].Text("error_type")));
        Assert.Equal("This trainee is already in Register", rows[2].GetProperty("errors")[0].GetString());
    }

    [Fact]
    public async Task The_report_has_each_rows_result_and_errors_and_is_safe_to_open_in_a_spreadsheet()
    {
        var bad = TraineeCsv.Row(2);
        bad["first_names"] = "=HYPERLINK(\"http://example.com\")";
        bad["sex"] = "3";
        var upload = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1), bad]));
        await WorkerRunsAsync();

        var response = await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{upload.Text("upload_id")}/report");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var report = await response.Content.ReadAsStringAsync();
        var lines = report.Split("\r\n");
        Assert.EndsWith("\"iqts_country\",\"Validation results\",\"Errors\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"'0310261553101\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"Validation passed\",\"\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://example.com\"\")\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"1 error found\",\"sex has invalid reference data value of '3'.", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_downloaded_report_can_be_uploaded_again_and_headers_may_be_any_case()
    {
        var first = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1)]));
        await WorkerRunsAsync();
        var report = await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{first.Text("upload_id")}/report")).Content.ReadAsStringAsync();
        var upperCase = TraineeCsv.Make([TraineeCsv.Row(2).ToDictionary(c => c.Key.ToUpperInvariant(), c => c.Value)], TraineeCsv.Columns.Select(c => c.ToUpperInvariant()).ToList());

        var again = await UploadedAsync(report);
        var upper = await UploadedAsync(upperCase);
        await WorkerRunsAsync();

        Assert.Equal("validated", (await ShowAsync(again.Text("upload_id"))).Text("status"));
        Assert.Equal("validated", (await ShowAsync(upper.Text("upload_id"))).Text("status"));
    }

    [Fact]
    public async Task Blank_rows_are_skipped()
    {
        var csv = TraineeCsv.Make([TraineeCsv.Row(1)]) + new string(',', TraineeCsv.Columns.Length - 1) + "\n\n" + TraineeCsv.Make([TraineeCsv.Row(2)]).Split('\n', 2)[1];

        var upload = await UploadedAsync(csv);

        Assert.Equal(2, upload.GetProperty("total_rows").GetInt32());
    }

    [Theory]
    [InlineData("", "Select a CSV file")]
    [InlineData("first_names\n", "Your file’s column names need to match the CSV template. Your file is missing the following columns: 'provider_trainee_id', 'application_id', ")]
    [InlineData("\"unterminated,quote\n", "The selected file must be a CSV")]
    public async Task File_checks_have_the_references_messages(string csv, string message)
    {
        var response = await UploadAsync(csv);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.StartsWith(message, (await response.BodyAsync()).GetProperty("errors")[0].Text("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_extra_and_empty_columns_and_no_rows_are_named()
    {
        var missing = await UploadAsync(TraineeCsv.Make([TraineeCsv.Row(1)], TraineeCsv.Columns.Where(c => c is not ("hesa_id" or "sex")).Append("Shoe Size").ToList()));
        var empty = await UploadAsync(string.Join(",", TraineeCsv.Columns.Take(5)) + ",," + string.Join(",", TraineeCsv.Columns.Skip(5)) + "\n" + string.Join(",", TraineeCsv.Columns.Select(_ => "x")) + ",x\n");
        var valueBeyondTheLastColumn = await UploadAsync(TraineeCsv.Make([TraineeCsv.Row(1)]).TrimEnd('\n') + ",surplus\n");
        var noRows = await UploadAsync(string.Join(",", TraineeCsv.Columns) + "\n,,,\n");

        Assert.Equal("""{"errors":[{"error":"UnprocessableEntity","message":"Your file’s column names need to match the CSV template. Your file is missing the following columns: 'hesa_id' and 'sex'. Your file has the following extra columns: 'Shoe Size'"}]}""",
            await missing.Content.ReadAsStringAsync());
        Assert.Equal("The selected CSV file has structural issues. Check columns for empty headers, an incorrect number of columns, or additional commas.",
            (await empty.BodyAsync()).GetProperty("errors")[0].Text("message"));
        Assert.Equal("The selected CSV file has structural issues. Check columns for empty headers, an incorrect number of columns, or additional commas.",
            (await valueBeyondTheLastColumn.BodyAsync()).GetProperty("errors")[0].Text("message"));
        Assert.Equal("The selected file must contain at least one trainee", (await noRows.BodyAsync()).GetProperty("errors")[0].Text("message"));
    }

    [Fact]
    public async Task A_file_can_come_as_a_form_upload_and_a_validated_or_failed_upload_be_cancelled()
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(TraineeCsv.Make([TraineeCsv.Row(1)])));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "my trainees.csv");

        var upload = (await (await Srs.PostAsync("/api/v2026.1/trainee-uploads", form)).BodyAsync()).GetProperty("data");
        await WorkerRunsAsync();
        var cancelled = await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{upload.Text("upload_id")}/cancel", null);
        var submitCancelled = await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{upload.Text("upload_id")}/submit", null);

        Assert.Equal("my trainees.csv", upload.Text("file_name"));
        Assert.Equal("cancelled", (await cancelled.BodyAsync()).GetProperty("data").Text("status"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, submitCancelled.StatusCode);
    }

    [Fact]
    public async Task Another_providers_upload_is_404_and_uploads_are_in_the_activity_log()
    {
        var upload = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1)]));
        await WorkerRunsAsync();
        var other = await OtherProviderAsync();

        var response = await other.GetAsync($"/api/v2026.1/trainee-uploads/{upload.Text("upload_id")}");
        var headlines = (await Support.ItemsAsync($"/support/providers/{ProviderId}/activity")).Select(i => i.Text("headline")).ToList();

        Assert.Equal("""{"errors":[{"error":"NotFound","message":"Trainee upload(s) not found"}]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(["Trainee CSV upload updated", "Trainee CSV upload added"], headlines.Where(h => h.StartsWith("Trainee CSV", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Older_versions_have_no_uploads_and_the_template_has_51_columns()
    {
        var template = await (await Srs.GetAsync("/api/v2026.1/trainee-uploads/template")).Content.ReadAsStringAsync();
        var older = await Srs.GetAsync("/api/v2025.0/trainee-uploads/template");

        Assert.Equal(51, template.Trim().Split(',').Length);
        Assert.Equal(TraineeCsv.Columns, template.Trim().Split(','));
        Assert.Equal(HttpStatusCode.NotFound, older.StatusCode);
    }

    [Fact]
    public async Task Trailing_commas_are_ignored_and_a_windows_1252_file_keeps_its_accents()
    {
        var row = TraineeCsv.Row(1);
        row["first_names"] = "Zoë";
        row["last_name"] = "O’Brien";
        var csv = string.Join("\n", TraineeCsv.Make([row]).TrimEnd('\n').Split('\n').Select(l => l + ",,")) + "\n";
        var windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(csv);

        var response = await Srs.PostAsync("/api/v2026.1/trainee-uploads", new ByteArrayContent(windows1252));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.BodyAsync()).GetProperty("data").Text("upload_id");
        await WorkerRunsAsync();
        await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{id}/submit", null);
        await WorkerRunsAsync();

        var trainee = (await (await Srs.GetAsync("/api/v2026.1/trainees")).BodyAsync()).GetProperty("data")[0];
        Assert.Equal(("Zoë", "O’Brien"), (trainee.Text("first_names"), trainee.Text("last_name")));
    }

    [Fact]
    public async Task Rows_report_the_line_they_start_on_when_a_cell_spans_lines()
    {
        var multiLine = TraineeCsv.Row(1);
        multiLine["first_names"] = "Anne\nMarie";
        var upload = await UploadedAsync(TraineeCsv.Make([multiLine, TraineeCsv.Row(2)]));
        await WorkerRunsAsync();

        var rows = (await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{upload.Text("upload_id")}/rows")).BodyAsync()).GetProperty("data");

        Assert.Equal([2, 4], rows.EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));
    }

    [Fact]
    public async Task A_file_of_more_than_25000_trainees_is_refused_before_anything_is_stored()
    {
        var header = string.Join(",", TraineeCsv.Columns);
        var body = new StringBuilder(header).Append('\n');
        var lastName = Array.IndexOf(TraineeCsv.Columns, "last_name");
        for (var i = 0; i <= UploadFile.MaxRows; i++)
        {
            body.Append(new string(',', lastName)).Append('x').Append(new string(',', TraineeCsv.Columns.Length - lastName - 1)).Append('\n');
        }

        var response = await UploadAsync(body.ToString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("The selected file must contain no more than 25,000 trainees: split it into smaller files", (await response.BodyAsync()).GetProperty("errors")[0].Text("message"));
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM trainees.trainee_uploads"));
    }

    [Fact]
    public async Task A_file_name_with_control_characters_is_a_400_and_a_url_encoded_form_is_a_415()
    {
        var response = await Srs.PostAsync("/api/v2026.1/trainee-uploads?file_name=" + Uri.EscapeDataString("bad\u0000name\r\n.csv"),
            new StringContent(TraineeCsv.Make([TraineeCsv.Row(1)]), Encoding.UTF8, "text/csv"));
        var urlEncoded = await Srs.PostAsync("/api/v2026.1/trainee-uploads", new StringContent(TraineeCsv.Make([TraineeCsv.Row(1)]), Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, urlEncoded.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("file_name must not contain control characters", (await response.BodyAsync()).GetProperty("errors")[0].Text("message"));
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM trainees.trainee_uploads"));
    }

    [Theory]
    [InlineData("../../../../etc/passwd", "passwd")]
    [InlineData("..\\..\\..\\x.csv", "x.csv")]
    [InlineData("C:\\Users\\jo\\trainees 2026.csv", "trainees 2026.csv")]
    [InlineData("..", null)]
    public async Task A_file_name_is_reduced_to_a_safe_base_name_and_the_report_names_it_so(string sent, string? stored)
    {
        var query = await Srs.PostAsync("/api/v2026.1/trainee-uploads?file_name=" + Uri.EscapeDataString(sent), new StringContent(TraineeCsv.Make([TraineeCsv.Row(1)]), Encoding.UTF8, "text/csv"));
        using var form = new MultipartFormDataContent { { new StringContent(TraineeCsv.Make([TraineeCsv.Row(2)]), Encoding.UTF8, "text/csv"), "file", sent } };
        var multipart = await Srs.PostAsync("/api/v2026.1/trainee-uploads", form);

        foreach (var response in new[] { query, multipart })
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var upload = (await response.BodyAsync()).GetProperty("data");
            Assert.Equal(stored ?? "", upload.Text("file_name") ?? "");
            await WorkerRunsAsync();
            var report = await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{upload.Text("upload_id")}/report");
            var disposition = report.Content.Headers.ContentDisposition?.ToString() ?? "";
            Assert.DoesNotContain("..", disposition, StringComparison.Ordinal);
            Assert.DoesNotContain("/", disposition, StringComparison.Ordinal);
            Assert.DoesNotContain("\\", disposition, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_broken_multipart_form_is_a_400_and_a_pending_uploads_report_a_422()
    {
        var broken = new StringContent("--boundary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nno end", Encoding.UTF8);
        broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=boundary");
        var upload = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1)]));

        var response = await Srs.PostAsync("/api/v2026.1/trainee-uploads", broken);
        var report = await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{upload.Text("upload_id")}/report");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The multipart form could not be read: send the CSV as the part named file", (await response.BodyAsync()).GetProperty("errors")[0].GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, report.StatusCode);
    }

    [Fact]
    public async Task A_dry_run_leaves_no_trace_of_the_trainees_it_tried()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        var before = await connection.QuerySingleAsync<(long Outbox, long Trs)>(
            "SELECT (SELECT count(*) FROM trainees.outbox), (SELECT count(*) FROM trainees.trs_requests)");
        await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1), TraineeCsv.Row(2)]));
        var afterUpload = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM trainees.outbox");

        await WorkerRunsAsync();

        var after = await connection.QuerySingleAsync<(long Outbox, long Trs)>(
            "SELECT (SELECT count(*) FROM trainees.outbox), (SELECT count(*) FROM trainees.trs_requests)");
        Assert.Equal((0L, 0L, 0L), (await TraineeCountAsync(), after.Trs - before.Trs, after.Outbox - afterUpload - 1));
    }

    [Fact]
    public async Task A_submit_that_finds_a_row_now_duplicated_makes_no_trainee_at_all()
    {
        var upload = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1), TraineeCsv.Row(2)]));
        var id = upload.Text("upload_id");
        await WorkerRunsAsync();
        Assert.Equal("validated", (await ShowAsync(id)).Text("status"));

        // Between the dry run and the submit, the SRS sends row 2's trainee itself.
        var row2 = TraineeCsv.Row(2);
        await CreateTraineeAsync(TraineeRequests.Valid().With("first_names", row2["first_names"]).With("last_name", row2["last_name"]).With("date_of_birth", row2["date_of_birth"]).With("email", row2["email"]));
        await Srs.PostAsync($"/api/v2026.1/trainee-uploads/{id}/submit", null);
        await WorkerRunsAsync();

        var submitted = await ShowAsync(id);
        var rows = (await (await Srs.GetAsync($"/api/v2026.1/trainee-uploads/{id}/rows")).BodyAsync()).GetProperty("data");
        Assert.Equal(("failed", 2, 1), (submitted.Text("status"), submitted.GetProperty("rows_processed").GetInt32(), submitted.GetProperty("rows_failed").GetInt32()));
        Assert.Equal(("passed", "duplicate"), (rows[0].Text("result"), rows[1].Text("error_type")));
        Assert.Equal(1, await TraineeCountAsync());
    }

    [Fact]
    public async Task An_upload_waiting_to_run_is_run_by_the_next_process_after_a_restart()
    {
        var upload = await UploadedAsync(TraineeCsv.Make([TraineeCsv.Row(1)]));

        await using var restarted = Api.NewProcess();
        var ran = await restarted.Services.GetRequiredService<UploadWorker>().ProcessPendingAsync(CancellationToken.None);

        Assert.Equal(1, ran);
        Assert.Equal("validated", (await ShowAsync(upload.Text("upload_id"))).Text("status"));
    }
}
