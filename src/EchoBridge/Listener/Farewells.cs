using System.Text;
using EchoBridge.Sessions;

namespace EchoBridge.Listener;

/// <summary>The one line a telnet-mode client gets before the server closes its session.</summary>
internal static class Farewells
{
    public static readonly byte[] Quit = "Goodbye.\r\n"u8.ToArray();
    public static readonly byte[] Shutdown = "Server shutting down. Goodbye.\r\n"u8.ToArray();
    public static readonly byte[] Disconnected = "Disconnected by an operator. Goodbye.\r\n"u8.ToArray();

    public static byte[] For(CloseReason reason, ListenerOptions settings) => reason switch
    {
        CloseReason.IdleTimeout => Encoding.ASCII.GetBytes($"\r\nIdle for {settings.IdleTimeoutSeconds} s; closing. Goodbye.\r\n"),
        CloseReason.Stalled => Stalled(settings.StallTimeoutSeconds),
        CloseReason.Shutdown => Shutdown,
        CloseReason.Disconnected => Disconnected,
        _ => Quit,
    };

    public static byte[] BusyAddress(int limit) =>
        Encoding.ASCII.GetBytes($"Server busy: {limit} connections from your address are open, the most it takes from one address. Try again later.\r\n");

    public static byte[] Stalled(int seconds) =>
        Encoding.ASCII.GetBytes($"\r\nYour echo was not read for {seconds} s; closing. Goodbye.\r\n");

    public static byte[] Busy(int limit) =>
        Encoding.ASCII.GetBytes($"Server busy: {limit} connections are open, the most it takes. Try again later.\r\n");
}
