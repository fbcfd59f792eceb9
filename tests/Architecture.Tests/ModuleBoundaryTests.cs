using System.Reflection;
using System.Text.RegularExpressions;
using NetArchTest.Rules;

using Register.TestKit;

namespace Register.Architecture.Tests;

/// <summary>
/// The rules that keep Register a modular monolith: modules meet only through each other's Contracts,
/// expose only their registration and endpoints types, and never touch another module's schema.
/// </summary>
public sealed partial class ModuleBoundaryTests
{
    public sealed record Module(string Name, string Schema, Assembly Assembly, Assembly Contracts, Type Registration, Type Endpoints)
    {
        public override string ToString() => Name;
    }

    public static readonly IReadOnlyList<Module> Modules =
    [
        new("Access", "access", typeof(Access.AccessModule).Assembly, typeof(Access.Contracts.ApiClientChanged).Assembly, typeof(Access.AccessModule), typeof(Access.AccessEndpoints)),
        new("Providers", "providers", typeof(Providers.ProvidersModule).Assembly, Assembly.Load("Register.Providers.Contracts"), typeof(Providers.ProvidersModule), typeof(Providers.ProvidersEndpoints)),
        new("Trainees", "trainees", typeof(Trainees.TraineesModule).Assembly, Assembly.Load("Register.Trainees.Contracts"), typeof(Trainees.TraineesModule), typeof(Trainees.TraineesEndpoints)),
        new("Partnerships", "partnerships", typeof(Partnerships.PartnershipsModule).Assembly, Assembly.Load("Register.Partnerships.Contracts"), typeof(Partnerships.PartnershipsModule), typeof(Partnerships.PartnershipsEndpoints)),
        new("ActivityLog", "activity_log", typeof(ActivityLog.ActivityLogModule).Assembly, Assembly.Load("Register.ActivityLog.Contracts"), typeof(ActivityLog.ActivityLogModule), typeof(ActivityLog.ActivityLogEndpoints)),
    ];

    public static TheoryData<Module> EachModule() => new(Modules);

    [Theory]
    [MemberData(nameof(EachModule))]
    public void A_module_uses_no_type_of_another_module_but_its_contracts(Module module)
    {
        var otherModulesTypes = Modules.Where(m => m != module).SelectMany(m => m.Assembly.GetTypes())
            .Where(t => t.Namespace?.StartsWith("Register.", StringComparison.Ordinal) == true)
            .Select(t => t.FullName!.Split('+')[0]).Distinct().ToArray();

        var result = Types.InAssembly(module.Assembly).Should().NotHaveDependencyOnAny(otherModulesTypes).GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [MemberData(nameof(EachModule))]
    public void A_module_references_no_other_modules_assembly_but_its_contracts(Module module)
    {
        var otherModuleAssemblies = Modules.Where(m => m != module).Select(m => m.Assembly.GetName().Name).ToHashSet();

        var references = module.Assembly.GetReferencedAssemblies().Select(a => a.Name).Where(otherModuleAssemblies.Contains);

        Assert.Empty(references);
    }

    [Theory]
    [MemberData(nameof(EachModule))]
    public void Contracts_depend_only_on_building_block_contracts(Module module)
    {
        var allowed = new[] { "System", "Microsoft", "Mediator", "Register.BuildingBlocks.Contracts", module.Contracts.GetName().Name, "netstandard" };

        var references = module.Contracts.GetReferencedAssemblies().Select(a => a.Name!).Where(n => !allowed.Any(a => n == a || n.StartsWith(a + ".", StringComparison.Ordinal)));

        Assert.Empty(references);
    }

    [Theory]
    [MemberData(nameof(EachModule))]
    public void Only_the_registration_and_endpoints_types_and_pages_are_public(Module module)
    {
        // Razor components cannot be internal: a page (and the records its parameters are made of) is public, and
        // nothing outside the module uses it (the rules above), but nothing else is.
        static bool IsPage(Type type) => typeof(Microsoft.AspNetCore.Components.IComponent).IsAssignableFrom(type)
            && type.Namespace?.Contains(".Features.", StringComparison.Ordinal) == true;
        var publicTypes = module.Assembly.GetExportedTypes()
            .Where(t => !IsPage(t) && !(t.DeclaringType is { } page && IsPage(page)) && t.Name != "_Imports")
            .Select(t => t.FullName).Order().ToList();

        Assert.Equal(new[] { module.Endpoints.FullName, module.Registration.FullName }.Order(), publicTypes);
    }

    /// <summary>The trainee rules and records know nothing of HTTP: the API layer uses the domain, never the other way round.</summary>
    [Fact]
    public void The_trainee_domain_does_not_use_the_trainee_api_layer()
    {
        var result = Types.InAssembly(typeof(Trainees.TraineesModule).Assembly).That().ResideInNamespace("Register.Trainees.Domain")
            .Should().NotHaveDependencyOn("Register.Trainees.Api").GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void The_host_uses_only_public_module_types_except_in_generated_mediator_code()
    {
        var internalTypes = Modules
            .SelectMany(m => m.Assembly.GetTypes())
            .Where(t => !t.IsNested && !t.IsPublic && t.Namespace?.StartsWith("Register.", StringComparison.Ordinal) == true)
            .Select(t => t.FullName!.Split('+')[0])
            .Distinct()
            .ToArray();

        var result = Types.InAssembly(typeof(Program).Assembly)
            .That().DoNotResideInNamespace("Mediator")
            .Should().NotHaveDependencyOnAny(internalTypes)
            .GetResult();

        Assert.True(result.IsSuccessful, string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Theory]
    [MemberData(nameof(EachModule))]
    public void No_sql_of_a_module_names_another_modules_schema(Module module)
    {
        var root = Repository.Root;
        var files = Directory.EnumerateFiles(Path.Combine(root, "src", "Modules", module.Name), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "migrations", module.Schema), "*.sql"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var otherSchemas = Modules.Where(m => m != module).Select(m => m.Schema).ToList();

        var offences = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && !l.Text.TrimStart().StartsWith("--", StringComparison.Ordinal))
            // SQL names schemas in lower case (providers.providers); C# members such as item.Providers.Select are not SQL.
            .Where(l => otherSchemas.Any(s => Regex.IsMatch(l.Text, $@"\b{s}\.[a-z_]+") && !l.Text.Contains($"Register.{Modules.First(m => m.Schema == s).Name}.Contracts", StringComparison.Ordinal)))
            .Select(l => $"{Path.GetRelativePath(root, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.Empty(offences);
    }

    [Fact]
    public void Every_module_has_a_migrations_folder_whose_first_script_creates_its_schema()
    {
        foreach (var module in Modules)
        {
            var first = Directory.EnumerateFiles(Path.Combine(Repository.Root, "migrations", module.Schema), "*.sql").Order().First();
            Assert.Matches(MigrationName(), Path.GetFileName(first));
            Assert.Contains($"CREATE SCHEMA IF NOT EXISTS {module.Schema};", File.ReadAllText(first), StringComparison.Ordinal);
        }
    }


    [GeneratedRegex(@"^\d{4}_[a-z0-9_]+\.sql$")]
    private static partial Regex MigrationName();
}
