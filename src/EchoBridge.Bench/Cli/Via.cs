namespace EchoBridge.Bench.Cli;

/// <summary>The transport of the <c>idle</c> and <c>bulk</c> modes (and of each echo mode, for the report).</summary>
public enum Via
{
    /// <summary>The TCP listener.</summary>
    Tcp,
    /// <summary>The Unix-domain socket.</summary>
    Unix,
    /// <summary>The bridge hub (idle only): a SignalR connection with one open bridge session.</summary>
    Hub,
    /// <summary>A WebSocket bridge (idle only): <c>--url</c>, one bridge session each.</summary>
    WebSocket,
}
