using System.Net.Sockets;

namespace EchoBridge.Listener;

/// <summary>Names the process at the other end of a Unix socket, from the kernel's SO_PEERCRED.</summary>
internal static class UnixPeer
{
    private const int SolSocket = 1, SoPeerCred = 17;

    public static string Describe(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) == credentials.Length)
            {
                var pid = BitConverter.ToInt32(credentials);
                var uid = BitConverter.ToUInt32(credentials[4..]);
                return $"pid {pid} uid {uid}";
            }
        }
        catch (SocketException)
        {
            // Not a Unix socket after all, or the peer is gone.
        }

        return "unix";
    }
}
