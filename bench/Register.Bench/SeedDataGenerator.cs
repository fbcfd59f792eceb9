using System.Globalization;
using System.Text;

namespace Register.Bench;

/// <summary>
/// Writes a synthetic copy of the reference's seed files (spec/providers.md §5), with its shape and its data
/// quality problems: about four in five providers are schools, a quarter of UKPRNs are blank or "not found",
/// many URNs are blank and a few malformed, a third of addresses were not found, some SCITTs are marked
/// unaccredited, some providers stopped being active years ago, and a few partnership rows name providers
/// that do not exist. Deterministic for a given seed.
/// </summary>
internal static class SeedDataGenerator
{
    private static readonly string[] Towns =
    [
        "Leeds", "Bradford", "York", "Sheffield", "Hull", "Durham", "Newcastle", "Carlisle", "Preston", "Bolton", "Oldham", "Derby", "Leicester",
        "Norwich", "Ipswich", "Cambridge", "Oxford", "Reading", "Slough", "Brighton", "Exeter", "Plymouth", "Truro", "Bristol", "Bath", "Swindon",
        "Gloucester", "Worcester", "Hereford", "Coventry", "Stoke", "Lincoln", "Grimsby", "Wakefield", "Halifax", "Luton", "Watford", "Croydon",
    ];

    private static readonly string[] Saints = ["Mary", "John", "Peter", "Paul", "Michael", "Anne", "George", "Andrew", "Thomas", "Margaret", "Luke"];

    private static readonly string[] Outward = ["LS1", "BD7", "YO1", "S10", "HU6", "DH1", "NE1", "CA1", "PR1", "BL1", "DE1", "LE1", "NR4", "CB2", "OX1", "RG1", "BN1", "EX4", "PL4", "BS8", "SW1A", "EC1A", "M1"];

    private const string ProviderHeader =
        "provider_import_notes,provider__operating_name,provider__legal_name,provider__ukprn,provider__urn,provider__code,provider__accreditation_status," +
        "accreditation__number,accreditation__start_date,accreditation__end_date,provider__provider_type,address__address_line_1,address__address_line_2," +
        "address__address_line_3,address__town_or_city,address__county,address__postcode,address__latitude,address__longitude,address__note," +
        "provider__academic_years_active,provider__academic_year_code,address__uprn,row_type,address__found";

    private const string PartnershipHeader =
        "partnership__accredited_provider_name,partnership__accredited_provider_provider_code,partnership__training_partner_name," +
        "partnership__training_partner_provider_code,partnership__academic_year_code,partnership__academic_years_active,partnership__start_date,partnership__end_date";

    public static (int Providers, int Partnerships) Write(string directory, int providerCount, int partnershipCount, int seed)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var codes = Codes(random, providerCount + 10);
        var providers = new List<(string Code, string Name, string Type, bool Accredited)>();
        var csv = new StringBuilder().AppendLine(ProviderHeader);
        var names = new HashSet<string>();

