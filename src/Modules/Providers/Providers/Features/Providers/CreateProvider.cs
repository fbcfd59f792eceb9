using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Security;
using Register.Providers.Domain;

namespace Register.Providers.Features.Providers;

/// <summary>
/// <c>POST /support/providers</c>: a provider, with its accreditation (required when accredited) and its
/// address, in one request. The RoTP Id is generated; the accreditation status then follows the accreditation.
/// </summary>
internal static class CreateProvider
{
    internal sealed record InactivePeriodRequest(DateOnly? StartDate, DateOnly? EndDate, string? Reason)
    {
        /// <summary>The periods as stored, and an error for each one that is null or has no start date.</summary>
        public static (IReadOnlyList<InactivePeriod> Periods, IReadOnlyList<ApiError> Errors) Read(IReadOnlyList<InactivePeriodRequest?> requests)
        {
            var errors = requests.Select((r, i) => r?.StartDate is null ? new ApiError($"inactive_periods[{i}].start_date", "Enter the date the inactive period started") : null)
                .OfType<ApiError>().ToList();
            var periods = requests.Where(r => r?.StartDate is not null).Select(r => new InactivePeriod(r!.StartDate!.Value, r.EndDate, r.Reason)).ToList();
            return (periods, errors);
        }
    }

    internal sealed record AccreditationRequest(string? Number, DateOnly? StartDate, DateOnly? EndDate);

    internal sealed record AddressRequest(
        string? AddressLine1, string? AddressLine2, string? AddressLine3, string? TownOrCity, string? County, string? Postcode,
        decimal? Latitude, decimal? Longitude, string? Uprn)
    {
        public AddressDraft ToDraft() => new AddressDraft(AddressLine1, AddressLine2, AddressLine3, TownOrCity, County, Postcode, Latitude, Longitude, Uprn).Normalised();
    }

    internal sealed record CreateProviderRequest(
        string? OperatingName,
        string? LegalName,
        string? ProviderType,
        string? AccreditationStatus,
        string? Code,
        string? Ukprn,
        string? Urn,
        DateOnly? OnboardedOn,
        DateOnly? FirstActiveOn,
        IReadOnlyList<InactivePeriodRequest?>? InactivePeriods,
        AccreditationRequest? Accreditation,
        AddressRequest? Address);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/providers", HandleAsync)
            .WithName("CreateProvider")
            .WithSummary("Add a provider, with its accreditation and address")
            .WithRequestExample(new CreateProviderRequest(
                "Example University", "The Example University", "hei", "accredited", "1234", "10000001", null, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 1), [],
                new AccreditationRequest("1234", new DateOnly(2026, 9, 1), null),
                new AddressRequest("1 High Street", null, null, "Exampletown", null, "EX1 2MP", null, null, null)))
            .Produces<ProviderEnvelope>(StatusCodes.Status201Created)
            .ProducesValidationErrors();

    private static async Task<IResult> HandleAsync(
        CreateProviderRequest request, HttpContext http, TransactionRunner transactions, TimeProvider clock, CancellationToken ct)
    {
        var (periods, periodErrors) = InactivePeriodRequest.Read(request.InactivePeriods ?? []);
        var draft = new ProviderDraft(
            request.OperatingName, request.LegalName, request.ProviderType, request.AccreditationStatus, request.Code, request.Ukprn, request.Urn,
            request.OnboardedOn, request.FirstActiveOn, periods);
        var accreditation = request.Accreditation is { } a ? new AccreditationDraft(a.Number?.Trim(), a.StartDate, a.EndDate) : null;
        var outcome = await RunAsync(transactions, clock, draft, periodErrors, accreditation, request.Address?.ToDraft(), http.Caller().Actor, ct);
        return outcome.ToApiResult(created => TypedResults.Created($"/support/providers/{created.Id}", new ProviderEnvelope(created)));
    }

    /// <summary>
    /// The provider, its accreditation (required when accredited) and its address, in one transaction; the RoTP Id is
    /// generated and the status follows the accreditation. The pages' "Add provider" journey saves through here too.
    /// </summary>
    public static async Task<Outcome<ProviderResponse>> RunAsync(
        TransactionRunner transactions, TimeProvider clock, ProviderDraft request, IReadOnlyList<ApiError> periodErrors, AccreditationDraft? accreditation,
        AddressDraft? address, Actor actor, CancellationToken ct)
    {
        var draft = request.Normalised();
        var errors = Validation.Errors(ProviderDraftValidator.Instance, draft).Concat(periodErrors).ToList();
        if (draft.AccreditationStatus == ProviderTypes.Accredited && accreditation is null)
        {
            errors.Add(new ApiError("accreditation.number", "Enter an accredited provider number"));
            errors.Add(new ApiError("accreditation.start_date", "Enter accreditation start date"));
        }

        if (accreditation is not null)
        {
            errors.AddRange(Validation.Errors(AccreditationDraftValidator.For(draft.ProviderType), accreditation, "accreditation"));
        }

        if (address is not null)
        {
            errors.AddRange(Validation.Errors(AddressDraftValidator.Instance, address, "address"));
        }

        if (errors.Count > 0)
        {
            return ApiErrors.Unprocessable(errors);
        }

        ProviderResponse? created;
        try
        {
            created = await transactions.RunAsync(ProvidersModule.Schema, async tx =>
            {
                if (await ProviderStore.CodeTakenAsync(tx, draft.Code!, null, ct))
                {
                    return null;
                }

                var now = clock.UtcNowForDatabase();
                var provider = await ProviderStore.InsertAsync(tx, draft, actor, now, ct);
                if (accreditation is not null)
                {
                    await PartStore.InsertAccreditationAsync(tx, provider.Id, accreditation, actor, now, ct);
                    await ProviderStore.SyncAccreditationStatusAsync(tx, provider.Id, clock.TodayInLondon(), now, ct);
                }

                if (address is not null)
                {
                    await PartStore.InsertAddressAsync(tx, provider.Id, address, actor, now, ct);
                }

                var saved = await Provider.FindAsync(tx.Connection!, provider.Id, null, ct);
                return await ProviderResponse.FullAsync(tx.Connection!, saved!, clock, ct, tx);
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "providers_code_key")
        {
            // Another request took the code between our check and our insert.
            created = null;
        }

        return created is null ? ApiErrors.Unprocessable([new ApiError("code", "Enter a unique provider code")]) : created;
    }
}
