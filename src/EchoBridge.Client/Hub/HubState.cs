namespace EchoBridge.Client.Hub;

/// <summary>The page's own link to the bridge hub, as the status bar shows it.</summary>
public enum HubState
{
    /// <summary>The first connection attempt is under way.</summary>
    Connecting,

    /// <summary>Connected; calls and streams work.</summary>
    Connected,

    /// <summary>The connection dropped and is being re-established automatically.</summary>
    Reconnecting,

    /// <summary>Not connected and not trying right now (the server is unreachable; a retry follows).</summary>
    Offline,
}
