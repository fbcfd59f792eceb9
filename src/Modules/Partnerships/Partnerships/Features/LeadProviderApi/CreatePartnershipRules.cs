using System.Globalization;
using Dapper;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// The reference's checks for confirming a partnership (POST) and changing its delivery partner (PUT), with its
/// messages verbatim, its guards (one cohort message at most; one of blank/unknown/ineligible for the school;
/// the duplicate and school-led messages unguarded) and its order: grouped by attribute, in the order each
/// attribute first failed.
/// </summary>
internal static class CreatePartnershipRules
{
    public const string AlreadyInPartnership = "You are already in a confirmed partnership with this school for the entered cohort.";
    public const string AlreadyWithDeliveryPartner =
        "We are unable to process this request. You are already confirmed to be in partnership with the entered delivery partner. Contact the DfE for support.";
    private const string NotWorkingWithYou =
        "The entered delivery partner is not recognised to be working in partnership with you for the given cohort. Contact the DfE for more information.";
    private const string DeliveryPartnerInvalid = "The '#/delivery_partner_id' you have entered is invalid. Check delivery partner details and try again.";

    internal sealed record Checked(IReadOnlyList<ApiError> Errors, Guid SchoolId, Guid ContractId, int CohortYear);

    private sealed record SchoolRow
    {
        public Guid Id { get; init; }

        public bool Eligible { get; init; }
    }

    private sealed record CohortRow
    {
        public int Year { get; init; }

        public DateOnly StartedOn { get; init; }

        public bool Enabled { get; init; }
    }

