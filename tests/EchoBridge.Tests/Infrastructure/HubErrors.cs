using Microsoft.AspNetCore.SignalR;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>
/// What the server said in a <see cref="HubException"/>. SignalR's client prefixes the server's words with
/// "An unexpected error occurred invoking 'Open' on the server. HubException: "; this returns the words alone.
/// </summary>
public static class HubErrors
{
    private const string Marker = "HubException: ";

    /// <summary>Awaits <paramref name="call"/>, expects a HubException, returns the server's message.</summary>
    public static async Task<string> RefusalOf(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HubException>(call);
        var at = error.Message.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"not a HubException from the server: {error.Message}");
        return error.Message[(at + Marker.Length)..];
    }
}
