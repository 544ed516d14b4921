using System.Net;
using EchoBridge.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace EchoBridge.Bridge;

/// <summary>
/// Refuses cross-site WebSocket hijacking: a browser request to the hub (negotiate included) whose <c>Origin</c> is
/// neither one of the hosts the server answers to (host filtering's allowed hosts) nor in
/// <c>Bridge:AllowedOrigins</c> gets 403. The request's own <c>Host</c> is no proof: a DNS-rebinding page sends its
/// own name as both. Browsers always send <c>Origin</c> on WebSocket and cross-origin requests; a request without one
/// is a non-browser client (bench, C#, curl) and passes — the access token is what guards against those.
/// </summary>
public sealed class OriginCheck(
    RequestDelegate next,
    IOptions<BridgeOptions> options,
    IOptionsMonitor<HostFilteringOptions> hostFiltering,
    HttpExposure exposure)
{
    /// <summary>Checks one request to the hub path.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsAllowed(origin, context.Request))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync("Origin not allowed.", context.RequestAborted);
    }

    private bool IsAllowed(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return false; // "null" (sandboxed frames, file://) and garbage
        }

        foreach (var allowed in options.Value.AllowedOrigins)
        {
            if (Uri.TryCreate(allowed, UriKind.Absolute, out var allowedUri)
                && string.Equals(allowedUri.GetLeftPart(UriPartial.Authority), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        if (exposure.Binding is not { } binding)
        {
            return false; // still starting: nothing is known to be ours
        }

        var hosts = hostFiltering.CurrentValue.AllowedHosts;
        if (AllowedHostsSetup.AllowsAny(hosts))
        {
            // AllowedHosts=* beyond loopback: no list to compare with, so the page must come from the host it talks
            // to. Set AllowedHosts to close DNS rebinding there too (until then the access token guards).
            return string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        }

        // The scheme is not compared, so a TLS-terminating proxy in front (https outside, http here) still counts.
        if (!HostString.MatchesAny(new StringSegment(uri.Authority), [.. hosts.Select(h => new StringSegment(h))]))
        {
            return false;
        }

        // A page from another port of this machine is another local app, not this dashboard.
        return !IsLoopbackName(uri.Host) || binding.Ports.Contains(uri.Port);
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
