using EchoBridge.Client.Dashboard;
using EchoBridge.Client.Stats;
using EchoBridge.Client.Tests.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace EchoBridge.Client.Tests.Stats;

public class StatsTests
{
    public StatsTests() => TestCulture.Use("en");

    [Fact]
    public void History_keeps_only_the_last_minute()
    {
        var history = new RateHistory();
        for (var s = 0; s <= 90; s++)
        {
            history.Add(Snapshots.Snapshot(messagesIn: s, at: TimeSpan.FromSeconds(s)));
        }

        Assert.Equal(30, history.Samples.First().MessagesIn);
        Assert.Equal(90, history.Samples.Last().MessagesIn);
    }

    [Theory]
    [InlineData(999, "999")]
    [InlineData(1500, "1.5 k")]
    [InlineData(2_500_000, "2.5 M")]
    public void Counts_read_like_people_say_them(double value, string shown) => Assert.Equal(shown, Units.Count(value));

    [Fact]
    public void Durations_read_like_people_say_them()
    {
        Assert.Equal("42 s", Units.Duration(TimeSpan.FromSeconds(42)));
        Assert.Equal("3 m 05 s", Units.Duration(TimeSpan.FromSeconds(185)));
        Assert.Equal("2 h 07 m", Units.Duration(TimeSpan.FromMinutes(127)));
    }

    [Fact]
    public async Task Throttle_renders_once_per_interval_and_never_drops_the_last_request()
    {
        var time = new FakeTimeProvider();
        var renders = 0;
        var throttle = new RenderThrottle(() => { Interlocked.Increment(ref renders); return Task.CompletedTask; }, TimeSpan.FromMilliseconds(250), time);

        throttle.Request();           // first one renders at once
        for (var i = 0; i < 1000; i++)
        {
            throttle.Request();       // the rest collapse into one trailing render
        }

        Assert.Equal(1, Volatile.Read(ref renders));
        time.Advance(TimeSpan.FromMilliseconds(250));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Volatile.Read(ref renders) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        Assert.Equal(2, Volatile.Read(ref renders));
    }
}
