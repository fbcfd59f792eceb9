using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Register.Trainees.Api;
using Register.Trainees.Domain;
using Register.Trainees.ReferenceData;

namespace Register.Trainees.Features.ReferenceData;

/// <summary>
/// <c>GET /api/{version}/reference-data[?field=sex]</c>, without a token (v2026.1 on): every HESA code list with its
/// labels, and the withdrawal reasons. One field answers its list unwrapped; an unknown one is a 404.
/// </summary>
internal static class GetReferenceData
{
    /// <summary>The answers, serialised once: every list, and each list alone by its field.</summary>
    private static readonly Lazy<(byte[] All, Dictionary<string, byte[]> ByField)> Answers = new(() =>
    {
        var all = Build();
        return (TraineeApiResults.Serialize(all), all.ToDictionary(p => p.Key, p => TraineeApiResults.Serialize(p.Value!), StringComparer.Ordinal));
    });

    public static void Map(TraineeApi api)
    {
        var endpoint = api.Group.MapGet("/reference-data", (string? field) =>
            {
                if (!api.Version.ReferenceData)
                {
                    return TraineeApiResults.NotFound($"Reference data is not available for version '{api.Path}'");
                }

                if (string.IsNullOrEmpty(field))
                {
                    return TraineeApiResults.OkSerialized(Answers.Value.All);
                }

                return Answers.Value.ByField.TryGetValue(field, out var list)
                    ? TraineeApiResults.OkSerialized(list)
                    : TraineeApiResults.NotFound($"Reference data field '{field}' not found");
            })
            .AllowAnonymous()
            .WithName(api.Name("GetReferenceData"))
            .WithSummary("The HESA code lists and withdrawal reasons (no token needed)");
        if (api.Version.ReferenceData)
        {
            endpoint.Answers<OneOf<ReferenceDataAll, ReferenceDataList, WithdrawalReasonList>>(StatusCodes.Status200OK);
        }
        else
        {
            // Served only to answer 404 as the reference does: not part of this version's document.
            endpoint.ExcludeFromDescription();
        }

        endpoint.Answers<TraineeApiErrors>(StatusCodes.Status404NotFound);
    }

    private static JsonObject Build()
    {
        var all = new JsonObject();
        foreach (var list in HesaCodes.Instance.Lists)
        {
            all[list.Field] = new JsonObject
            {
                ["metadata"] = list.Description is null
                    ? new JsonObject { ["name"] = list.Name, ["display_name"] = list.DisplayName }
                    : new JsonObject { ["name"] = list.Name, ["display_name"] = list.DisplayName, ["description"] = list.Description },
                ["entries"] = new JsonArray(list.SortedCodes.Select(code =>
                {
                    var value = list.ByCode(code)!;
                    return (JsonNode?)new JsonObject
                    {
                        ["code"] = code,
                        ["display_name"] = list.Label(code),
                        ["start_year"] = value.StartYear,
                        ["end_year"] = value.EndYear,
                    };
                }).ToArray()),
            };
        }

        all["withdrawal_reasons"] = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "withdrawal_reasons", ["display_name"] = "Withdrawal reasons" },
            ["triggers"] = new JsonArray(WithdrawalReasons.Triggers.Select(t => (JsonNode?)t).ToArray()),
            ["future_interest"] = new JsonArray(WithdrawalReasons.FutureInterests.Select(f => (JsonNode?)f).ToArray()),
            ["entries"] = new JsonArray(WithdrawalReasons.All.Select(r => (JsonNode?)new JsonObject
            {
                ["code"] = r.Code,
                ["display_name"] = r.DisplayName,
                ["trigger"] = r.Trigger,
                ["requires_another_reason"] = r.RequiresAnotherReason,
                ["requires_safeguarding_concern_reasons"] = r.RequiresSafeguardingConcernReasons,
            }).ToArray()),
        };
        return all;
    }
}
