using YamlDotNet.RepresentationModel;

namespace Register.TestKit;

/// <summary>Where the tests find the repository and its copies of the reference services' documents (<c>data/openapi</c>).</summary>
public static class Repository
{
    /// <summary>The folder holding <c>Register.sln</c>, found upwards from the test's own folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A reference OpenAPI document of <c>data/openapi</c> (copied from the specs, with their licences), parsed: its root mapping.</summary>
    public static YamlMappingNode ReferenceDocument(string fileName)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Root, "data", "openapi", fileName));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Register.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Register.sln not found above the test folder.");
    }
}
