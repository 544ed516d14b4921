namespace EchoBridge.Client.Sessions;

/// <summary>The columns the sessions table sorts by.</summary>
public enum SessionColumn
{
    /// <summary>Session id (the order they connected in).</summary>
    Id,

    /// <summary>TCP, Unix, UDP (bridged ones are TCP).</summary>
    Kind,

    /// <summary>The remote end.</summary>
    Remote,

    /// <summary>When it connected.</summary>
    ConnectedAt,

    /// <summary>Bytes received from it.</summary>
    BytesIn,

    /// <summary>Bytes sent to it.</summary>
    BytesOut,

    /// <summary>When it last sent or received.</summary>
    LastActivity,

    /// <summary>The instance of a cluster that holds it.</summary>
    Instance,
}
