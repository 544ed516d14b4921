using EchoBridge.Client.Hub;
using EchoBridge.Client.Localization;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

// The WebAssembly side of the dashboard: one hub connection per page, shared by every component on it.
var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddLocalization();
builder.Services.AddScoped<IBridgeHubClient, BridgeHubClient>();
var host = builder.Build();
await host.UseServerCultureAsync();
await host.RunAsync();
