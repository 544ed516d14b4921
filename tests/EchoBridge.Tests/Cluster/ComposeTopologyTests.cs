using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EchoBridge.Contracts;
using EchoBridge.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;

namespace EchoBridge.Tests.Cluster;

/// <summary>
/// compose.yaml's topology as processes: the repository's own haproxy.cfg (real HAProxy) in front of three instances
/// configured as compose configures them, on a private redis-server. Like compose's replicas, the instances have
/// addresses of their own (127.0.0.2, .3, .4) and the same ports; haproxy.cfg takes them from its environment.
/// </summary>
public sealed class ComposeTopologyTests
{
    private const string Token = "compose-topology-token";
    private const string StickyCookie = "ECHOBRIDGE_REPLICA";
    private static readonly string[] Names = ["echobridge-1", "echobridge-2", "echobridge-3"];

    [Fact]
    public async Task HAProxy_with_the_repos_config_balances_echo_with_PROXY_v2_and_keeps_the_hub_sticky_over_three_instances_on_Redis()
    {
        await using var redis = await RedisServer.StartAsync().Within(TimeSpan.FromSeconds(20));
        var (echoPort, httpPort) = (ReplicaPort(), ReplicaPort());
        var hosts = new List<TestHost>();
        try
        {
            for (var i = 0; i < Names.Length; i++)
            {
                hosts.Add(await TestHost.StartAsync(new Dictionary<string, string?>
                {
                    // compose.yaml's settings for every replica …
                    ["ConnectionStrings:Redis"] = redis.ConnectionString,
                    ["EchoBridge:AccessToken"] = Token,
                    ["Listener:ProxyProtocol"] = "true",
                    ["EchoBridge:ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8", // HAProxy's network: loopback here
                    ["EchoBridge:InstanceName"] = Names[i],
                    // … and its address.
                    ["Listener:BindAddress"] = ReplicaAddress(i).ToString(),
                    ["Listener:Port"] = echoPort.ToString(CultureInfo.InvariantCulture),
                    ["Kestrel:Endpoints:Http:Url"] = $"http://{ReplicaAddress(i)}:{httpPort}",
                }));
            }

            var (echoFront, httpFront) = (FreePort.Tcp(), FreePort.Tcp());
            await using var haproxy = HaproxyProcess.Start(Path.Combine(Repository.Root, "haproxy.cfg"), new Dictionary<string, string>
            {
                ["ECHO_BIND"] = $"127.0.0.1:{echoFront}",
                ["HTTP_BIND"] = $"127.0.0.1:{httpFront}",
                ["ECHOBRIDGE_1"] = ReplicaAddress(0).ToString(),
                ["ECHOBRIDGE_2"] = ReplicaAddress(1).ToString(),
                ["ECHOBRIDGE_3"] = ReplicaAddress(2).ToString(),
                ["REPLICA_ECHO_PORT"] = echoPort.ToString(CultureInfo.InvariantCulture),
                ["REPLICA_HTTP_PORT"] = httpPort.ToString(CultureInfo.InvariantCulture),
            });

            // HAProxy's own health checks (httpchk GET /readyz) pass on all three, in both backends.
            await haproxy.StatsUntilAsync(
                rows => rows.Count(r => r["pxname"] is "echo" or "dashboard" && Names.Contains(r["svname"]) &&
                    r["status"] == "UP" && r["check_status"] == "L7OK") == 6,
                "all three replicas UP with L7OK in both backends", TimeSpan.FromSeconds(20));

            // Three echo clients at once: leastconn gives each its own replica; each session's client is the real one.
            var front = new IPEndPoint(IPAddress.Loopback, echoFront);
            var clients = new List<EchoClient>();
            try
            {
                var owners = new List<(TestHost Host, long Id, string Remote)>();
                for (var i = 0; i < 3; i++)
                {
                    var client = await EchoClient.ConnectAsync(front);
                    clients.Add(client);
                    var text = $"hello {i}\r\n";
                    await client.SendAsync(text);
                    Assert.Equal(text, Encoding.UTF8.GetString(await client.ReceiveExactlyAsync(text.Length)));
                    var remote = client.Socket.LocalEndPoint!.ToString()!;
                    TestHost? owner = null;
                    await Bounded.UntilAsync(() => (owner = hosts.FirstOrDefault(h => h.Registry.Sessions.Any(s => s.Remote == remote))) is not null,
                        $"a replica holds the session from {remote} (PROXY v2 gave it the client's address)");
                    owners.Add((owner!, owner!.Registry.Sessions.Single(s => s.Remote == remote).Id, remote));
                }

                Assert.Equal(3, owners.Select(o => o.Host).Distinct().Count());

                // Every replica's Watch (reached through HAProxy, pinned by its cookie) lists all three sessions, each
                // with the name of the replica that holds it.
                foreach (var name in Names)
                {
                    await using var watcher = await ConnectHubAsync(httpFront, Pinned(httpFront, name));
                    var snapshot = await ClusterNodes.SnapshotAsync(watcher, s => owners.All(o => s.Sessions.Any(x =>
                            x.Instance == NameOf(o.Host) && x.Id == o.Id && x.Remote == o.Remote)),
                        $"the three echo sessions on {name}'s Watch");
                    Assert.Equal(name, snapshot.Cluster!.Instance);
                    Assert.True(snapshot.Cluster.Available);
                    Assert.Equal(Names, snapshot.Cluster.Instances.Where(x => x.Up).Select(x => x.Name).Order());
                }

                // `quit` through HAProxy: echoed, answered, closed.
                await clients[0].SendAsync("quit\r\n");
                Assert.Equal("quit\r\nGoodbye.\r\n", await clients[0].ReceiveTextToEndAsync());
                await Bounded.UntilAsync(() => owners[0].Host.Registry.Sessions.All(s => s.Id != owners[0].Id || s.ClosedReason is not null),
                    "the replica closed the quit session");
            }
            finally
            {
                clients.ForEach(c => c.Dispose());
            }

            // A SignalR client through HAProxy (negotiate, then WebSockets) keeps HAProxy's cookie and so stays on one
            // replica: its bridge session echoes and lives on the replica the cookie names.
            var cookies = new CookieContainer();
            await using var hub = await ConnectHubAsync(httpFront, cookies);
            var session = await hub.OpenAsync();
            await using var frames = hub.Receive(session.SessionId);
            await hub.SendAsync(session.SessionId, "through haproxy");
            Assert.Equal("through haproxy", await frames.ReadTextAsync(15));
            var sticky = cookies.GetCookies(new Uri($"http://127.0.0.1:{httpFront}/"))[StickyCookie];
            Assert.NotNull(sticky);
            var stuck = hosts.Single(h => NameOf(h) == sticky.Value);
            Assert.Contains(stuck.Registry.Sessions, s => s.BridgeSessionId == session.SessionId);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    // Replica i's own loopback address, as compose gives each replica an address of its own.
    private static IPAddress ReplicaAddress(int i) => IPAddress.Parse($"127.0.0.{i + 2}");

    private static string NameOf(TestHost host) => host.App.Configuration["EchoBridge:InstanceName"]!;

    // A port free for TCP and UDP on all three replica addresses (the echo listener takes both; Kestrel takes TCP).
    private static int ReplicaPort()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = FreePort.Tcp();
            try
            {
                for (var i = 0; i < Names.Length; i++)
                {
                    using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    tcp.Bind(new IPEndPoint(ReplicaAddress(i), port));
                    using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    udp.Bind(new IPEndPoint(ReplicaAddress(i), port));
                }

                return port;
            }
            catch (SocketException)
            {
                // Taken on one of them: try another.
            }
        }

        throw new InvalidOperationException("no port free on all three replica addresses");
    }

    // A cookie jar that already holds HAProxy's cookie for replica `name`: HAProxy sends every request to it.
    private static CookieContainer Pinned(int httpFront, string name)
    {
        var cookies = new CookieContainer();
        cookies.Add(new Uri($"http://127.0.0.1:{httpFront}/"), new Cookie(StickyCookie, name));
        return cookies;
    }

    private static Task<BridgeClient> ConnectHubAsync(int httpFront, CookieContainer cookies) =>
        BridgeClient.ConnectAsync(new Uri($"http://127.0.0.1:{httpFront}/"), options =>
        {
            options.Transports = HttpTransportType.WebSockets;
            options.Cookies = cookies;
            options.AccessTokenProvider = () => Task.FromResult<string?>(Token);
        });
}
