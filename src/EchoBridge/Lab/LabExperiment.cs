namespace EchoBridge.Lab;

/// <summary>The socket lab's experiments that run on request: each kind runs at most once at a time.</summary>
public enum LabExperiment
{
    /// <summary>Binding a port whose last connection waits in TIME_WAIT, without and with SO_REUSEADDR.</summary>
    ReuseAddress,

    /// <summary>Three quick sends over TCP and over UDP.</summary>
    StreamDatagram,

    /// <summary>A client that shuts its sending side and still reads its echo.</summary>
    HalfClose,
}
