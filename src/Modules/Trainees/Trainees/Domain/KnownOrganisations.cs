using Dapper;
using Npgsql;
using Register.BuildingBlocks.Http;

namespace Register.Trainees.Domain;

/// <summary>
/// The training partners (providers, by URN or UKPRN) and schools (by URN) a request names, looked up in the module's
/// copies in one query each, before the rules run. A training partner must not be deleted or archived.
/// </summary>
internal sealed class KnownOrganisations
{
    /// <summary>URNs that name no school: placement outside England and Wales, not applicable, no URN, not available.</summary>
    public static IReadOnlyDictionary<string, string> NotApplicableUrns { get; } = new Dictionary<string, string>
    {
        ["900000"] = "Placement outside England and Wales",
        ["900010"] = "Not applicable or not available",
        ["900020"] = "Establishment does not have a URN",
        ["900030"] = "Not available",
    };

    private readonly Dictionary<string, KnownProvider> _partnersByUrn;
    private readonly Dictionary<string, KnownProvider> _partnersByUkprn;
    private readonly Dictionary<string, KnownSchool> _schoolsByUrn;

    private KnownOrganisations(IEnumerable<KnownProvider> partners, IEnumerable<KnownSchool> schools)
    {
        var list = partners.ToList();
        _partnersByUrn = list.Where(p => p.Urn is not null).GroupBy(p => p.Urn!).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Code, StringComparer.Ordinal).First());
        _partnersByUkprn = list.Where(p => p.Ukprn is not null).GroupBy(p => p.Ukprn!).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Code, StringComparer.Ordinal).First());
        _schoolsByUrn = schools.GroupBy(s => s.Urn).ToDictionary(g => g.Key, g => g.First());
    }

    public KnownProvider? PartnerByUrn(string urn) => _partnersByUrn.GetValueOrDefault(urn);

    public KnownProvider? PartnerByUkprn(string ukprn) => _partnersByUkprn.GetValueOrDefault(ukprn);

    public KnownSchool? SchoolByUrn(string? urn) => urn is null ? null : _schoolsByUrn.GetValueOrDefault(urn);

    /// <summary>The partners and schools the drafts name, in two queries however many drafts there are.</summary>
    public static Task<KnownOrganisations> LoadAsync(NpgsqlConnection connection, IReadOnlyCollection<TraineeDraft> drafts, NpgsqlTransaction? tx, CancellationToken ct) =>
        LoadAsync(connection, drafts.Select(d => d.PartnerUrn), drafts.Select(d => d.PartnerUkprn), drafts.SelectMany(d => d.SchoolUrns), tx, ct);

    public static async Task<KnownOrganisations> LoadAsync(
        NpgsqlConnection connection, IEnumerable<string?> partnerUrns, IEnumerable<string?> partnerUkprns, IEnumerable<string?> schoolUrns,
        NpgsqlTransaction? tx, CancellationToken ct)
    {
        // A value with a control character names nothing (and PostgreSQL cannot take U+0000): the text rule refuses it.
        static IEnumerable<string> Searchable(IEnumerable<string?> values) => values.OfType<string>().Where(v => !ControlCharacters.AnyIn(v)).Distinct();
        var urns = Searchable(partnerUrns).ToArray();
        var ukprns = Searchable(partnerUkprns).ToArray();
        var schools = Searchable(schoolUrns).Where(u => !NotApplicableUrns.ContainsKey(u)).ToArray();
        var partners = urns.Length + ukprns.Length == 0
            ? []
            : await connection.QueryAsync<KnownProvider>(new CommandDefinition(
                $"SELECT {KnownProvider.Columns} FROM trainees.providers WHERE (urn = ANY(@urns) OR ukprn = ANY(@ukprns)) AND NOT deleted AND NOT archived",
                new { urns, ukprns }, tx, cancellationToken: ct));
        var knownSchools = schools.Length == 0
            ? []
            : await connection.QueryAsync<KnownSchool>(new CommandDefinition(
                "SELECT id, urn, name, postcode FROM trainees.schools WHERE urn = ANY(@schools)", new { schools }, tx, cancellationToken: ct));
        return new KnownOrganisations(partners, knownSchools);
    }
}
