namespace EchoBridge.Tests.Infrastructure;

/// <summary>Where the repository is, found from the test's own folder.</summary>
public static class Repository
{
    /// <summary>The folder that holds EchoBridge.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EchoBridge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EchoBridge.sln not found above " + AppContext.BaseDirectory);
    }
}
