using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EchoBridge.Client.Status;

namespace EchoBridge.Client.Tests.Localization;

/// <summary>
/// Every English resource has its Spanish: checked on the resx files of every project under src/ (a component added
/// later is covered without a change here) and on the built client assembly's satellite resources.
/// </summary>
public partial class ResourceFilesTests
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");

    public static TheoryData<string> EnglishFiles() => [.. EnglishPaths()];

    private static IEnumerable<string> EnglishPaths() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.resx", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !Path.GetFileNameWithoutExtension(f).Contains('.', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(file => Path.GetRelativePath(RepositoryRoot(), file));

    [Fact]
    public void The_dashboard_components_have_resource_files() =>
        Assert.Contains(Path.Combine("src", "EchoBridge.Client", "Status", "StatusBar.resx"), EnglishPaths());

    [Theory]
    [MemberData(nameof(EnglishFiles))]
    public void Every_key_has_a_Spanish_entry_that_is_not_empty_and_keeps_the_placeholders(string englishFile)
    {
        var english = Read(Path.Combine(RepositoryRoot(), englishFile));
        var spanishFile = Path.ChangeExtension(Path.Combine(RepositoryRoot(), englishFile), ".es.resx");
        Assert.True(File.Exists(spanishFile), $"{englishFile} has no Spanish file beside it");
        var spanish = Read(spanishFile);

        Assert.NotEmpty(english);
        Assert.Empty(english.Keys.Except(spanish.Keys));
        Assert.Empty(spanish.Keys.Except(english.Keys));
        foreach (var (key, text) in english)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{englishFile}: '{key}' is empty");
            Assert.False(string.IsNullOrWhiteSpace(spanish[key]), $"{englishFile}: the Spanish of '{key}' is empty");
            Assert.Equal(Placeholders(text), Placeholders(spanish[key]));
        }
    }

    [Fact]
    public void The_built_client_carries_Spanish_for_every_resource_it_embeds()
    {
        var assembly = typeof(StatusBar).Assembly;
        var baseNames = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".resources", StringComparison.Ordinal))
            .Select(n => n[..^".resources".Length])
            .ToList();
        Assert.Contains("EchoBridge.Client.Status.StatusBar", baseNames);

        foreach (var baseName in baseNames)
        {
            var manager = new ResourceManager(baseName, assembly);
            var english = manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
            var spanish = manager.GetResourceSet(Spanish, createIfNotExists: true, tryParents: false);
            Assert.True(spanish is not null, $"{baseName} has no Spanish satellite resources");
            foreach (System.Collections.DictionaryEntry entry in english)
            {
                Assert.False(string.IsNullOrWhiteSpace(spanish.GetString((string)entry.Key)), $"{baseName}: no Spanish for '{entry.Key}'");
            }
        }
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(file).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static List<string> Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+[^}]*\}")]
    private static partial Regex Placeholder();

    private static string RepositoryRoot()
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
