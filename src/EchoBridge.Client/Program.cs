using EchoBridge.Client.Hub;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

// The WebAssembly side of the dashboard: one hub connection per page, shared by every component on it.
var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.Services.AddScoped<IBridgeHubClient, BridgeHubClient>();
await builder.Build().RunAsync();
