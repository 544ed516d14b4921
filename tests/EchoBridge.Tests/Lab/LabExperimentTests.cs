using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
using EchoBridge.Lab;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EchoBridge.Tests.Lab;

/// <summary>The lab's experiments through a real SignalR client against the real product, on real sockets.</summary>
public sealed class LabExperimentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SO_REUSEADDR_a_port_in_TIME_WAIT_refuses_a_bind_without_the_option_and_takes_one_with_it(bool messagePack)
    {
        Assert.True(OperatingSystem.IsLinux(), "the experiment reads Linux /proc and calls Linux bind(2)");
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host, messagePack);

        var result = await client.Connection.InvokeAsync<ReuseAddressResult>(nameof(IBridgeHub.RunReuseAddress)).Within();

        Assert.Equal(nameof(SocketError.AddressAlreadyInUse), result.WithoutReuse);
        Assert.Equal("ok", result.WithReuse);
        Assert.True(result.TimeWaitSockets >= 1, "the closed connection waits in TIME_WAIT on the lab port");
        Assert.NotEqual(host.Tcp.Port, result.Port);
        // The kernel still holds the lab port's TIME_WAIT (about a minute): seen here by the test's own reading.
        var table = KernelSocketTable.Parse(await File.ReadAllTextAsync("/proc/net/tcp"), ipv6: false, (local, _) => local == result.Port);
        Assert.Contains(table.Sockets, s => s.State == TcpState.TimeWait && s.Local.Equals(new IPEndPoint(IPAddress.Loopback, result.Port)));
    }

    [Fact]
    public void DotNet_Bind_sets_SO_REUSEADDR_itself_on_Linux_which_is_why_the_experiment_binds_with_bind_2()
    {
        Assert.True(OperatingSystem.IsLinux(), "System.Native's bind behaviour on Linux");
        using var dotnet = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        RawBind.SetReuseAddress(dotnet, false);
        dotnet.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(RawBind.ReuseAddress(dotnet));

        var (raw, error) = RawBind.Bind(new IPEndPoint(IPAddress.Loopback, 0), reuseAddress: false);
        using (raw)
        {
            Assert.Equal(SocketError.Success, error);
            Assert.False(RawBind.ReuseAddress(raw!));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Three_quick_sends_are_one_stream_over_TCP_and_three_datagrams_over_UDP(bool messagePack)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host, messagePack);

        var result = await client.Connection.InvokeAsync<StreamDatagramResult>(nameof(IBridgeHub.RunStreamDatagram)).Within();

        Assert.Equal([5, 8, 6], result.Sent);
        // TCP may deliver the three in one read or more: every read has bytes, and together they are what was sent.
        Assert.NotEmpty(result.TcpReads);
        Assert.All(result.TcpReads, size => Assert.True(size > 0));
        Assert.Equal(result.Sent.Sum(), result.TcpReads.Sum());
        // UDP keeps each send's boundary.
        Assert.Equal(result.Sent, result.UdpDatagrams);
        Assert.Equal(1, host.Registry.TotalOf(SessionKind.Tcp));
        Assert.Equal(1, host.Registry.TotalOf(SessionKind.Udp));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_a_half_close_the_whole_echo_arrives_before_the_servers_close(bool messagePack)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host, messagePack);

        var result = await client.Connection.InvokeAsync<HalfCloseResult>(nameof(IBridgeHub.RunHalfClose)).Within();

        Assert.Equal(HalfCloseExperiment.Line.Length, result.Sent);
        Assert.Equal(result.Sent, result.Echoed);
        Assert.True(result.EchoBeforeClose);
        Assert.Equal("closed by client", result.CloseReason);
        Assert.Empty(host.Registry.Sessions);
    }

    [Theory]
    [InlineData(LabExperiment.ReuseAddress, nameof(IBridgeHub.RunReuseAddress), "SO_REUSEADDR")]
    [InlineData(LabExperiment.StreamDatagram, nameof(IBridgeHub.RunStreamDatagram), "stream versus datagram")]
    [InlineData(LabExperiment.HalfClose, nameof(IBridgeHub.RunHalfClose), "half-close")]
    public async Task A_second_run_of_an_experiment_while_one_runs_is_refused_and_the_next_one_runs(LabExperiment kind, string method, string name)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        var gate = host.Services.GetRequiredService<ExperimentGate>();

        using (var running = gate.TryEnter(kind))
        {
            Assert.NotNull(running);
            Assert.Null(gate.TryEnter(kind));
            var refusal = await HubErrors.RefusalOf(() => client.Connection.InvokeAsync<object>(method).Within());
            Assert.Equal($"The {name} experiment is already running; try again in a moment.", refusal);
            Assert.Equal(0, host.Registry.TotalOf(SessionKind.Tcp));
        }

        Assert.False(gate.IsRunning(kind));
        await client.Connection.InvokeAsync<object>(method).Within();
        Assert.False(gate.IsRunning(kind));
    }

    [Fact]
    public async Task Experiments_that_need_the_echo_are_refused_while_accepting_is_paused_or_udp_is_off()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Udp:Enabled"] = "false" });
        await using var client = await BridgeClient.ConnectAsync(host);

        var noUdp = await HubErrors.RefusalOf(() => client.Connection.InvokeAsync<StreamDatagramResult>(nameof(IBridgeHub.RunStreamDatagram)).Within());
        Assert.Equal("The stream versus datagram experiment cannot run: the UDP echo is off (Listener:Udp:Enabled).", noUdp);

        await client.Connection.InvokeAsync(nameof(IBridgeHub.PauseAccepting), 30).Within();
        var paused = await HubErrors.RefusalOf(() => client.Connection.InvokeAsync<HalfCloseResult>(nameof(IBridgeHub.RunHalfClose)).Within());
        Assert.Equal("The half-close experiment cannot run while accepting is paused (the backlog experiment); resume accepting first.", paused);
        Assert.True(host.Services.GetRequiredService<EchoListener>().IsAcceptPaused);

        await client.Connection.InvokeAsync(nameof(IBridgeHub.ResumeAccepting)).Within();
        var result = await client.Connection.InvokeAsync<HalfCloseResult>(nameof(IBridgeHub.RunHalfClose)).Within();
        Assert.True(result.EchoBeforeClose);
    }

    [Fact]
    public async Task A_lab_client_turned_away_by_the_per_address_cap_is_a_refusal_in_words_and_the_slot_is_free_again()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:MaxConnectionsPerAddress"] = "1" });
        using var occupant = await EchoClient.ConnectAsync(host.Tcp);
        await occupant.SendAsync("x\n");
        Assert.Equal("x\n"u8.ToArray(), await occupant.ReceiveExactlyAsync(2));
        await using var client = await BridgeClient.ConnectAsync(host);

        var refusal = await HubErrors.RefusalOf(() => client.Connection.InvokeAsync<StreamDatagramResult>(nameof(IBridgeHub.RunStreamDatagram)).Within());

        Assert.Equal("The echo listener did not echo the lab's lines (is it at a connection limit?).", refusal);
        Assert.False(host.Services.GetRequiredService<ExperimentGate>().IsRunning(LabExperiment.StreamDatagram));
    }

    [Fact]
    public async Task An_experiment_past_its_time_limit_is_abandoned_with_a_refusal_and_frees_its_slot()
    {
        var gate = new ExperimentGate { Limit = TimeSpan.FromMilliseconds(200) };

        var refusal = await Assert.ThrowsAsync<HubException>(() => gate.RunAsync(LabExperiment.HalfClose,
            async token => { await Task.Delay(Timeout.InfiniteTimeSpan, token); return 0; }, CancellationToken.None).Within());

        Assert.Equal("The half-close experiment did not finish within 0.2 seconds.", refusal.Message);
        Assert.False(gate.IsRunning(LabExperiment.HalfClose));
    }

    [Fact]
    public async Task A_lab_sockets_failure_is_a_refusal_naming_the_error_and_frees_the_slot()
    {
        var gate = new ExperimentGate();

        var refusal = await Assert.ThrowsAsync<HubException>(() => gate.RunAsync<int>(LabExperiment.StreamDatagram,
            _ => throw new SocketException((int)SocketError.ConnectionRefused), CancellationToken.None).Within());

        Assert.Equal("The stream versus datagram experiment failed: ConnectionRefused.", refusal.Message);
        Assert.False(gate.IsRunning(LabExperiment.StreamDatagram));
    }

    [Fact]
    public async Task Without_the_kernels_socket_table_the_SO_REUSEADDR_experiment_says_it_is_unavailable()
    {
        var experiment = new ReuseAddressExperiment(new FakeTimeProvider()) { ProcNet = Path.Combine(Path.GetTempPath(), $"no-proc-{Guid.NewGuid():N}") };

        var refusal = await Assert.ThrowsAsync<HubException>(() => experiment.RunAsync(CancellationToken.None).Within());

        Assert.Equal("The SO_REUSEADDR experiment needs the kernel's socket table, which only Linux shows (/proc/net/tcp).", refusal.Message);
    }
}
