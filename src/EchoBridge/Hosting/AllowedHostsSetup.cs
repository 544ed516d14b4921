using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace EchoBridge.Hosting;

/// <summary>
/// The hosts the server answers to, for ASP.NET Core's host filtering (which refuses any other <c>Host</c> with 400
/// before an endpoint runs), against DNS rebinding: a page of <c>evil.example</c> whose name is made to point at
/// 127.0.0.1 still sends <c>Host: evil.example</c>. With <c>AllowedHosts</c> unset or <c>*</c> and the HTTP endpoint
/// on loopback only, the loopback names; with a list, that list plus the loopback names (which no rebinding page can
/// send, and the health check uses); <c>*</c> beyond loopback stays <c>*</c> (the access token guards). Nothing
/// passes while the server is starting.
/// </summary>
internal sealed class AllowedHostsSetup(HttpExposure exposure)
    : IPostConfigureOptions<HostFilteringOptions>, IOptionsChangeTokenSource<HostFilteringOptions>
{
    /// <summary>Loopback's names, any port.</summary>
    public static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];

    // .invalid never resolves (RFC 6761): no browser sends it, so nothing passes until the binding is known.
    private const string NoHostYet = "starting.echobridge.invalid";

    /// <inheritdoc />
    public string Name => Options.DefaultName;

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => exposure.Published;

    /// <summary>Runs after ASP.NET Core's own post-configuration, which has put <c>AllowedHosts</c> (or <c>*</c>) in.</summary>
    public void PostConfigure(string? name, HostFilteringOptions options)
    {
        if (exposure.Binding is not { } binding)
        {
            options.AllowedHosts = [NoHostYet];
            return;
        }

        if (AllowsAny(options.AllowedHosts))
        {
            if (binding.LoopbackOnly)
            {
                options.AllowedHosts = [.. LoopbackNames];
            }

            return;
        }

        options.AllowedHosts = [.. options.AllowedHosts.Union(LoopbackNames, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Whether a host list lets every host through (what host filtering takes for "off").</summary>
    public static bool AllowsAny(IEnumerable<string> hosts) => hosts.Any(h => h is "*" or "[::]" or "0.0.0.0");
}
