using System.Net;
using EchoBridge.Listener;
using EchoBridge.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Testing;

/// <summary>
/// The real product in-process: real Kestrel on port 0, the real echo listener on TCP, Unix and UDP sockets. Settings default to a
/// loopback-only host with a private Unix socket path; a test overrides any of them. Shared by the integration tests
/// and the browser tests.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    // Starting and stopping are bounded so that a hung host fails the test instead of the whole run.
    private static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private TestHost(WebApplication app) => App = app;

    /// <summary>The running application.</summary>
    public WebApplication App { get; }

    /// <summary>Its services.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>The session registry.</summary>
    public SessionRegistry Registry => Services.GetRequiredService<SessionRegistry>();

    /// <summary>The listener's bound endpoints.</summary>
    public ListenerEndpoints Endpoints => Services.GetRequiredService<ListenerEndpoints>();

    /// <summary>The TCP echo endpoint.</summary>
    public IPEndPoint Tcp => Endpoints.Tcp[0];

    /// <summary>The UDP echo endpoint.</summary>
    public IPEndPoint Udp => Endpoints.Udp[0];

    /// <summary>The Unix socket path.</summary>
    public string UnixPath => Endpoints.UnixPath!;

    /// <summary>The HTTP base address (dashboard, hub, health).</summary>
    public Uri Http { get; private set; } = null!;

    /// <summary>Starts a host with the test defaults plus <paramref name="settings"/>.</summary>
    public static async Task<TestHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? customize = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Listener:Port"] = "0",
            ["Listener:BindAddress"] = "127.0.0.1",
            ["Listener:Unix:Path"] = Path.Combine(Path.GetTempPath(), $"eb-{Guid.NewGuid():N}"[..11] + ".sock"),
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var app = Program.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(all);
            customize?.Invoke(builder);
        });
        var host = new TestHost(app);
        await app.StartAsync().WaitAsync(StartStopTimeout);
        host.Http = host.FindHttpAddress();
        return host;
    }

    /// <summary>A URL on the host's HTTP endpoint.</summary>
    public Uri Url(string path) => new(Http, path);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync().WaitAsync(StartStopTimeout);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }

    private Uri FindHttpAddress()
    {
        // Kestrel serves only HTTP; the echo endpoints are the listener's own.
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var http = new Uri(addresses.First());
        // A wildcard bind (0.0.0.0, [::]) is reached over loopback.
        return http.Host is "0.0.0.0" or "[::]" ? new UriBuilder(http) { Host = "127.0.0.1" }.Uri : http;
    }
}
