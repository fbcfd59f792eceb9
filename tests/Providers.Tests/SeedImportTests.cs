using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Register.Providers.Contracts;
using Register.TestKit;

namespace Register.Providers.Tests;

/// <summary>The seed import, sent as the Host's <c>import-seed-data</c> verb sends it, and checked through the support API.</summary>
[Collection(ProvidersCollection.Name)]
public sealed class SeedImportTests(ProvidersFixture fixture) : ApiTest<ProvidersFixture>(fixture), IDisposable
{
    private const string Header =
        "provider_import_notes,provider__operating_name,provider__legal_name,provider__ukprn,provider__urn,provider__code,provider__accreditation_status," +
        "accreditation__number,accreditation__start_date,accreditation__end_date,provider__provider_type,address__address_line_1,address__address_line_2," +
        "address__address_line_3,address__town_or_city,address__county,address__postcode,address__latitude,address__longitude,address__note," +
        "provider__academic_years_active,provider__academic_year_code,address__uprn,row_type,address__found";

    private readonly string _directory = Directory.CreateTempSubdirectory("register-seed-").FullName;

    private static readonly string[] Rows =
    [
        // An accredited HEI with its accreditation and a found address.
        ",University of Seeds,Seeds Corp,10000001,,S01,accredited,1234,2019-08-01T00:00:00Z,,hei,1 Campus Road,,,Leeds,,ls2 9jt,53.806,-1.555,,\"2026,2025,2024\",2026,123,original,true",
        // A SCITT marked unaccredited: a school, as the reference coerces it. Its UKPRN was not found.
        ",Valley SCITT,,not found,123456,S02,unaccredited,,,,scitt,2 Valley Road,,,York,,YO1 7HH,,,,\"2025,2024\",2025,,original,",
        // A school whose URN is missing: saved, but flagged.
        ",Hill School,,10000003,,S03,unaccredited,,,,school,3 Hill Road,,,Hull,,HU1 1AA,,,,\"2022,2021,2019\",2022,,original,address_line_1 has issues",
        // No code: this row cannot be imported at all.
        ",Codeless College,,10000004,,,unaccredited,,,,other,,,,,,,,,,2025,2025,,original,",
    ];

    [Fact]
    public async Task Imports_upsert_by_code_flag_issues_and_change_nothing_the_second_time()
    {
        var report = await ImportAsync(Rows);

        Assert.Equal((4, 3, 0, 1, 2), (report.ProviderRows, report.ProvidersCreated, report.ProvidersUnchanged, report.ProviderRowsFailed, report.ProvidersWithIssues));
        Assert.Contains("providers line 5: provider__code is blank, so the row cannot be matched", report.Failures);

        var support = await Api.SupportAsync();
        var providers = (await (await support.GetAsync("/support/providers")).BodyAsync()).GetProperty("data").EnumerateArray().ToDictionary(p => p.Text("code"));
        var hei = (await (await support.GetAsync($"/support/providers/{providers["S01"].Id()}")).BodyAsync()).GetProperty("data");
        Assert.Equal(("accredited", "1234", "LS2 9JT", false), (hei.Text("accreditation_status"), hei.GetProperty("accreditations")[0].Text("number"), hei.GetProperty("addresses")[0].Text("postcode"), hei.GetProperty("seed_data_with_issues").GetBoolean()));
        Assert.Equal("2024-08-01", hei.Text("onboarded_on"));

        var scitt = (await (await support.GetAsync($"/support/providers/{providers["S02"].Id()}")).BodyAsync()).GetProperty("data");
        Assert.Equal(("school", "00000000", true), (scitt.Text("provider_type"), scitt.Text("ukprn"), scitt.GetProperty("seed_data_with_issues").GetBoolean()));
        Assert.Empty(scitt.GetProperty("addresses").EnumerateArray());

        var school = providers["S03"];
        Assert.True(school.GetProperty("seed_data_with_issues").GetBoolean());
        Assert.Equal("[2022,2021,2019]", school.GetProperty("active_academic_years").GetRawText());
        Assert.Equal(2, school.GetProperty("inactive_periods").GetArrayLength());

        var activityBefore = await ActivityCountAsync(support);
        var again = await ImportAsync(Rows);
        Assert.Equal((0, 0, 3), (again.ProvidersCreated, again.ProvidersUpdated, again.ProvidersUnchanged));
        Assert.Equal(activityBefore, await ActivityCountAsync(support));
        var afterAgain = (await (await support.GetAsync($"/support/providers/{providers["S01"].Id()}")).BodyAsync()).GetProperty("data");
        Assert.Single(afterAgain.GetProperty("accreditations").EnumerateArray());
        Assert.Single(afterAgain.GetProperty("addresses").EnumerateArray());
        Assert.Equal(hei.Text("updated_at"), afterAgain.Text("updated_at"));
    }

