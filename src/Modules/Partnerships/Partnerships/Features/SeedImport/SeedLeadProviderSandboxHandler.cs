using Dapper;
using Mediator;
using Npgsql;
using Register.BuildingBlocks;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Outbox;
using Register.Partnerships.Contracts;
using Register.Partnerships.Domain;

namespace Register.Partnerships.Features.SeedImport;

/// <summary>
/// Answers <see cref="SeedLeadProviderSandbox"/>. For each lead provider, in the current cohort: schools with
/// participants who chose it but no partnership yet; partnered schools with provider-led ECTs and mentors training;
/// partnered schools with no participants; a partnership whose participants have all left; school-led-only schools;
/// a second partnership with the school through DfE with another delivery partner; and a school in partnership with
/// it and with another lead provider. Deterministic ids (UUIDv5-style) make it idempotent.
/// </summary>
internal sealed class SeedLeadProviderSandboxHandler(TransactionRunner transactions, OutboxDispatcher outbox, TimeProvider clock) : IRequestHandler<SeedLeadProviderSandbox, IReadOnlyDictionary<string, Guid>>
{
    private static readonly string[] LeadProviders =
    [
        "Ambition Institute", "Best Practice Network", "Capita", "Education Development Trust", "National Institute of Teaching", "Teach First", "UCL Institute of Education",
    ];

    public async ValueTask<IReadOnlyDictionary<string, Guid>> Handle(SeedLeadProviderSandbox request, CancellationToken cancellationToken)
    {
        var ids = await transactions.RunWithoutDispatchAsync(PartnershipsModule.Schema, tx => SeedAsync(tx, cancellationToken), cancellationToken);
        await outbox.DispatchPendingAsync(PartnershipsModule.Schema, cancellationToken);
        return ids;
    }

