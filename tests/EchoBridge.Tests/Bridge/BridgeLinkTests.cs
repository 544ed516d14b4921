using System.Net;
using EchoBridge.Contracts;
using EchoBridge.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EchoBridge.Tests.Bridge;

public sealed class BridgeLinkTests
{
    private readonly SessionRegistry _registry = new(new FakeTimeProvider(), NullLogger<SessionRegistry>.Instance);

    [Fact]
    public void A_link_made_after_the_listener_registered_the_session_attaches_at_once()
    {
        Assert.True(_registry.TryOpen(SessionKind.Tcp, "127.0.0.1:50001", 10, out var session));

        var link = _registry.LinkBridge(IPEndPoint.Parse("127.0.0.1:50001"), "b1", "hub");

        Assert.Same(session, link.Session);
        Assert.Equal("b1", session.BridgeSessionId);
    }

    [Fact]
    public void A_link_made_before_the_listener_registered_the_session_waits_for_it()
    {
        var link = _registry.LinkBridge(IPEndPoint.Parse("127.0.0.1:50002"), "b2", "hub");
        Assert.Null(link.Session);

        Assert.True(_registry.TryOpen(SessionKind.Tcp, "127.0.0.1:50002", 10, out var session));

        Assert.Same(session, link.Session);
        Assert.Equal("b2", session.BridgeSessionId);
    }

    [Fact]
    public void Only_the_session_with_that_remote_end_is_linked()
    {
        _registry.LinkBridge(IPEndPoint.Parse("127.0.0.1:50003"), "b3", "hub");

        Assert.True(_registry.TryOpen(SessionKind.Tcp, "127.0.0.1:50004", 10, out var other));
        Assert.True(_registry.TryOpen(SessionKind.Unix, "pid 1 uid 0", 10, out var unix));

        Assert.Null(other.BridgeSessionId);
        Assert.Null(unix.BridgeSessionId);
    }

    [Fact]
    public void An_unlinked_pending_link_does_not_attach_to_a_later_session_reusing_the_port()
    {
        var link = _registry.LinkBridge(IPEndPoint.Parse("127.0.0.1:50005"), "b5", "hub");

        _registry.Unlink(link);
        Assert.True(_registry.TryOpen(SessionKind.Tcp, "127.0.0.1:50005", 10, out var later));

        Assert.Null(later.BridgeSessionId);
        Assert.Null(link.Session);
    }

    [Fact]
    public async Task Links_and_registrations_racing_from_many_threads_always_meet()
    {
        const int Count = 2000;
        var links = new BridgeLink[Count];
        var sessions = new Session[Count];

        await Task.WhenAll(
            Task.Run(() => Parallel.For(0, Count, i => links[i] = _registry.LinkBridge(new IPEndPoint(IPAddress.Loopback, 10000 + i), $"b{i}", "hub"))),
            Task.Run(() => Parallel.For(0, Count, i =>
            {
                Assert.True(_registry.TryOpen(SessionKind.Tcp, $"127.0.0.1:{10000 + i}", Count, out var session));
                sessions[i] = session;
            })));

        for (var i = 0; i < Count; i++)
        {
            Assert.Equal($"b{i}", sessions[i].BridgeSessionId);
            Assert.Same(sessions[i], links[i].Session);
        }
    }

    [Fact]
    public void A_session_seen_through_a_dual_mode_listener_meets_the_link_of_its_IPv4_end_point()
    {
        var link = _registry.LinkBridge(IPEndPoint.Parse("127.0.0.1:50007"), "b7", "websocket");

        Assert.True(_registry.TryOpen(SessionKind.Tcp, "127.0.0.1:50007", 10, out var session, IPEndPoint.Parse("[::ffff:127.0.0.1]:50007")));

        Assert.Same(session, link.Session);
        Assert.Equal("websocket", session.BridgeVia);
        Assert.Equal("websocket", session.ToSummary().BridgeVia);
    }

    [Fact]
    public void Closing_a_session_records_why()
    {
        Assert.True(_registry.TryOpen(SessionKind.Tcp, "127.0.0.1:50006", 10, out var session));
        Assert.Null(session.ClosedReason);

        _registry.Close(session, CloseReason.Quit);

        Assert.Equal(CloseReason.Quit, session.ClosedReason);
    }
}
