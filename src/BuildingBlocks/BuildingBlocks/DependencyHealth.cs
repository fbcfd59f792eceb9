namespace Register.BuildingBlocks;

/// <summary>
/// The health checks of what Register depends on but can run without for a while (TRS, the email sender): tagged
/// <see cref="Tag"/>, answered by <c>/health/dependencies</c> and never by <c>/health/ready</c>, so an outage elsewhere
/// does not take Register out of its load balancer. A dependency that is down is Degraded, not Unhealthy.
/// </summary>
public static class DependencyHealth
{
    public const string Tag = "dependencies";
}
