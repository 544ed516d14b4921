#:sdk Microsoft.NET.Sdk.Web
#:package Microsoft.AspNetCore.SignalR.Protocols.MessagePack
#:project ../../src/EchoBridge.Contracts/EchoBridge.Contracts.csproj
#:property PublishAot=false

// The ceiling of the bridge on this machine: the bridge hub's contract (Open, a Receive stream of frames, Send) on
// SignalR with the same transport settings as EchoBridge, but with no socket behind it — Send puts the bytes straight
// into the session's frame channel. No relay through SignalR can beat this; bench/hub.sh measures both side by side.
// usage: dotnet run bench/ceiling/SignalRCeiling.cs -- --urls http://127.0.0.1:PORT
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using EchoBridge.Contracts;
using Microsoft.AspNetCore.SignalR;

// As EchoBridge runs: socket completions and the pipes' continuations inline (ListenerExtensions.UseInlineScheduling).
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
builder.Services.AddSignalR().AddMessagePackProtocol();
builder.Services.AddSingleton<CeilingSessions>();
var app = builder.Build();
app.MapHub<CeilingHub>(BridgeHubRoute.Path);
app.Run();

/// <summary>The frame channel of each session, as EchoBridge's bridge keeps them (bounded, 8 frames).</summary>
internal sealed class CeilingSessions
{
    private long _lastId;

    public ConcurrentDictionary<string, Channel<byte[]>> Frames { get; } = new(StringComparer.Ordinal);

    public string Open()
    {
        var id = "b" + Interlocked.Increment(ref _lastId);
        Frames[id] = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        return id;
    }
}

/// <summary>The bridge hub's methods the bench calls, each doing the least it can.</summary>
internal sealed class CeilingHub(CeilingSessions sessions) : Hub
{
    public BridgeSessionInfo Open(string target) => new(sessions.Open(), target, "", "");

    public async IAsyncEnumerable<BridgeFrame> Receive(string sessionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seq = 0L;
        await foreach (var data in sessions.Frames[sessionId].Reader.ReadAllAsync(cancellationToken))
        {
            yield return new BridgeFrame(++seq, data, DateTimeOffset.UtcNow);
        }
    }

    public ValueTask Send(string sessionId, string text) => sessions.Frames[sessionId].Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    public ValueTask SendBytes(string sessionId, byte[] data) => sessions.Frames[sessionId].Writer.WriteAsync(data);
}
