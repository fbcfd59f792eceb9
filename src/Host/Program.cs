using Carter;
using Mediator;
using Register.Access;
using Register.ActivityLog;
using Register.BuildingBlocks.Database;
using Register.BuildingBlocks.Email;
using Register.BuildingBlocks.Http;
using Register.BuildingBlocks.Outbox;
using Register.BuildingBlocks.Web;
using Register.Host;
using Register.Partnerships;
using Register.Providers;
using Register.Trainees;

// The composition root: one line a module, then the pipeline. See docs/architecture.md for the architecture.
// The verb is parsed first: help and usage errors never build the host or touch the database.
var invocation = CommandLine.Parse(args);
if (invocation.Verb is not { } verb)
{
    return invocation.ExitCode;
}

var builder = WebApplication.CreateBuilder(invocation.HostArgs);

builder.AddRegisterLogging();
builder.AddRegisterLifecycle();
builder.Services.AddRegisterHttp(builder.Configuration);
builder.Services.AddRegisterWeb();
builder.Services.AddRegisterDatabase();
builder.Services.AddLongLists();
builder.Services.AddRegisterEmail();
builder.Services.AddOutbox();
builder.Services.AddSingleton(TimeProvider.System);

builder.Services.AddAccessModule(builder.Configuration);
builder.Services.AddProvidersModule(builder.Configuration);
builder.Services.AddTraineesModule(builder.Configuration);
builder.Services.AddPartnershipsModule(builder.Configuration);
builder.Services.AddActivityLogModule(builder.Configuration);
builder.AddRegisterTelemetry();

builder.Services.AddMediator((MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.GenerateTypesAsInternal = true;
    options.NotificationPublisherType = typeof(ForeachAwaitPublisher);
});
builder.Services.AddCarter(
    new DependencyContextAssemblyCatalog(
        typeof(AccessEndpoints).Assembly,
        typeof(ProvidersEndpoints).Assembly,
        typeof(TraineesEndpoints).Assembly,
        typeof(PartnershipsEndpoints).Assembly,
        typeof(ActivityLogEndpoints).Assembly),
    c => c.WithEmptyValidators());

var app = builder.Build();
app.UseRegisterTelemetry();
app.UseRegisterPipeline();
app.MapCarter();
app.MapRegisterEndpoints();
app.MapRegisterWeb();

return await CommandLine.RunAsync(app, verb);

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