        for (var i = 0; i < providerCount; i++)
        {
            var roll = random.NextDouble();
            var type = roll < 0.045 ? "hei" : roll < 0.183 ? "scitt" : "school";
            var town = Pick(random, Towns);
            var name = type switch
            {
                "hei" => random.NextDouble() < 0.5 ? $"University of {town}" : $"{town} {Pick(random, ["Metropolitan University", "College", "Institute of Education"])}",
                "scitt" => $"{town} {Pick(random, ["SCITT", "Teaching School Alliance", "Schools Partnership SCITT", "Teacher Training Partnership"])}",
                _ => random.NextDouble() < 0.3
                    ? $"St {Pick(random, Saints)}'s {Pick(random, ["C of E", "CofE", "Catholic", "COE"])} {Pick(random, ["Primary School", "Academy", "High School"])}"
                    : $"{town} {Pick(random, ["Primary School", "Academy", "High School", "Community School", "Grammar School", "Infant School"])}",
            };
            var unique = name;
            for (var n = 2; !names.Add(unique); n++)
            {
                unique = $"{name} ({n})";
            }

            var accredited = type == "hei" ? random.NextDouble() < 0.6 : type == "scitt" && random.NextDouble() < 0.45;
            var code = codes[i];
            providers.Add((code, unique, type, accredited));

            var ukprn = random.NextDouble() switch { < 0.13 => "", < 0.26 => "not found", _ => "1" + random.Next(0, 9_999_999).ToString("D7", CultureInfo.InvariantCulture) };
            var urn = type == "hei" ? "" : random.NextDouble() switch
            {
                < 0.35 => "",
                < 0.37 => random.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture),
                < 0.372 => "12345A",
                _ => random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture),
            };
            var number = accredited ? (type == "hei" ? "1" : "5") + random.Next(0, 999).ToString("D3", CultureInfo.InvariantCulture) : "";
            var start = accredited ? Pick(random, ["2019-08-01T00:00:00Z", "2022-08-01T00:00:00Z", "2024-08-01T00:00:00Z", "not a date"]) : "";
            var end = accredited && random.NextDouble() < 0.1 ? "2024-07-31T00:00:00Z" : "";
            var found = random.NextDouble() switch { < 0.36 => "", < 0.37 => "address_line_1 has issues", _ => "true" };
            const string inward = "ABDEFGHJLNPQRSTUWXYZ";
            var postcode = random.NextDouble() < 0.01
                ? "NOT KNOWN"
                : $"{Pick(random, Outward)} {random.Next(1, 9)}{inward[random.Next(inward.Length)]}{inward[random.Next(inward.Length)]}";
            var years = random.NextDouble() switch
            {
                < 0.55 => "2026,2025,2024",
                < 0.70 => "2025,2024",
                < 0.85 => "2022,2021,2020,2019",
                < 0.95 => "2026,2025,2023,2022",
                _ => "",
            };

            Row(csv, "", unique, random.NextDouble() < 0.5 ? unique + " Trust" : "", ukprn, urn, code, accredited ? "accredited" : "unaccredited", number, start, end,
                type, $"{random.Next(1, 200)} {Pick(random, ["High Street", "Church Lane", "Station Road", "Park Avenue", "School Road"])}", "", "", town, "", postcode,
                (50 + random.NextDouble() * 5).ToString("0.000000", CultureInfo.InvariantCulture), (-3 + random.NextDouble() * 3).ToString("0.000000", CultureInfo.InvariantCulture),
                "", years, years.Split(',')[0], random.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture), "original", found);
        }

        File.WriteAllText(Path.Combine(directory, "providers.csv"), csv.ToString());

        var accreditedProviders = providers.Where(p => p.Accredited).ToList();
        var partners = providers.Where(p => !p.Accredited).ToList();
        var partnerships = new StringBuilder().AppendLine(PartnershipHeader);
        for (var i = 0; i < partnershipCount; i++)
        {
            var accredited = accreditedProviders[random.Next(accreditedProviders.Count)];
            var partner = partners[random.Next(partners.Count)];
            var missing = random.NextDouble() < 0.01;
            var openEnded = random.NextDouble() < 0.41;
            Row(partnerships, accredited.Name, accredited.Code, partner.Name, missing ? codes[codes.Count - 1 - random.Next(0, 9)] : partner.Code, "2025", "2025,2024",
                random.NextDouble() < 0.8 ? "2019-08-01T00:00:00Z" : "2024-08-01T00:00:00Z", openEnded ? "" : "2026-07-31T00:00:00Z");
        }

        File.WriteAllText(Path.Combine(directory, "provider-partnerships.csv"), partnerships.ToString());
        return (providerCount, partnershipCount);
    }

    private static List<string> Codes(Random random, int count)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        return Enumerable.Range(0, alphabet.Length * alphabet.Length * alphabet.Length)
            .Select(i => $"{alphabet[i / 1296]}{alphabet[i / 36 % 36]}{alphabet[i % 36]}")
            .OrderBy(_ => random.Next())
            .Take(count)
            .ToList();
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static void Row(StringBuilder csv, params string[] values) =>
        csv.AppendLine(string.Join(',', values.Select(v => v.Contains(',', StringComparison.Ordinal) || v.Contains('"', StringComparison.Ordinal) ? $"\"{v.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : v)));
}