    private async Task<IReadOnlyDictionary<string, Guid>> SeedAsync(NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        var now = clock.UtcNowForDatabase();
        var today = clock.TodayInLondon();
        var current = today.Month >= 6 ? today.Year : today.Year - 1;
        var connection = tx.Connection!;
        Task Run(string sql, object parameters) => connection.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: cancellationToken));

        for (var year = current - 4; year <= current + 1; year++)
        {
            await Run(
                "INSERT INTO partnerships.cohorts (year, started_on, finished_on, enabled) VALUES (@year, @start, @finish, @enabled) ON CONFLICT DO NOTHING",
                new { year, start = new DateOnly(year, 6, 1), finish = new DateOnly(year + 1, 5, 31), enabled = year >= current - 2 });
        }

        var ids = new Dictionary<string, Guid>();
        var newSchools = new List<Guid>();
        var contracts = new Dictionary<string, Guid>();
        var deliveryPartners = new Guid[10];
        for (var d = 0; d < 10; d++)
        {
            deliveryPartners[d] = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
                """
                INSERT INTO partnerships.delivery_partners (id, name, created_at, api_updated_at) VALUES (@id, @name, @now, @now)
                ON CONFLICT ((lower(name))) DO UPDATE SET name = excluded.name RETURNING id
                """,
                new { id = Id($"dp{d}"), name = $"Sandbox Delivery Partner {d + 1}", now }, tx, cancellationToken: cancellationToken));
        }

        for (var l = 0; l < LeadProviders.Length; l++)
        {
            // A lead provider added by hand under the same name is used as it is.
            var lp = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
                """
                INSERT INTO partnerships.lead_providers (id, name, created_at) VALUES (@id, @name, @now)
                ON CONFLICT ((lower(name))) DO UPDATE SET name = excluded.name RETURNING id
                """,
                new { id = Id($"lp{l}"), name = LeadProviders[l], now }, tx, cancellationToken: cancellationToken));
            ids[LeadProviders[l]] = lp;
            foreach (var year in new[] { current - 1, current })
            {
                var lpc = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
                    """
                    INSERT INTO partnerships.lead_provider_cohorts (id, lead_provider_id, cohort_year) VALUES (@id, @lp, @year)
                    ON CONFLICT (lead_provider_id, cohort_year) DO UPDATE SET cohort_year = excluded.cohort_year RETURNING id
                    """,
                    new { id = Id($"lpc{l}-{year}"), lp, year }, tx, cancellationToken: cancellationToken));
                foreach (var d in new[] { 0, 1, 2, 3 + l })
                {
                    contracts[$"{l}-{year}-{d}"] = await connection.ExecuteScalarAsync<Guid>(new CommandDefinition(
                        """
                        INSERT INTO partnerships.lead_provider_delivery_partners (id, lead_provider_cohort_id, delivery_partner_id, created_at) VALUES (@id, @lpc, @dp, @now)
                        ON CONFLICT (lead_provider_cohort_id, delivery_partner_id) DO UPDATE SET created_at = partnerships.lead_provider_delivery_partners.created_at RETURNING id
                        """,
                        new { id = Id($"lpdp{l}-{year}-{d}"), lpc, dp = deliveryPartners[d], now }, tx, cancellationToken: cancellationToken));
                }
            }

        }

        for (var l = 0; l < LeadProviders.Length; l++)
        {
            var lp = ids[LeadProviders[l]];

            // Scenario schools for this lead provider, s = 0..7.
            string[] scenarios = ["eoi-only", "partnered-training", "partnered-empty", "participants-left", "school-led", "multi-dp", "shared", "unpartnered-empty"];
            for (var s = 0; s < scenarios.Length; s++)
            {
                var school = Id($"school{l}-{s}");
                var added = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                    """
                    INSERT INTO partnerships.schools (id, urn, name, gias_status, type_name, induction_tutor_name, induction_tutor_email, primary_contact_email, postcode, created_at, updated_at)
                    VALUES (@school, @urn, @name, 'open', 'Community school', @tutor, @email, @office, @postcode, @now, @now) ON CONFLICT DO NOTHING RETURNING id
                    """,
                    new
                    {
                        school,
                        urn = $"{700000 + (l * 10) + s}",
                        name = $"Sandbox School {l + 1}-{s + 1} ({scenarios[s]})",
                        tutor = $"Tutor {l}-{s}",
                        email = $"tutor{l}{s}@school.example",
                        office = $"office{l}{s}@school.example",
                        postcode = $"LS{l + 1} {s + 1}AB",
                        now,
                    }, tx, cancellationToken: cancellationToken));
                if (added is { } addedSchool)
                {
                    newSchools.Add(addedSchool);
                }

                var partnered = scenarios[s] is "partnered-training" or "partnered-empty" or "participants-left" or "multi-dp" or "shared";
                var partnership = Id($"sp{l}-{s}");
                if (partnered)
                {
                    await Run(
                        """
                        INSERT INTO partnerships.school_partnerships (id, school_id, lead_provider_delivery_partner_id, lead_provider_id, cohort_year, source, created_at, api_updated_at)
                        VALUES (@partnership, @school, @lpdp, @lp, @current, 'lead_provider', @now, @now) ON CONFLICT DO NOTHING
                        """,
                        new { partnership, school, lpdp = contracts[$"{l}-{current}-0"], lp, current, now });
                }

                if (scenarios[s] == "multi-dp")
                {
                    await Run(
                        """
                        INSERT INTO partnerships.school_partnerships (id, school_id, lead_provider_delivery_partner_id, lead_provider_id, cohort_year, source, created_at, api_updated_at)
                        VALUES (@id, @school, @lpdp, @lp, @current, 'support', @now, @now) ON CONFLICT DO NOTHING
                        """,
                        new { id = Id($"sp{l}-{s}-dfe"), school, lpdp = contracts[$"{l}-{current}-1"], lp, current, now });
                }

                if (scenarios[s] == "shared")
                {
                    var other = (l + 1) % LeadProviders.Length;
                    await Run(
                        """
                        INSERT INTO partnerships.school_partnerships (id, school_id, lead_provider_delivery_partner_id, lead_provider_id, cohort_year, source, created_at, api_updated_at)
                        VALUES (@id, @school, @lpdp, @other, @current, 'lead_provider', @now, @now) ON CONFLICT DO NOTHING
                        """,
                        new { id = Id($"sp{l}-{s}-other"), school, lpdp = contracts[$"{other}-{current}-2"], other = ids[LeadProviders[other]], current, now });
                }

                var participants = scenarios[s] switch
                {
                    "eoi-only" => new[] { ("ect", "provider_led", (DateOnly?)null) },
                    "partnered-training" or "shared" or "multi-dp" => [("ect", "provider_led", null), ("mentor", "provider_led", null)],
                    "participants-left" => [("ect", "provider_led", today.AddDays(-30))],
                    "school-led" => [("ect", "school_led", null)],
                    _ => [],
                };
                for (var p = 0; p < participants.Length; p++)
                {
                    var (role, programme, finished) = participants[p];
                    await Run(
                        """
                        INSERT INTO partnerships.training_periods (id, participant_id, role, school_id, cohort_year, training_programme,
                            expression_of_interest_lead_provider_id, school_partnership_id, started_on, finished_on, created_at, updated_at)
                        VALUES (@id, @participant, @role, @school, @current, @programme, @eoi, @partnership, @started, @finished, @now, @now) ON CONFLICT DO NOTHING
                        """,
                        new
                        {
                            id = Id($"tp{l}-{s}-{p}"),
                            participant = Id($"participant{l}-{s}-{p}"),
                            role,
                            school,
                            current,
                            programme,
                            eoi = programme == "provider_led" ? lp : (Guid?)null,
                            partnership = partnered && programme == "provider_led" ? partnership : (Guid?)null,
                            started = today.AddDays(-60),
                            finished,
                            now,
                        });
                }
            }
        }

        await SchoolChanges.EnqueueAsync(tx, newSchools, now, cancellationToken);
        return ids;
    }

    /// <summary>A stable id for a sandbox record, so seeding twice changes nothing.</summary>
    private static Guid Id(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("register-sandbox:" + name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
