using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EchoBridge.Tests.Infrastructure;

/// <summary>A raw TCP bridge target on loopback port 0, with the settings that put it on the allow-list.</summary>
public sealed class RawTarget : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RawTarget(string name = "raw")
    {
        Name = name;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
    }

    /// <summary>The target's name on the allow-list.</summary>
    public string Name { get; }

    /// <summary>The port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>The <c>Bridge:Targets</c> settings that name it.</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Bridge:Targets:{Name}:Host"] = "127.0.0.1",
            [$"Bridge:Targets:{Name}:Port"] = Port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The next connection the bridge makes.</summary>
    public Task<Socket> AcceptAsync() => _listener.AcceptAsync().WaitAsync(Bounded.Step);

    /// <summary>Reads exactly <paramref name="count"/> bytes from <paramref name="socket"/>.</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().Within();
            Assert.True(n > 0, $"the connection ended after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }

    /// <summary>Waits until the peer has closed <paramref name="socket"/> (a read returns 0 or fails).</summary>
    public static async Task WaitForEndAsync(Socket socket, TimeSpan within)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // reset: ended all the same
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the bridge did not close the target's socket within {within.TotalSeconds} s");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
