using System.Text.Json;
using System.Text.RegularExpressions;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>
/// The repository's Dockerfile, read the way the container tests need it: the build stage's COPY and RUN steps, and
/// the final stage's ENV, ENTRYPOINT and HEALTHCHECK. Only the forms this project's Dockerfile uses are understood.
/// </summary>
public sealed partial class Dockerfile
{
    /// <summary>COPY steps of the build stage: sources (relative to the build context, globs allowed) and destination.</summary>
    public List<(string[] Sources, string Destination)> BuildCopies { get; } = [];

    /// <summary>RUN commands of the build stage, in order.</summary>
    public List<string> BuildRuns { get; } = [];

    /// <summary>The final stage's environment.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The final stage's ENTRYPOINT (exec form).</summary>
    public string[] Entrypoint { get; private set; } = [];

    /// <summary>The HEALTHCHECK command (exec form).</summary>
    public string[] HealthCheck { get; private set; } = [];

    /// <summary>The ports the final stage EXPOSEs.</summary>
    public List<string> Exposed { get; } = [];

    /// <summary>Reads the Dockerfile at the repository root.</summary>
    public static Dockerfile Load() => Parse(File.ReadAllText(Path.Combine(Repository.Root, "Dockerfile")));

    /// <summary>Parses Dockerfile text.</summary>
    public static Dockerfile Parse(string text)
    {
        var file = new Dockerfile();
        var stage = 0;
        var joined = text.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (var raw in joined.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var (instruction, rest) = (line.Split(' ', 2)[0].ToUpperInvariant(), line.Split(' ', 2).ElementAtOrDefault(1) ?? "");
            switch (instruction)
            {
                case "FROM":
                    stage++;
                    break;
                case "COPY" when stage == 1:
                    var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                    file.BuildCopies.Add((parts[..^1], parts[^1]));
                    break;
                case "RUN" when stage == 1:
                    file.BuildRuns.Add(rest);
                    break;
                case "ENV" when stage == 2:
                    foreach (Match match in EnvPair().Matches(rest))
                    {
                        file.Environment[match.Groups[1].Value] = match.Groups[2].Value;
                    }

                    break;
                case "EXPOSE" when stage == 2:
                    file.Exposed.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "ENTRYPOINT" when stage == 2:
                    file.Entrypoint = JsonSerializer.Deserialize<string[]>(rest)!;
                    break;
                case "HEALTHCHECK" when stage == 2:
                    file.HealthCheck = JsonSerializer.Deserialize<string[]>(rest[(rest.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!;
                    break;
            }
        }

        return file;
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S*)")]
    private static partial Regex EnvPair();
}
