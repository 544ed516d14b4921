using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EchoBridge.BrowserTests.Infrastructure;

/// <summary>
/// The real product in-process, as EchoBridge.Tests' TestHost starts it: Kestrel on port 0, the echo listener on
/// free loopback ports, a private Unix socket path. The browser gets the HTTP address; the test gets the TCP port.
/// </summary>
public sealed class ProductServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProductServer(WebApplication app, Uri http, IPEndPoint tcp)
    {
        _app = app;
        Http = http;
        Tcp = tcp;
    }

    /// <summary>The dashboard's address.</summary>
    public Uri Http { get; }

    /// <summary>The TCP echo endpoint.</summary>
    public IPEndPoint Tcp { get; }

    /// <summary>Starts the product with the test defaults plus <paramref name="extra"/> settings.</summary>
    public static async Task<ProductServer> StartAsync(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Listener:Port"] = "0",
            ["Listener:BindAddress"] = "127.0.0.1",
            ["Listener:Unix:Path"] = Path.Combine(Path.GetTempPath(), $"ebb-{Guid.NewGuid():N}"[..12] + ".sock"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = Program.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Kestrel lists the echo endpoints too; the HTTP one is the address the listener did not bind.
        var echo = app.Services.GetRequiredService<EchoBridge.Listener.ListenerEndpoints>().Tcp[0];
        var http = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Where(a => !a.Contains("unix:", StringComparison.Ordinal)).Select(a => new Uri(a))
            .First(u => u.Port != echo.Port);
        return new ProductServer(app, http, echo);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
