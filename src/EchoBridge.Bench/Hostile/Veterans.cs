using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EchoBridge.Bench.Hostile;

/// <summary>One echo of a veteran: served or not, and its round trip.</summary>
public readonly record struct VeteranEcho(int Phase, bool Ok, double Milliseconds);

/// <summary>
/// Sessions opened before the hostile clients come, each echoing a short line every interval for the whole run: the
/// users the server must keep serving. An echo not back in time, or a session closed under it, is an unserved echo
/// (the veteran reconnects for its next one). They connect from 127.0.0.1; the hostile clients come from other addresses.
/// </summary>
public sealed class Veterans : IAsyncDisposable
{
    private readonly IPEndPoint _server;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentQueue<VeteranEcho> _echoes = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _phase;

    private Veterans(IPEndPoint server, TimeSpan interval, TimeSpan timeout)
    {
        _server = server;
        _interval = interval;
        _timeout = timeout;
    }

    /// <summary>The phase the next echoes belong to.</summary>
    public int Phase
    {
        set => Volatile.Write(ref _phase, value);
    }

    /// <summary>Every echo so far.</summary>
    public IReadOnlyList<VeteranEcho> Echoes => [.. _echoes];

    /// <summary>The first few reasons an echo went unserved.</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Connects <paramref name="count"/> veterans (each must get in) and starts their echo loops.</summary>
    public static async Task<Veterans> StartAsync(IPEndPoint server, int count, TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var veterans = new Veterans(server, interval, timeout);
        for (var i = 0; i < count; i++)
        {
            var socket = await veterans.ConnectAsync(cancellationToken)
                ?? throw new HostileException($"veteran {i + 1} could not connect to {server} before the phases");
            veterans._loops.Add(veterans.RunAsync(i, socket));
        }

        return veterans;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }

    private async Task RunAsync(int index, Socket? socket)
    {
        var message = new byte[16];
        var echo = new byte[16];
        long seq = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Encoding.ASCII.GetBytes($"veteran{index % 100:00}:{seq++ % 100_000:00000}\n", message);
                var phase = Volatile.Read(ref _phase);
                var clock = Stopwatch.StartNew();
                socket ??= await ConnectAsync(_stop.Token);
                var ok = socket is not null && await EchoAsync(socket, message, echo);
                if (_stop.IsCancellationRequested)
                {
                    break; // stopped mid-echo: not the server's fault
                }

                _echoes.Enqueue(new VeteranEcho(phase, ok, clock.Elapsed.TotalMilliseconds));
                if (!ok)
                {
                    socket?.Dispose();
                    socket = null;
                }

                await Task.Delay(_interval, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        finally
        {
            socket?.Dispose();
        }
    }

    private async Task<bool> EchoAsync(Socket socket, byte[] message, byte[] echo)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_timeout);
        try
        {
            await socket.SendAsync(message, SocketFlags.None, timeout.Token);
            var got = 0;
            while (got < echo.Length)
            {
                var n = await socket.ReceiveAsync(echo.AsMemory(got), SocketFlags.None, timeout.Token);
                if (n == 0)
                {
                    Error($"the server closed a veteran's session: {Encoding.ASCII.GetString(echo, 0, got).TrimEnd()}");
                    return false;
                }

                got += n;
            }

            if (!echo.AsSpan().SequenceEqual(message))
            {
                Error($"a veteran got '{Encoding.ASCII.GetString(echo).TrimEnd()}' back for '{Encoding.ASCII.GetString(message).TrimEnd()}'");
                return false;
            }

            return true;
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            Error($"a veteran's echo was not back within {_timeout.TotalSeconds:0.#} s");
            return false;
        }
        catch (SocketException ex)
        {
            Error($"a veteran's session failed: {ex.SocketErrorCode}");
            return false;
        }
    }

    private async Task<Socket?> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await socket.ConnectAsync(_server, timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Error($"a veteran could not connect: {(ex is SocketException s ? s.SocketErrorCode.ToString() : "timed out")}");
            socket.Dispose();
            return null;
        }
    }

    private void Error(string error)
    {
        if (_errors.Count < 10)
        {
            _errors.Enqueue(error);
        }
    }
}

/// <summary>The hostile run cannot go on: the server would not start, a veteran could not connect.</summary>
public sealed class HostileException(string message) : Exception(message);
