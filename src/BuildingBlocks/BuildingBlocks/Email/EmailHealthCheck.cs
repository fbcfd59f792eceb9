using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Register.BuildingBlocks.Email;

/// <summary>
/// The email sender for <c>/health/dependencies</c>: GOV.UK Notify configured (no call to Notify: its key is checked when
/// an email is sent), or the mailbox folder writable (a file written and deleted).
/// </summary>
internal sealed class EmailHealthCheck(IOptions<EmailOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (o.UsesNotify)
        {
            return HealthCheckResult.Healthy("GOV.UK Notify configured", new Dictionary<string, object> { ["sender"] = "notify" });
        }

        var data = new Dictionary<string, object> { ["sender"] = "mailbox" };
        try
        {
            Directory.CreateDirectory(o.MailboxPath);
            var probe = Path.Combine(o.MailboxPath, $".health-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(probe, "", cancellationToken);
            File.Delete(probe);
            return HealthCheckResult.Healthy("mailbox folder writable", data);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Degraded($"mailbox folder not writable ({ex.GetType().Name})", data: data);
        }
    }
}
