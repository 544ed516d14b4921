using System.Net.Sockets;
using System.Runtime.InteropServices;
using EchoBridge.Bridge;
using EchoBridge.Contracts;
using EchoBridge.Listener;
using EchoBridge.Sessions;
using Microsoft.Extensions.Options;

namespace EchoBridge.Hosting;

/// <summary>
/// What the process may hold open, decided once at start (Redis's <c>adjustOpenFilesLimit</c>): the soft descriptor
/// limit is raised to the hard one, a reserve is kept for the dashboard, logs and health checks, and the caps of the
/// doors that hold descriptors are lowered to fit what is left — said in one log line. A cap set explicitly that
/// cannot fit fails the start instead. The doors read their effective caps from here, never from their options.
/// </summary>
public sealed partial class ResourceBudget
{
    private static readonly long WarnInterval = TimeSpan.FromSeconds(10).Ticks;

    private readonly SessionRegistry _registry;
    private readonly ILogger<ResourceBudget> _logger;
    private long _lastExhaustionWarning = long.MinValue;

    /// <summary>Reads the descriptor limit and fits the caps to it.</summary>
    public ResourceBudget(IOptions<ListenerOptions> listener, IOptions<BridgeOptions> bridge, IConfiguration configuration,
        SessionRegistry registry, ILogger<ResourceBudget> logger)
    {
        _registry = registry;
        _logger = logger;
        var (limit, raisedFrom) = ProcessDescriptors.RaiseToHard();
        DescriptorLimit = limit;
        Reserve = 64 + (int)Math.Min(limit / 20, 1024);
        var openNow = ProcessDescriptors.CountOpen();
        var available = (int)Math.Clamp(limit - Reserve - openNow, 16, int.MaxValue);

        // Shares of what is free: the echo's sessions half, HTTP connections (dashboard, hub, WebSocket bridge) a
        // quarter, the bridge's sockets to its targets a quarter. A default is lowered to its share; an explicit
        // setting must fit whole.
        var lowered = new List<string>();
        MaxStreamSessions = Fit("Listener:MaxConnections", listener.Value.MaxConnections, new ListenerOptions().MaxConnections,
            available / 2, available, lowered);
        // Kestrel's own setting, read as Kestrel binds it (its options are being built when this is asked for).
        var http = configuration.GetValue<long?>("Kestrel:Limits:MaxConcurrentConnections");
        MaxHttpConnections = http is { } set
            ? Fit("Kestrel:Limits:MaxConcurrentConnections", set, -1, available / 4, available, lowered)
            : available / 4;
        var bridgeDefaults = new BridgeOptions();
        MaxBridgeSessions = Fit("Bridge:MaxSessions", bridge.Value.MaxSessions, bridgeDefaults.MaxSessions, available / 4, available, lowered);
        // Hub connections and WebSockets are HTTP connections: their cap lives inside Kestrel's.
        MaxBridgeClients = Fit("Bridge:MaxClientConnections", bridge.Value.MaxClientConnections, bridgeDefaults.MaxClientConnections,
            MaxHttpConnections, MaxHttpConnections, lowered);
        if ((long)MaxStreamSessions + MaxHttpConnections + MaxBridgeSessions > available)
        {
            throw new StartupException(
                $"Listener:MaxConnections ({MaxStreamSessions}), Kestrel:Limits:MaxConcurrentConnections ({MaxHttpConnections}) and Bridge:MaxSessions ({MaxBridgeSessions}) together need more than the {available} descriptors free (limit {limit}, {Reserve} kept in reserve, {openNow} open): lower them or raise the limit (ulimit -n)");
        }

        LogBudget(limit, raisedFrom, Reserve, MaxStreamSessions, MaxHttpConnections, MaxBridgeClients, MaxBridgeSessions,
            lowered.Count == 0 ? "every cap fits" : "lowered to fit: " + string.Join(", ", lowered));

        int Fit(string setting, long configured, long defaultValue, int share, int free, List<string> changes)
        {
            if (configured <= (configured == defaultValue ? share : free))
            {
                return (int)configured;
            }

            if (configured != defaultValue)
            {
                throw new StartupException(
                    $"{setting} is {configured}, but only {free} descriptors are free (limit {limit}, {Reserve} kept in reserve, {openNow} open): lower it or raise the limit (ulimit -n)");
            }

            changes.Add($"{setting} {configured} -> {share}");
            return share;
        }
    }

