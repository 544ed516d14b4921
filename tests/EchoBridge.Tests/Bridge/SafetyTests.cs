using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EchoBridge.Tests.Bridge;

public sealed class SafetyTests
{
    [Theory]
    [InlineData("nope")]
    [InlineData("127.0.0.1:22")]
    [InlineData("")]
    public async Task An_unknown_target_is_refused_by_name_and_nothing_is_connected(string target)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);

        var error = await HubErrors.RefusalOf(() => client.OpenAsync(target));

        Assert.Equal($"Unknown target '{target}'. Known targets: echo.", error);
        Assert.Equal(0, host.Registry.GetTotals().TotalSessions);
        Assert.Equal(0, host.Services.GetBridgeSessions().Count);
    }

    [Fact]
    public async Task Unknown_sessions_are_refused_for_every_method()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);
        const string Expected = "Unknown session 'b999'.";

        Assert.Equal(Expected, await HubErrors.RefusalOf(() => client.SendAsync("b999", "x")));
        Assert.Equal(Expected, await HubErrors.RefusalOf(() => client.SendBytesAsync("b999", [1])));
        Assert.Equal(Expected, await HubErrors.RefusalOf(() => client.CloseAsync("b999")));
        await using var frames = client.Receive("b999");
        Assert.Equal(Expected, await HubErrors.RefusalOf(() => frames.NextAsync()));
        var inspect = client.Connection.StreamAsync<TrafficFrame>(nameof(IBridgeHub.Inspect), 424242L).GetAsyncEnumerator();
        Assert.Equal("Unknown listener session 424242.",
            await HubErrors.RefusalOf(() => inspect.MoveNextAsync().AsTask().Within()));
        Assert.Equal("Unknown listener session 424242.", await HubErrors.RefusalOf(() =>
            client.Connection.InvokeAsync(nameof(IBridgeHub.Disconnect), 424242L).Within()));
    }

    [Fact]
    public async Task A_connection_cannot_use_another_connections_session()
    {
        await using var host = await TestHost.StartAsync();
        await using var owner = await BridgeClient.ConnectAsync(host);
        await using var intruder = await BridgeClient.ConnectAsync(host);
        var session = await owner.OpenAsync();

        var expected = $"Unknown session '{session.SessionId}'.";
        Assert.Equal(expected, await HubErrors.RefusalOf(() => intruder.SendAsync(session.SessionId, "x")));
        Assert.Equal(expected, await HubErrors.RefusalOf(() => intruder.CloseAsync(session.SessionId)));
        await using var frames = intruder.Receive(session.SessionId);
        Assert.Equal(expected, await HubErrors.RefusalOf(() => frames.NextAsync()));

        // The owner's session is untouched.
        await using var ownFrames = owner.Receive(session.SessionId);
        await owner.SendAsync(session.SessionId, "still mine");
        Assert.Equal("still mine", await ownFrames.ReadTextAsync(10));
    }

    [Fact]
    public async Task A_refused_target_gets_a_clear_message_naming_it()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: connects are refused
        var port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:Targets:down:Host"] = "127.0.0.1",
            ["Bridge:Targets:down:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var client = await BridgeClient.ConnectAsync(host);

        var error = await HubErrors.RefusalOf(() => client.OpenAsync("down"));

        Assert.Equal("Target 'down' refused the connection.", error);
        Assert.Equal(0, host.Services.GetBridgeSessions().Count);
        Assert.Equal("echo", (await client.OpenAsync()).Target); // the failed attempt used up no session slot
    }

    [Fact]
    public async Task A_target_that_never_answers_fails_within_the_connect_timeout()
    {
        // A listener with a full accept queue: Linux drops further SYNs, so a connect just waits, as to a dead host.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen(0);
        var endPoint = (IPEndPoint)silent.LocalEndPoint!;
        var fillers = Enumerable.Range(0, 3).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        var filling = fillers.Select(f => f.ConnectAsync(endPoint)).ToList();
        await Task.WhenAny(filling).Within();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:Targets:silent:Host"] = "127.0.0.1",
            ["Bridge:Targets:silent:Port"] = endPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bridge:ConnectTimeoutSeconds"] = "1",
        });
        await using var client = await BridgeClient.ConnectAsync(host);
        var clock = Stopwatch.StartNew();

        var error = await HubErrors.RefusalOf(() => client.OpenAsync("silent"));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
        Assert.Equal("Target 'silent' did not answer within 1 s.", error);
        fillers.ForEach(f => f.Dispose());
    }

    [Fact]
    public async Task The_session_limit_per_connection_is_enforced_and_frees_up_on_close()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:MaxSessionsPerConnection"] = "2" });
        await using var client = await BridgeClient.ConnectAsync(host);
        await using var other = await BridgeClient.ConnectAsync(host);
        var first = await client.OpenAsync();
        await client.OpenAsync();

        var error = await HubErrors.RefusalOf(() => client.OpenAsync());

        Assert.Equal("Session limit reached: a connection may have at most 2 bridge sessions open. Close one first.", error);
        await other.OpenAsync(); // the limit is per connection
        await client.CloseAsync(first.SessionId);
        await client.OpenAsync();
        // The echo target accepts each bridge connection on its own accept loop, a moment after the bridge connected.
        await Bounded.UntilAsync(() => host.Registry.GetTotals().TotalSessions == 4, "four echo sessions were accepted");
    }

    [Fact]
    public async Task The_stream_limit_per_connection_is_enforced()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:MaxStreamsPerConnection"] = "2" });
        await using var client = await BridgeClient.ConnectAsync(host);
        using var cancel = new CancellationTokenSource();
        var first = client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), cancel.Token).GetAsyncEnumerator();
        var second = client.Connection.StreamAsync<DashboardSnapshot>(nameof(IBridgeHub.Watch), cancel.Token).GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync().AsTask().Within());
        Assert.True(await second.MoveNextAsync().AsTask().Within());
        var session = await client.OpenAsync();

        await using var frames = client.Receive(session.SessionId);
        var error = await HubErrors.RefusalOf(() => frames.NextAsync());

        Assert.Equal("Stream limit reached: a connection may run at most 2 streams at once. Cancel one first.", error);
        await cancel.CancelAsync();
        var deadline = DateTime.UtcNow + Bounded.Step;
        while (true)
        {
            // The server releases the slots once it has seen the cancellations; retry until it has.
            try
            {
                await using var again = client.Receive(session.SessionId);
                await client.SendAsync(session.SessionId, "ok");
                Assert.Equal("ok", await again.ReadTextAsync(2));
                break;
            }
            catch (HubException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    [Fact]
    public async Task A_send_over_the_size_limit_is_refused_and_the_connection_stays_usable()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Bridge:MaxSendBytes"] = "1000" });
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        await using var frames = client.Receive(session.SessionId);

        var error = await HubErrors.RefusalOf(() => client.SendBytesAsync(session.SessionId, new byte[1001]));
        var textError = await HubErrors.RefusalOf(() => client.SendAsync(session.SessionId, new string('é', 501)));

        Assert.Equal("Message too large: at most 1000 bytes per send (got 1001). Split it.", error);
        Assert.Equal("Message too large: at most 1000 bytes per send (got 1002). Split it.", textError);
        await client.SendAsync(session.SessionId, new string('a', 1000));
        Assert.Equal(new string('a', 1000), await frames.ReadTextAsync(1000));
    }

    [Fact]
    public async Task A_hub_message_over_SignalRs_limit_closes_only_that_connection()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:MaxSendBytes"] = "1000",
            ["Bridge:MaxMessageBytes"] = "2000",
        });
        await using var client = await BridgeClient.ConnectAsync(host);
        await using var bystander = await BridgeClient.ConnectAsync(host);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += error => { closed.TrySetResult(error); return Task.CompletedTask; };

        await Assert.ThrowsAnyAsync<Exception>(() => client.SendBytesAsync("b1", new byte[4000]));

        Assert.NotNull(await closed.Task.Within());
        Assert.Equal(HubConnectionState.Disconnected, client.Connection.State);
        Assert.Equal("echo", (await bystander.OpenAsync()).Target);
    }

    [Fact]
    public async Task Sends_over_the_rate_are_refused_with_a_clear_message()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Bridge:SendRatePerSecond"] = "1",
            ["Bridge:SendBurst"] = "5",
        });
        await using var client = await BridgeClient.ConnectAsync(host);
        var session = await client.OpenAsync();
        var accepted = 0;
        HubException? refused = null;

        for (var i = 0; i < 20 && refused is null; i++)
        {
            try
            {
                await client.SendAsync(session.SessionId, "x");
                accepted++;
            }
            catch (HubException ex)
            {
                refused = ex;
            }
        }

        Assert.NotNull(refused);
        Assert.EndsWith("HubException: Send rate limit reached: at most 1 sends per second (bursts of 5). Slow down.", refused.Message, StringComparison.Ordinal);
        Assert.InRange(accepted, 5, 10); // the burst, plus what refilled while the loop ran
        Assert.Single(await client.Connection.InvokeAsync<List<TargetInfo>>(nameof(IBridgeHub.GetTargets)).Within()); // still connected

        // The rate is each connection's own: another tab still has its whole burst.
        await using var other = await BridgeClient.ConnectAsync(host);
        var otherSession = await other.OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await other.SendAsync(otherSession.SessionId, "y");
        }
    }

    [Fact]
    public async Task The_hub_never_sends_detailed_errors_and_keeps_SignalRs_message_limit()
    {
        await using var host = await TestHost.StartAsync();

        // Global options: SignalR uses them for a hub without AddHubOptions<T> (the bridge has none).
        var options = host.Services.GetRequiredService<IOptions<HubOptions>>().Value;

        Assert.False(options.EnableDetailedErrors);
        Assert.Equal(32 * 1024, options.MaximumReceiveMessageSize);
    }

    [Fact]
    public async Task A_malformed_call_gets_a_generic_error_without_exception_details()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);

        var error = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync(nameof(IBridgeHub.Open)).Within());

        Assert.Equal("Failed to invoke 'Open' due to an error on the server.", error.Message);
        Assert.Single(await client.Connection.InvokeAsync<List<TargetInfo>>(nameof(IBridgeHub.GetTargets)).Within()); // still connected
    }
}
