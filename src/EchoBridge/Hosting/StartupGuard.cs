using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Serilog;

namespace EchoBridge.Hosting;

/// <summary>
/// Runs the host and turns the start-up failures an operator can fix (bad settings, a port in use) into one clear
/// line on stderr and exit code 1 — no stack trace. Anything unexpected is logged in full.
/// </summary>
public static class StartupGuard
{
    /// <summary>Handles the command line, then builds and runs the host; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, Func<WebApplication> build)
    {
        if (await CommandLine.TryHandleAsync(args, Console.Out, Console.Error) is { } exitCode)
        {
            return exitCode;
        }

        LoggingExtensions.CreateBootstrapLogger();
        try
        {
            await using var app = build();
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } message)
        {
            await Console.Error.WriteLineAsync($"echobridge: {message}");
            return 1;
        }
        catch (Exception ex)
        {
            Log.Fatal(ex, "EchoBridge stopped unexpectedly");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>The one line that explains a failure the operator can fix, or null for anything else.</summary>
    public static string? Explain(Exception exception) => exception switch
    {
        StartupException startup => startup.Message,
        OptionsValidationException validation => string.Join("; ", validation.Failures),
        AggregateException aggregate when aggregate.InnerExceptions.Select(Explain).ToList() is var lines && lines.All(l => l is not null)
            => string.Join("; ", lines),
        IOException { InnerException: AddressInUseException } inUse
            => $"{inUse.Message.TrimEnd('.')} (check --urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or Kestrel:Endpoints)",
        // The configuration binder's own messages name the setting: "Failed to convert configuration value at 'Listener:Port'…"
        InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" } binding
            => binding.InnerException is { } inner ? $"{binding.Message} {inner.Message}" : binding.Message,
        _ => null,
    };
}
