using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Register.BuildingBlocks.Http;

namespace Register.Partnerships.Features.LeadProviderApi;

/// <summary>
/// The lead provider API's request checks that come first: <c>filter</c> must be a hash (else 400, on every
/// endpoint). And sandbox mode (<c>Sandbox:Enabled</c>, off by default): a request with <c>X-With-Server-Date</c> runs as if it
/// were that time, for every "today" rule (the future-cohort check, participants currently training) and every
/// timestamp it writes, so testers can time-travel. Outside sandbox mode the header is ignored.
/// </summary>
internal sealed class SandboxClock : IEndpointFilter
{
    public const string Header = "X-With-Server-Date";
    private static readonly object Key = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (LeadProviderQuery.CheckFilterIsHash(http.Request.Query) is { } notAHash)
        {
            // Before any lookup or body check, on every endpoint, as the reference's processing order has it.
            return notAHash;
        }

        var header = http.Request.Headers[Header].ToString();
        if (header.Length > 0 && http.RequestServices.GetRequiredService<IConfiguration>().GetValue<bool>("Sandbox:Enabled"))
        {
            if (!DateTimeOffset.TryParse(header, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                || at.Year is < 2000 or > 2100)
            {
                return ApiErrors.BadRequest($"The header '{Header}' must be a date and time in RFC 3339 format between 2000 and 2100, like 2025-12-31T00:00:00Z");
            }

            var clock = http.RequestServices.GetRequiredService<TimeProvider>();
            http.Items[Key] = new ShiftedTimeProvider(clock, at - clock.GetUtcNow());
        }

        return await next(context);
    }

    /// <summary>The clock of this request: shifted in sandbox mode when the header asks for it, else <paramref name="clock"/>.</summary>
    public static TimeProvider For(HttpContext http, TimeProvider clock) => http.Items[Key] as TimeProvider ?? clock;

    private sealed class ShiftedTimeProvider(TimeProvider inner, TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + shift;

        public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
    }
}
