using Dapper;
using Npgsql;
using Register.BuildingBlocks.Contracts;
using Register.BuildingBlocks.Outbox;

namespace Register.Providers.Domain;

/// <summary>
/// The writes every provider slice shares, each inside the caller's transaction and each putting its
/// notification in the outbox: insert (with a fresh RoTP Id), update, archive/restore/delete, and the
/// accreditation-status sync.
/// </summary>
internal static class ProviderStore
{
    public static Task<bool> CodeTakenAsync(NpgsqlTransaction tx, string code, Guid? except, CancellationToken ct) =>
        CodeTakenAsync(tx.Connection!, code, except, tx, ct);

    /// <summary>Whether another provider (deleted ones too: codes are never reused) has the code.</summary>
    public static async Task<bool> CodeTakenAsync(NpgsqlConnection connection, string code, Guid? except, NpgsqlTransaction? tx, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM providers.providers WHERE upper(code) = upper(@code) AND id IS DISTINCT FROM @except)",
            new { code, except }, tx, cancellationToken: ct));

    public static async Task<Provider> InsertAsync(
        NpgsqlTransaction tx, ProviderDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct, string seedDataNotes = "{}", bool seedDataWithIssues = false)
    {
        var id = Guid.CreateVersion7(now);
        var rotpId = await NewRotpIdAsync(tx, draft.OperatingName!, draft.OnboardedOn!.Value, ct);
        var provider = await tx.Connection!.QuerySingleAsync<Provider>(new CommandDefinition(
            $"""
            INSERT INTO providers.providers
                (id, rotp_id, operating_name, legal_name, provider_type, accreditation_status, code, ukprn, urn, onboarded_on, first_active_on,
                 inactive_periods, seed_data_notes, seed_data_with_issues, search_text, created_at, updated_at)
            VALUES (@id, @rotpId, @OperatingName, @LegalName, @ProviderType, @AccreditationStatus, @Code, @Ukprn, @Urn, @OnboardedOn, @FirstActiveOn,
                    @inactive::jsonb, @seedDataNotes::jsonb, @seedDataWithIssues, @search, @now, @now)
            RETURNING {Provider.Columns}
            """,
            Parameters(draft, new { id, rotpId, seedDataNotes, seedDataWithIssues, now }), tx, cancellationToken: ct));
        await Outbox.EnqueueAsync(tx, ProvidersModule.Schema, provider.Changed(RecordActions.Created, actor, now, before: null), ct);
        return provider;
    }

    public static async Task<Provider> UpdateAsync(
        NpgsqlTransaction tx, Provider before, ProviderDraft draft, Actor actor, DateTimeOffset now, CancellationToken ct, string? seedDataNotes = null, bool? seedDataWithIssues = null)
    {
        var after = await tx.Connection!.QuerySingleAsync<Provider>(new CommandDefinition(
            $"""
            UPDATE providers.providers SET
                operating_name = @OperatingName, legal_name = @LegalName, provider_type = @ProviderType, accreditation_status = @AccreditationStatus,
                code = @Code, ukprn = @Ukprn, urn = @Urn, onboarded_on = @OnboardedOn, first_active_on = @FirstActiveOn,
                inactive_periods = @inactive::jsonb, search_text = @search,
                seed_data_notes = coalesce(@seedDataNotes::jsonb, seed_data_notes),
                seed_data_with_issues = coalesce(@seedDataWithIssues, seed_data_with_issues),
                updated_at = CASE WHEN (operating_name, legal_name, provider_type, accreditation_status, code, ukprn, urn, onboarded_on, first_active_on, inactive_periods)
                                       IS DISTINCT FROM (@OperatingName, @LegalName, @ProviderType, @AccreditationStatus, @Code, @Ukprn, @Urn, @OnboardedOn, @FirstActiveOn, @inactive::jsonb)
                                  THEN @now ELSE updated_at END
            WHERE id = @id
            RETURNING {Provider.Columns}
            """,
            Parameters(draft, new { id = before.Id, now, seedDataNotes, seedDataWithIssues }), tx, cancellationToken: ct));
        if (after.UpdatedAt != before.UpdatedAt)
        {
            await Outbox.EnqueueAsync(tx, ProvidersModule.Schema, after.Changed(RecordActions.Updated, actor, now, before), ct);
        }

        return after;
    }

    /// <summary>Archives (sets archived_at), restores (clears it) or soft-deletes a provider.</summary>
    public static async Task<Provider> SetStateAsync(NpgsqlTransaction tx, Provider before, string action, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var set = action switch
        {
            RecordActions.Archived => "archived_at = @now",
            RecordActions.Restored => "archived_at = NULL",
            RecordActions.Deleted => "deleted_at = @now",
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
        };
        var after = await tx.Connection!.QuerySingleAsync<Provider>(new CommandDefinition(
            $"UPDATE providers.providers SET {set}, updated_at = @now WHERE id = @id RETURNING {Provider.Columns}",
            new { id = before.Id, now }, tx, cancellationToken: ct));
        await Outbox.EnqueueAsync(tx, ProvidersModule.Schema, after.Changed(action, actor, now, before), ct);
        return after;
    }

    /// <summary>
    /// Makes the provider's accreditation status follow its accreditations: accredited while one is current
    /// (started, and not ended before <paramref name="today"/>). A school that becomes accredited becomes a
    /// SCITT and a SCITT that stops being accredited becomes a school. Unlike the reference, a change bumps
    /// updated_at and is logged as the system's.
    /// </summary>
    public static async Task<bool> SyncAccreditationStatusAsync(NpgsqlTransaction tx, Guid providerId, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var before = await Provider.FindAsync(tx.Connection!, providerId, tx, ct);
        if (before is null)
        {
            return false;
        }

        var (type, status) = FollowAccreditations(before.ProviderType, await HasCurrentAccreditationAsync(tx, providerId, today, ct));
        if (status == before.AccreditationStatus && type == before.ProviderType)
        {
            return false;
        }

        var after = await tx.Connection!.QuerySingleAsync<Provider>(new CommandDefinition(
            $"UPDATE providers.providers SET accreditation_status = @status, provider_type = @type, updated_at = @now WHERE id = @providerId RETURNING {Provider.Columns}",
            new { providerId, status, type, now }, tx, cancellationToken: ct));
        await Outbox.EnqueueAsync(tx, ProvidersModule.Schema, after.Changed(RecordActions.Updated, Actor.System, now, before), ct);
        return true;
    }

    /// <summary>Whether the provider has an accreditation that has started and not ended by <paramref name="today"/>.</summary>
    public static Task<bool> HasCurrentAccreditationAsync(NpgsqlTransaction tx, Guid providerId, DateOnly today, CancellationToken ct) =>
        tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            SELECT EXISTS (SELECT 1 FROM providers.accreditations
                           WHERE provider_id = @providerId AND deleted_at IS NULL AND start_date <= @today AND (end_date IS NULL OR end_date >= @today))
            """,
            new { providerId, today }, tx, cancellationToken: ct));

    /// <summary>The type and status a provider has when its status follows its accreditations.</summary>
    public static (string Type, string Status) FollowAccreditations(string type, bool accredited)
    {
        var status = accredited ? ProviderTypes.Accredited : ProviderTypes.Unaccredited;
        return (type, status) switch
        {
            (ProviderTypes.School, ProviderTypes.Accredited) => (ProviderTypes.Scitt, status),
            (ProviderTypes.Scitt, ProviderTypes.Unaccredited) => (ProviderTypes.School, status),
            _ => (type, status),
        };
    }

    private static async Task<string> NewRotpIdAsync(NpgsqlTransaction tx, string operatingName, DateOnly onboardedOn, CancellationToken ct)
    {
        for (var attempt = 0; attempt < RotpId.MaxAttempts; attempt++)
        {
            var candidate = RotpId.Generate(operatingName, onboardedOn, attempt);
            var taken = await tx.Connection!.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM providers.providers WHERE upper(rotp_id) = upper(@candidate))", new { candidate }, tx, cancellationToken: ct));
            if (!taken)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No free RoTP Id for '{operatingName}' onboarded on {onboardedOn:yyyy-MM-dd} after {RotpId.MaxAttempts} attempts.");
    }

    private static DynamicParameters Parameters(ProviderDraft draft, object extra)
    {
        var parameters = new DynamicParameters(extra);
        parameters.AddDynamicParams(new
        {
            draft.OperatingName,
            draft.LegalName,
            draft.ProviderType,
            draft.AccreditationStatus,
            draft.Code,
            draft.Ukprn,
            draft.Urn,
            draft.OnboardedOn,
            draft.FirstActiveOn,
            inactive = InactivePeriod.ToJson(draft.InactivePeriods),
            search = SearchText.For(draft.OperatingName!, draft.LegalName, draft.Code!, draft.Ukprn!, draft.Urn),
        });
        return parameters;
    }
}