    [Fact]
    public async Task A_changed_row_updates_the_provider_and_logs_what_changed()
    {
        await ImportAsync(Rows);
        var renamed = Rows[0].Replace("University of Seeds", "Seeds University", StringComparison.Ordinal);

        var report = await ImportAsync([renamed]);

        Assert.Equal(1, report.ProvidersUpdated);
        var support = await Api.SupportAsync();
        var item = (await support.ItemsAsync())
            .First(i => i.Text("record_type") == "provider" && i.Text("action") == "updated");
        Assert.Equal("Seed data import", item.GetProperty("actor").Text("name"));
        Assert.Contains(item.GetProperty("changes").EnumerateArray(), c => c.Text("field") == "operating_name" && c.Text("new_value") == "Seeds University");
    }

    [Fact]
    public async Task Odd_values_are_flagged_and_the_import_goes_on()
    {
        var report = await ImportAsync(
        [
            ",Odd Status College,,10000009,,S09,pending,,,,other,,,,,,,,,,\"2025,0,9999\",2025,,original,",
            Rows[0],
        ]);

        Assert.Equal((2, 2, 0, 1), (report.ProviderRows, report.ProvidersCreated, report.ProviderRowsFailed, report.ProvidersWithIssues));
        var support = await Api.SupportAsync();
        var odd = (await (await support.GetAsync("/support/providers?search=odd")).BodyAsync()).GetProperty("data")[0];
        Assert.Equal(("unaccredited", true), (odd.Text("accreditation_status"), odd.GetProperty("seed_data_with_issues").GetBoolean()));
    }

    [Fact]
    public async Task A_row_that_fails_in_the_database_rolls_back_alone_and_the_rows_around_it_are_imported()
    {
        // Rows share a transaction (a savepoint each): the deleted provider's row, between two others, fails on its own.
        await ImportAsync([Rows[2]]);
        var support = await Api.SupportAsync();
        var hill = (await (await support.GetAsync("/support/providers?search=hill")).BodyAsync()).GetProperty("data")[0];
        await support.DeleteAsync($"/support/providers/{hill.Id()}");

        var report = await ImportAsync([Rows[0], Rows[2].Replace("Hill School", "Hill Academy", StringComparison.Ordinal), Rows[1]]);

        Assert.Equal((3, 2, 1), (report.ProviderRows, report.ProvidersCreated, report.ProviderRowsFailed));
        Assert.Contains("providers line 3: S03: the provider with this code was deleted, so the row is not imported", report.Failures);
        var codes = (await (await support.GetAsync("/support/providers")).BodyAsync()).GetProperty("data").EnumerateArray().Select(p => p.Text("code")).ToList();
        Assert.Contains("S01", codes);
        Assert.Contains("S02", codes);
        Assert.DoesNotContain("Hill Academy", (await (await support.GetAsync("/support/activity")).BodyAsync()).GetRawText(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<SeedImportReport> ImportAsync(IEnumerable<string> rows)
    {
        var path = Path.Combine(_directory, "providers.csv");
        await File.WriteAllLinesAsync(path, [Header, .. rows]);
        return await SendAsync(new ImportProviderSeedData(path));
    }

    private async Task<SeedImportReport> SendAsync(ImportProviderSeedData request)
    {
        await using var scope = Api.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(request);
    }

    private static async Task<int> ActivityCountAsync(HttpClient support) =>
        (await (await support.GetAsync("/support/activity")).BodyAsync()).GetProperty("pagination").GetProperty("total_count").GetInt32();
}
