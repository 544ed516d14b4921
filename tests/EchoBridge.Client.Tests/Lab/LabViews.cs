using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Lab;

/// <summary>Kernel views as the server sends them, with sensible defaults.</summary>
public static class LabViews
{
    public static KernelSocketRow Listen(long waiting = 0, string local = "127.0.0.1:9999") =>
        new("LISTEN", "Listening: waiting for clients; finished handshakes wait in the accept queue until accept().", local, "0.0.0.0:0", 0, waiting, waiting);

    public static KernelSocketRow Row(string state, string local = "127.0.0.1:9999", string remote = "127.0.0.1:40000", long tx = 0, long rx = 0) =>
        new(state, "(the server's English line)", local, remote, tx, rx, null);

    public static KernelView View(bool paused = false, int backlog = 3, params KernelSocketRow[] rows) =>
        new(Snapshots.Start, null, [9999], backlog, paused, rows.Length == 0 ? [Listen()] : rows, rows.Length == 0 ? 1 : rows.Length, false);
}
