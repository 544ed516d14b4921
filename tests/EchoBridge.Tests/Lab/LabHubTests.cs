using EchoBridge.Contracts;
using EchoBridge.Lab;
using EchoBridge.Listener;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace EchoBridge.Tests.Lab;

/// <summary>The socket lab's hub methods through a real SignalR client (JSON and MessagePack).</summary>
public sealed class LabHubTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WatchKernel_streams_the_listening_socket_and_the_pause_shows_in_the_view_until_resumed(bool messagePack)
    {
        Assert.True(OperatingSystem.IsLinux(), "the kernel view is read from Linux /proc");
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Listener:Backlog"] = "10" });
        var listener = host.Services.GetRequiredService<EchoListener>();
        await using var client = await BridgeClient.ConnectAsync(host, messagePack);
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var views = client.Connection.StreamAsync<KernelView>(nameof(IBridgeHub.WatchKernel), watching.Token)
            .GetAsyncEnumerator(watching.Token);

        Assert.True(await views.MoveNextAsync().Within());
        var first = views.Current;
        Assert.Null(first.Unavailable);
        Assert.Equal(10, first.Backlog);
        Assert.False(first.AcceptPaused);
        var listen = Assert.Single(first.Sockets, r => r.State == "LISTEN");
        Assert.Equal(host.Tcp.ToString(), listen.Local);
        Assert.Equal(0, listen.AcceptQueue);
        Assert.StartsWith("Listening", listen.Explanation);

        await client.Connection.InvokeAsync(nameof(IBridgeHub.PauseAccepting), 30).Within();
        Assert.True(listener.IsAcceptPaused);
        await NextAsync(views, v => v.AcceptPaused);
        await client.Connection.InvokeAsync(nameof(IBridgeHub.ResumeAccepting)).Within();
        Assert.False(listener.IsAcceptPaused);
        await NextAsync(views, v => !v.AcceptPaused);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    [InlineData(-5)]
    public async Task A_pause_outside_1_to_60_seconds_is_refused_in_plain_words_and_accepting_goes_on(int seconds)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await BridgeClient.ConnectAsync(host);

        var refusal = await HubErrors.RefusalOf(() => client.Connection.InvokeAsync(nameof(IBridgeHub.PauseAccepting), seconds).Within());

        Assert.Equal($"A pause lasts 1 to {SocketLab.MaxPauseSeconds} seconds, not {seconds}.", refusal);
        Assert.False(host.Services.GetRequiredService<EchoListener>().IsAcceptPaused);
    }

    private static async Task NextAsync(IAsyncEnumerator<KernelView> views, Func<KernelView, bool> match)
    {
        var deadline = DateTime.UtcNow + Bounded.Step;
        while (DateTime.UtcNow < deadline)
        {
            Assert.True(await views.MoveNextAsync().Within(), "the stream ended");
            if (match(views.Current))
            {
                return;
            }
        }

        Assert.Fail("no matching view");
    }
}
