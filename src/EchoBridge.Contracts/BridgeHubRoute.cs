namespace EchoBridge.Contracts;

/// <summary>Where the bridge hub is mapped.</summary>
public static class BridgeHubRoute
{
    /// <summary>The hub's path, relative to the server's base address.</summary>
    public const string Path = "/hubs/bridge";
}
