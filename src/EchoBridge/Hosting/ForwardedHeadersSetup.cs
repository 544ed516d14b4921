using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>
/// Sets ASP.NET Core's forwarded-headers middleware to exactly <c>EchoBridge:ForwardedHeaders</c>: the framework's
/// default trusts loopback, and with both lists empty it trusts everyone, so nothing configured turns it off. Only
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are taken; <c>X-Forwarded-Host</c> never is, because host
/// filtering (which ASP.NET Core runs before any middleware of ours) has checked the <c>Host</c> the proxy sent, and a
/// forwarded one would replace it unchecked. Configuring the one named options instance also holds ASP.NET Core's own
/// switch (<c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, which trusts everyone) to this list.
/// </summary>
internal sealed class ForwardedHeadersSetup(IOptions<EchoBridgeOptions> options) : IConfigureOptions<ForwardedHeadersOptions>
{
    /// <inheritdoc />
    public void Configure(ForwardedHeadersOptions forwarded)
    {
        var settings = options.Value.ForwardedHeaders;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        if (!settings.Enabled)
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.None;
            return;
        }

        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        forwarded.ForwardLimit = settings.ForwardLimit;
        foreach (var proxy in settings.Proxies())
        {
            forwarded.KnownProxies.Add(proxy);
        }

        foreach (var network in settings.Networks())
        {
            forwarded.KnownIPNetworks.Add(network);
        }
    }
}