    /// <summary>The process's descriptor limit (the soft one, after raising it to the hard one).</summary>
    public long DescriptorLimit { get; }

    /// <summary>Descriptors kept free for everything that is not a session (HTTP, logs, health, files).</summary>
    public int Reserve { get; }

    /// <summary>TCP and Unix echo sessions at once (<c>Listener:MaxConnections</c>, lowered to fit if it was the default).</summary>
    public int MaxStreamSessions { get; }

    /// <summary>HTTP connections at once (Kestrel's <c>Limits:MaxConcurrentConnections</c>, its share unless set).</summary>
    public int MaxHttpConnections { get; }

    /// <summary>Bridge sessions at once, hub and WebSocket together (<c>Bridge:MaxSessions</c>, lowered to fit if it was the default).</summary>
    public int MaxBridgeSessions { get; }

    /// <summary>Hub connections and WebSockets at once (<c>Bridge:MaxClientConnections</c>, within the HTTP connections).</summary>
    public int MaxBridgeClients { get; }

    /// <summary>
    /// A door's accept failed for want of descriptors or kernel memory: counted as a refusal, and said at most once per
    /// ten seconds (as a warning: the operator should raise the limit or lower the caps).
    /// </summary>
    public void NoteExhausted(SessionKind kind, SocketError error)
    {
        _registry.Refuse(kind, "-", "descriptors exhausted");
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        var last = Interlocked.Read(ref _lastExhaustionWarning);
        if (now - last >= WarnInterval && Interlocked.CompareExchange(ref _lastExhaustionWarning, now, last) == last)
        {
            LogExhausted(kind, error, DescriptorLimit);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Descriptors: limit {Limit} (soft limit was {RaisedFrom}), {Reserve} in reserve; echo sessions {MaxStreamSessions}, HTTP connections {MaxHttpConnections} (hub and WebSocket {MaxBridgeClients}), bridge sessions {MaxBridgeSessions} ({Fit})")]
    private partial void LogBudget(long limit, long raisedFrom, int reserve, int maxStreamSessions, int maxHttpConnections,
        int maxBridgeClients, int maxBridgeSessions, string fit);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Out of descriptors or kernel memory accepting {Kind} clients ({Error}); backing off. Limit {Limit}: raise it (ulimit -n) or lower the caps")]
    private partial void LogExhausted(SessionKind kind, SocketError error, long limit);
}

/// <summary>The process's open-file limit (RLIMIT_NOFILE) and how many descriptors it holds.</summary>
internal static partial class ProcessDescriptors
{
    private const int RlimitNoFile = 7; // Linux

    /// <summary>Raises the soft limit to the hard one; returns the limit now in force and the soft limit before.</summary>
    public static (long Limit, long RaisedFrom) RaiseToHard()
    {
        if (!OperatingSystem.IsLinux() || GetRlimit(RlimitNoFile, out var limits) != 0)
        {
            return (long.MaxValue / 2, long.MaxValue / 2);
        }

        var before = limits.Current;
        if (limits.Current < limits.Maximum)
        {
            var raised = limits with { Current = limits.Maximum };
            if (SetRlimit(RlimitNoFile, in raised) == 0)
            {
                limits = raised;
            }
        }

        return ((long)Math.Min(limits.Current, long.MaxValue / 2), (long)Math.Min(before, long.MaxValue / 2));
    }

    /// <summary>Descriptors open now (0 where /proc is not there).</summary>
    public static int CountOpen() =>
        Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : 0;

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Rlimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRlimit(int resource, out Rlimit limits);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRlimit(int resource, in Rlimit limits);
}
