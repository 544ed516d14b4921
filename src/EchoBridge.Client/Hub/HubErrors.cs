using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Client.Hub;

/// <summary>Turns a failed hub call into a sentence a person can act on — never a stack trace.</summary>
public static class HubErrors
{
    /// <summary>The plain-words reason for <paramref name="error"/>.</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            // The hub's own errors are already written for people; SignalR prefixes them with its own words.
            HubException hub => StripSignalRPrefix(hub.Message),
            InvalidOperationException when error.Message.Contains("not active", StringComparison.OrdinalIgnoreCase)
                => "Not connected to the server; waiting for the connection to come back.",
            OperationCanceledException => "Cancelled.",
            TimeoutException => "The server did not answer in time.",
            HttpRequestException => "The server can't be reached.",
            _ => error.Message,
        };
    }

    private static string StripSignalRPrefix(string message)
    {
        const string Marker = "HubException: ";
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        return at >= 0 ? message[(at + Marker.Length)..] : message;
    }
}
