using System.Net.Sockets;
using System.Runtime.InteropServices;
using EchoBridge.Hosting;

namespace EchoBridge.Listener;

/// <summary>Where the Unix socket lives, and the care its file needs at start.</summary>
public static partial class UnixSocketPath
{
    /// <summary>The configured path, or <c>$XDG_RUNTIME_DIR/echobridge.sock</c>, or <c>/tmp/echobridge.sock</c>.</summary>
    public static string Resolve(UnixSocketOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Path))
        {
            return options.Path;
        }

        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        var directory = !string.IsNullOrEmpty(runtimeDir) && Directory.Exists(runtimeDir) ? runtimeDir : Path.GetTempPath();
        return Path.Combine(directory, "echobridge.sock");
    }

    /// <summary>
    /// Removes a socket file left by a process that died (kill -9 leaves it behind). Refuses, with a clear error, to
    /// touch a file that is not a socket, or a socket that another process still serves.
    /// </summary>
    public static void RemoveStale(string path)
    {
        if (!Path.Exists(path))
        {
            return;
        }

        if (!IsSocket(path))
        {
            throw new StartupException($"Listener:Unix:Path '{path}' exists and is not a socket; remove it or choose another path");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path); // nobody listens on it: a stale file from a crash
            return;
        }

        throw new StartupException($"Listener:Unix:Path '{path}' is in use by another running server");
    }

    /// <summary>Whether the file at <paramref name="path"/> is a socket (statx: its layout is the same on every Linux).</summary>
    private static bool IsSocket(string path)
    {
        const int atFdCwd = -100, atSymlinkNoFollow = 0x100, statxType = 0x1, modeOffset = 28;
        const ushort typeMask = 0xF000, socketType = 0xC000;
        var buffer = new byte[256];
        if (Statx(atFdCwd, path, atSymlinkNoFollow, statxType, buffer) != 0)
        {
            throw new StartupException($"Listener:Unix:Path '{path}' cannot be examined (errno {Marshal.GetLastPInvokeError()})");
        }

        return (BitConverter.ToUInt16(buffer, modeOffset) & typeMask) == socketType;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, byte[] buffer);
}
