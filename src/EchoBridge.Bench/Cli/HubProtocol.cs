namespace EchoBridge.Bench.Cli;

/// <summary>The SignalR hub protocol the hub mode speaks: JSON (what browsers use) or MessagePack (binary, cheaper).</summary>
public enum HubProtocol
{
    /// <summary>JSON text frames; bytes travel as base64.</summary>
    Json,

    /// <summary>MessagePack binary frames; bytes travel as they are.</summary>
    MessagePack,
}
