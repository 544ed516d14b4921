namespace EchoBridge.Dashboard;

/// <summary>
/// The dashboard: the server renders the page shell (<see cref="App"/>); its interactive parts are the WebAssembly
/// components of EchoBridge.Client, which talk to the bridge hub from the browser. Everything, the .NET runtime for
/// the browser included, is served by this process: the page works with no internet.
/// </summary>
public static class DashboardExtensions
{
    /// <summary>Adds Razor components with WebAssembly interactivity.</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Serve wwwroot/ and the client's files from their build locations in `dotnet run` and tests, whatever the
        // environment (by default only Development does). A published app has no such manifest: this is a no-op there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveWebAssemblyComponents();
        return builder;
    }

    /// <summary>Maps the static assets (wwwroot/, the client's _framework/) and the dashboard page at <c>/</c>.</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(Client.Dashboard.DashboardPage).Assembly);
        return app;
    }
}
