using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace EchoBridge.Bridge;

/// <summary>
/// Connects to an allow-listed target by name: never a host or port from a client. A connect is bounded by
/// <c>Bridge:ConnectTimeoutSeconds</c>; every failure is a <see cref="BridgeRefusedException"/> that names the target.
/// </summary>
public sealed partial class TargetConnector(
    BridgeTargets targets,
    IOptions<BridgeOptions> options,
    TimeProvider time,
    ILogger<TargetConnector> logger)
{
    /// <summary>The target called <paramref name="name"/>; refused when it is not on the allow-list.</summary>
    public BridgeTarget Resolve(string? name) =>
        targets.TryResolve(name, out var target)
            ? target
            : throw new BridgeRefusedException(
                $"Unknown target '{name}'. Known targets: {string.Join(", ", targets.List().Select(t => t.Name))}.",
                BridgeRefusal.UnknownTarget);

    /// <summary>A connected TCP socket to <paramref name="target"/> (Nagle off).</summary>
    public async Task<Socket> ConnectAsync(BridgeTarget target, CancellationToken cancellationToken)
    {
        // An IP target gets a socket of its family; a host name a dual-mode one that can reach either.
        var socket = target.EndPoint.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? new Socket(target.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true; // a typed line goes out at once, not after Nagle's wait

        var timeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(target.EndPoint, linked.Token);
            return socket;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested)
        {
            socket.Dispose();
            LogUnreachable(target.Name, "timeout");
            throw new BridgeRefusedException($"Target '{target.Name}' did not answer within {timeout.TotalSeconds:0.#} s.",
                BridgeRefusal.TargetUnreachable);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            LogUnreachable(target.Name, ex.SocketErrorCode.ToString());
            throw new BridgeRefusedException(ex.SocketErrorCode == SocketError.ConnectionRefused
                ? $"Target '{target.Name}' refused the connection."
                : $"Target '{target.Name}' is unreachable ({ex.SocketErrorCode}).", BridgeRefusal.TargetUnreachable);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bridge target {Target} is unreachable: {Why}")]
    private partial void LogUnreachable(string target, string why);
}
