using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EchoBridge.Lab;

/// <summary>
/// Binds a TCP socket with <c>SO_REUSEADDR</c> set exactly as asked, calling <c>bind(2)</c> itself. .NET's
/// <see cref="Socket.Bind"/> cannot show the option's absence on Unix: System.Native's <c>SystemNative_Bind</c> sets
/// <c>SO_REUSEADDR</c> on every TCP socket just before <c>bind</c> (to match Windows, where TIME_WAIT never blocks a
/// bind). Linux only.
/// </summary>
internal static partial class RawBind
{
    private const int SolSocket = 1, SoReuseAddr = 2;
    private const int EAcces = 13, EInval = 22, EAddrInUse = 98, EAddrNotAvail = 99;

    /// <summary>
    /// A new IPv4 or IPv6 TCP socket bound to <paramref name="endPoint"/> with <c>SO_REUSEADDR</c> on or off, or the
    /// bind's error (the socket is then disposed).
    /// </summary>
    public static (Socket? Socket, SocketError Error) Bind(IPEndPoint endPoint, bool reuseAddress)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            SetReuseAddress(socket, reuseAddress);
            var address = endPoint.Serialize(); // on Unix its buffer is the kernel's own sockaddr
            var buffer = address.Buffer[..address.Size].ToArray();
            if (NativeBind(socket.SafeHandle, buffer, buffer.Length) == 0)
            {
                return (socket, SocketError.Success);
            }

            var error = Marshal.GetLastPInvokeError();
            socket.Dispose();
            return (null, error switch
            {
                EAddrInUse => SocketError.AddressAlreadyInUse,
                EAddrNotAvail => SocketError.AddressNotAvailable,
                EAcces => SocketError.AccessDenied,
                EInval => SocketError.InvalidArgument,
                _ => SocketError.SocketError,
            });
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sets <c>SO_REUSEADDR</c> (<c>SOL_SOCKET</c> 1, option 2 on Linux) on or off.</summary>
    public static void SetReuseAddress(Socket socket, bool on) =>
        socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(on ? 1 : 0));

    /// <summary>Whether <c>SO_REUSEADDR</c> is set on <paramref name="socket"/>, read back from the kernel.</summary>
    public static bool ReuseAddress(Socket socket)
    {
        Span<byte> value = stackalloc byte[4];
        return socket.GetRawSocketOption(SolSocket, SoReuseAddr, value) == 4 && BitConverter.ToInt32(value) != 0;
    }

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int NativeBind(SafeSocketHandle socket, byte[] address, int length);
}
