using System.Net;
using EchoBridge.Contracts;
using EchoBridge.Sessions;

namespace EchoBridge.Lab;

/// <summary>Finds the listener session that serves one of the lab's own clients, to read what the server saw.</summary>
public sealed class LabSessions(SessionRegistry registry, TimeProvider time)
{
    /// <summary>The live session of <paramref name="kind"/> whose client is <paramref name="client"/>, or null.</summary>
    public Session? Find(SessionKind kind, EndPoint? client)
    {
        if (client is not IPEndPoint ip)
        {
            return null;
        }

        var wanted = ip.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port) : ip;
        return registry.Sessions.FirstOrDefault(s => s.Kind == kind && wanted.Equals(s.RemoteEndPoint));
    }

    /// <summary>
    /// Waits for the session of a client that has just connected: the listener registers it right after accepting.
    /// Nothing announces that, so the registry is looked at every few milliseconds; <paramref name="cancellationToken"/>
    /// bounds the wait.
    /// </summary>
    public async Task<Session> WaitForAsync(SessionKind kind, EndPoint? client, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Find(kind, client) is { } session)
            {
                return session;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken);
        }
    }

    /// <summary>
    /// The sizes of the server's reads (or received datagrams) of <paramref name="session"/>, in order, from its recent
    /// traffic. That keeps the first <see cref="TrafficRing.SlotBytes"/> bytes of each read, so a size is exact up to
    /// that: the lab's messages are far smaller.
    /// </summary>
    public static IReadOnlyList<int> ReadSizes(Session session)
    {
        var frames = new List<TrafficFrame>();
        session.Traffic?.CopySince(0, session.TimeOf, frames);
        return [.. frames.Where(f => f.Direction == TrafficDirection.In).Select(f => f.Data.Length)];
    }
}