    public static async Task<Checked> CheckAsync(NpgsqlTransaction tx, Guid leadProviderId, System.Text.Json.JsonElement attributes, DateOnly today, CancellationToken ct)
    {
        var connection = tx.Connection!;
        var cohortText = LeadProviderQuery.Text(attributes, "cohort");
        var schoolText = LeadProviderQuery.Text(attributes, "school_id");
        var deliveryPartnerText = LeadProviderQuery.Text(attributes, "delivery_partner_id");
        var errors = new List<ApiError>();

        CohortRow? cohort = null;
        if (cohortText is not null && int.TryParse(cohortText, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            cohort = await connection.QuerySingleOrDefaultAsync<CohortRow>(new CommandDefinition(
                "SELECT year, started_on, enabled FROM partnerships.cohorts WHERE year = @year", new { year }, tx, cancellationToken: ct));
        }

        var schoolId = Guid.TryParse(schoolText, out var parsedSchool) ? parsedSchool : (Guid?)null;
        var school = schoolId is null ? null : await connection.QuerySingleOrDefaultAsync<SchoolRow>(new CommandDefinition(
            $"SELECT s.id, {SchoolEligibility.Sql} AS eligible FROM partnerships.schools s WHERE s.id = @schoolId", new { schoolId }, tx, cancellationToken: ct));
        var deliveryPartnerId = Guid.TryParse(deliveryPartnerText, out var parsedPartner) ? parsedPartner : (Guid?)null;
        var deliveryPartnerExists = deliveryPartnerId is not null && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM partnerships.delivery_partners WHERE id = @deliveryPartnerId)", new { deliveryPartnerId }, tx, cancellationToken: ct));
        var leadProviderInCohort = cohort is not null && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM partnerships.lead_provider_cohorts WHERE lead_provider_id = @leadProviderId AND cohort_year = @Year)",
            new { leadProviderId, cohort.Year }, tx, cancellationToken: ct));
        var contractId = cohort is null || !deliveryPartnerExists ? null : await ContractAsync(tx, leadProviderId, cohort.Year, deliveryPartnerId!.Value, ct);

        // 1–4: presence.
        if (cohortText is null)
        {
            errors.Add(new ApiError("cohort", "Enter a '#/cohort'."));
        }

        if (schoolText is null)
        {
            errors.Add(new ApiError("school_id", "Enter a '#/school_id'."));
        }

        if (deliveryPartnerText is null)
        {
            errors.Add(new ApiError("delivery_partner_id", "Enter a '#/delivery_partner_id'."));
        }

        // 5–7: the cohort, first failure only.
        if (cohortText is not null)
        {
            if (cohort is null)
            {
                errors.Add(new ApiError("cohort", "The '#/cohort' you have entered is invalid. Check cohort details and try again."));
            }
            else if (cohort.StartedOn > today)
            {
                errors.Add(new ApiError("cohort", "You cannot create a partnership for a future cohort."));
            }
            else if (!cohort.Enabled)
            {
                errors.Add(new ApiError("cohort", "You cannot create this partnership as the cohort is closed."));
            }
        }

        // 8–9: the school.
        if (schoolText is not null)
        {
            if (school is null)
            {
                errors.Add(new ApiError("school_id",
                    "The '#/school_id' you have entered is invalid. Check school details and try again. Contact the DfE for support if you are unable to find the '#/school_id'."));
            }
            else if (!school.Eligible)
            {
                errors.Add(new ApiError("school_id", "The school you have entered is currently ineligible for DfE funding. Contact the school for more information."));
            }
        }

        // 10–11: the delivery partner, and the lead provider's contract with it in the cohort.
        if (deliveryPartnerText is not null && !deliveryPartnerExists)
        {
            errors.Add(new ApiError("delivery_partner_id", DeliveryPartnerInvalid));
        }
        else if (deliveryPartnerExists && contractId is null)
        {
            errors.Add(new ApiError("delivery_partner_id", NotWorkingWithYou));
        }

        // 12: already in partnership with the school in the cohort (with any delivery partner).
        if (school is not null && leadProviderInCohort && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM partnerships.school_partnerships WHERE school_id = @Id AND lead_provider_id = @leadProviderId AND cohort_year = @Year)",
                new { school.Id, leadProviderId, cohort!.Year }, tx, cancellationToken: ct)))
        {
            errors.Add(new ApiError("school_id", AlreadyInPartnership));
        }

        // 13: the school has only school-led participants in the cohort.
        if (school is not null && cohort is not null && await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                $"SELECT {SchoolCohortFacts.InductionProgrammeChoice} FROM partnerships.schools s WHERE s.id = @Id",
                new { school.Id, cohort = cohort.Year }, tx, cancellationToken: ct)) == "school_led")
        {
            errors.Add(new ApiError("school_id", "This school has only registered school-led participants. Contact the school for more information."));
        }

        var grouped = errors.GroupBy(e => e.Field).SelectMany(g => g.DistinctBy(e => e.Message)).ToList();
        return new Checked(grouped, school?.Id ?? Guid.Empty, contractId ?? Guid.Empty, cohort?.Year ?? 0);
    }

    /// <summary>PUT's checks, at most one message, all titled <c>delivery_partner_id</c>; on success the new contract.</summary>
    public static async Task<(Guid ContractId, ApiError? Error)> CheckNewDeliveryPartnerAsync(
        NpgsqlTransaction tx, Guid leadProviderId, Guid schoolId, int cohortYear, string? deliveryPartnerText, CancellationToken ct)
    {
        if (deliveryPartnerText is null)
        {
            return (Guid.Empty, new ApiError("delivery_partner_id", "Enter a '#/delivery_partner_id'."));
        }

        var deliveryPartnerId = Guid.TryParse(deliveryPartnerText, out var parsed) ? parsed : (Guid?)null;
        if (deliveryPartnerId is null || !await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM partnerships.delivery_partners WHERE id = @deliveryPartnerId)", new { deliveryPartnerId }, tx, cancellationToken: ct)))
        {
            return (Guid.Empty, new ApiError("delivery_partner_id", DeliveryPartnerInvalid));
        }

        if (await ContractAsync(tx, leadProviderId, cohortYear, deliveryPartnerId.Value, ct) is not { } contractId)
        {
            return (Guid.Empty, new ApiError("delivery_partner_id", NotWorkingWithYou));
        }

        // Including the partnership itself: a PUT with the current delivery partner is a 422, as in the reference.
        if (await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM partnerships.school_partnerships WHERE school_id = @schoolId AND lead_provider_delivery_partner_id = @contractId)",
                new { schoolId, contractId }, tx, cancellationToken: ct)))
        {
            return (Guid.Empty, new ApiError("delivery_partner_id", AlreadyWithDeliveryPartner));
        }

        return (contractId, null);
    }

    private static Task<Guid?> ContractAsync(NpgsqlTransaction tx, Guid leadProviderId, int cohortYear, Guid deliveryPartnerId, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            """
            SELECT lpdp.id FROM partnerships.lead_provider_delivery_partners lpdp
            JOIN partnerships.lead_provider_cohorts lpc ON lpc.id = lpdp.lead_provider_cohort_id
            WHERE lpc.lead_provider_id = @leadProviderId AND lpc.cohort_year = @cohortYear AND lpdp.delivery_partner_id = @deliveryPartnerId
            """,
            new { leadProviderId, cohortYear, deliveryPartnerId }, tx, cancellationToken: ct));
}
