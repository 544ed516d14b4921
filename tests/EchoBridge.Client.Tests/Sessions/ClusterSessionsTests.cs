using EchoBridge.Client.Sessions;
using EchoBridge.Client.Status;
using EchoBridge.Client.Tests.Fakes;
using EchoBridge.Contracts;

namespace EchoBridge.Client.Tests.Sessions;

/// <summary>The dashboard of one instance of a cluster: an instance column, routed actions, the instances strip.</summary>
public class ClusterSessionsTests : DashboardTestContext
{
    private static readonly SessionSummary[] Both =
    [
        Snapshots.Session(3, remote: "127.0.0.1:40003") with { Instance = "alpha" },
        Snapshots.Session(3, remote: "127.0.0.1:50003") with { Instance = "bravo" },
    ];

    private IRenderedComponent<SessionsTable> RenderTable() => Render<SessionsTable>(p => p
        .Add(c => c.Sessions, Both)
        .Add(c => c.Active, Both.Length)
        .Add(c => c.Here, "alpha")
        .Add(c => c.Now, Snapshots.Start.AddMinutes(1)));

    [Fact]
    public void Sessions_with_the_same_id_on_two_instances_are_both_listed_with_their_instance()
    {
        var cut = RenderTable();

        Assert.Contains("Instance", cut.FindAll("th").Select(h => h.TextContent.Trim()));
        Assert.Equal(["alpha", "bravo"], cut.FindAll("td[data-testid=instance]").Select(c => c.TextContent));
        // Captures live on their own instance: a remote row offers no export or replay here.
        Assert.Single(cut.FindAll("a[aria-label='Export session 3 as pcapng']"));
        Assert.Equal("api/captures.pcapng?ids=3", cut.Find("[data-testid=export-shown]").GetAttribute("href"));
    }

    [Fact]
    public void Disconnect_of_a_session_on_another_instance_names_that_instance()
    {
        var cut = RenderTable();

        cut.Find("button[aria-label='Disconnect session 3 on bravo']").Click();
        Assert.Contains("Disconnect session 3 (tcp 127.0.0.1:50003 on bravo)?", cut.Find("[role=alertdialog]").TextContent, StringComparison.Ordinal);
        cut.Find("[role=alertdialog] button.danger").Click();

        Assert.Equal([("bravo", 3L)], Hub.RoutedTo);
    }

    [Fact]
    public void On_a_single_server_there_is_no_instance_column()
    {
        var cut = Render<SessionsTable>(p => p.Add(c => c.Sessions, [Snapshots.Session(1)]).Add(c => c.Active, 1));

        Assert.DoesNotContain("Instance", cut.FindAll("th").Select(h => h.TextContent.Trim()));
        Assert.Empty(cut.FindAll("td[data-testid=instance]"));
    }

    [Fact]
    public void The_instances_strip_shows_who_is_up_who_is_gone_and_an_unavailable_view()
    {
        var now = Snapshots.Start.AddMinutes(5);
        var counters = new ListenerCounters(2, 5, 0, 0, 0, 0, 0, 0, 0, 12, 12);
        var cluster = new ClusterStatus("alpha", true,
        [
            new InstanceStatus("alpha", true, Snapshots.Start, now, null, counters),
            new InstanceStatus("bravo", false, null, now.AddSeconds(-20), now.AddSeconds(-15), null),
        ]);

        var cut = Render<InstancesStrip>(p => p.Add(c => c.Cluster, cluster).Add(c => c.Now, now));

        Assert.Contains("alpha (this one)", cut.Find("[data-testid=instance-alpha]").TextContent, StringComparison.Ordinal);
        Assert.Contains("2 sessions", cut.Find("[data-testid=instance-alpha]").TextContent, StringComparison.Ordinal);
        Assert.Contains("gone 15 s ago", cut.Find("[data-testid=instance-bravo]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=cluster-unavailable]"));

        cut.Render(p => p.Add(c => c.Cluster, cluster with { Available = false, Instances = [cluster.Instances[0]] }));
        Assert.Contains("cluster view unavailable", cut.Find("[data-testid=cluster-unavailable]").TextContent, StringComparison.Ordinal);

        cut.Render(p => p.Add(c => c.Cluster, null));
        Assert.Empty(cut.FindAll("[data-testid=instances]"));
    }
}
