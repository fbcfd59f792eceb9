namespace Register.Host;

internal static class Lifecycle
{
    /// <summary>
    /// How the service stops: on SIGTERM or Ctrl-C, Kestrel stops taking connections and lets the requests in flight
    /// finish, and the hosted services stop, within <c>Host:ShutdownTimeout</c> (30 s unless configured); requests still
    /// running then are cut. The project-local cluster is stopped once the host has stopped (see RegisterDatabase).
    /// </summary>
    public static void AddRegisterLifecycle(this WebApplicationBuilder builder)
    {
        var timeout = builder.Configuration.GetValue<TimeSpan?>("Host:ShutdownTimeout") ?? TimeSpan.FromSeconds(30);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
    }
}
