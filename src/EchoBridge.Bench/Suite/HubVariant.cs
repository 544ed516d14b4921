using System.Globalization;
using System.Text.RegularExpressions;
using EchoBridge.Bench.Cli;

namespace EchoBridge.Bench.Suite;

/// <summary>
/// How the hub is driven: the protocol, whether each send waits for its completion message (<c>-nowait</c>: SignalR's
/// fire-and-forget), and with <c>-xK</c> K sessions sharing one hub connection, as the consoles of one dashboard tab do.
/// Written <c>json</c>, <c>json-nowait</c>, <c>messagepack-nowait-x5</c>.
/// </summary>
public sealed partial record HubVariant(HubProtocol Protocol, bool NoWait, int SessionsPerConnection)
{
    /// <summary>The most sessions one hub connection carries in the suite.</summary>
    public const int MaxSessionsPerConnection = 8;

    /// <summary>Parses a variant; null with the reason in <paramref name="error"/> when it is not one.</summary>
    public static HubVariant? Parse(string text, out string? error)
    {
        var match = Pattern().Match(text);
        var sessions = 1;
        if (match.Success && (!match.Groups[3].Success
            || (int.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out sessions)
                && sessions is >= 1 and <= MaxSessionsPerConnection)))
        {
            error = null;
            var protocol = match.Groups[1].Value == "json" ? HubProtocol.Json : HubProtocol.MessagePack;
            return new HubVariant(protocol, match.Groups[2].Success, sessions);
        }

        error = "a hub variant is json or messagepack, then -nowait or not, then -xK (K of 1-" +
            $"{MaxSessionsPerConnection} sessions per hub connection) or not, like messagepack-nowait-x5; not '{text}'";
        return null;
    }

    /// <summary>The bench's hub-mode options for this variant.</summary>
    public IReadOnlyList<string> BenchArguments()
    {
        var args = new List<string> { "--hub-protocol", Protocol == HubProtocol.Json ? "json" : "messagepack" };
        if (NoWait)
        {
            args.Add("--hub-no-wait");
        }

        if (SessionsPerConnection > 1)
        {
            args.AddRange(["--hub-sessions-per-connection", SessionsPerConnection.ToString(CultureInfo.InvariantCulture)]);
        }

        return args;
    }

    /// <summary>As written: <c>messagepack-nowait-x5</c>.</summary>
    public override string ToString() =>
        (Protocol == HubProtocol.Json ? "json" : "messagepack") + (NoWait ? "-nowait" : "") +
        (SessionsPerConnection > 1 ? string.Create(CultureInfo.InvariantCulture, $"-x{SessionsPerConnection}") : "");

    [GeneratedRegex("^(json|messagepack)(-nowait)?(?:-x([0-9]+))?$")]
    private static partial Regex Pattern();
}
