extern alias bench;

using bench::EchoBridge.Bench.Cli;
using bench::EchoBridge.Bench.Suite;

namespace EchoBridge.Tests.Bench;

/// <summary>The suite's statistics and the parsing of its shapes and hub variants.</summary>
public sealed class SuiteStatisticsTests
{
    [Fact]
    public void The_median_is_the_middle_value_or_the_mean_of_the_middle_two()
    {
        Assert.Equal(3, Statistics.Median([5, 1, 3]));
        Assert.Equal(2.5, Statistics.Median([4, 1, 3, 2]));
        Assert.Equal(7, Statistics.Median([7]));
        Assert.Null(Statistics.Median([]));
    }

    [Fact]
    public void Percentiles_interpolate_between_closest_ranks()
    {
        double[] values = [10, 20, 30, 40, 50];
        Assert.Equal(10, Statistics.Percentile(values, 0));
        Assert.Equal(50, Statistics.Percentile(values, 100));
        Assert.Equal(20, Statistics.Percentile(values, 25));
        Assert.Equal(46, Statistics.Percentile(values, 90)!.Value, 9);
        Assert.Equal(15, Statistics.Percentile([20, 10], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile(values, 101));
    }

    [Fact]
    public void A_ratio_needs_both_figures_and_a_reference_above_zero()
    {
        Assert.Equal(0.5, Statistics.Ratio(50, 100));
        Assert.Null(Statistics.Ratio(null, 100));
        Assert.Null(Statistics.Ratio(50, null));
        Assert.Null(Statistics.Ratio(50, 0));
    }

    [Theory]
    [InlineData("50x64", 50, 64)]
    [InlineData("1x64", 1, 64)]
    [InlineData("10x16384", 10, 16384)]
    public void A_shape_is_connections_x_bytes(string text, int connections, int size)
    {
        var shape = Shape.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(new Shape(connections, size), shape);
        Assert.Equal(text, shape!.Value.ToString());
    }

    [Theory]
    [InlineData("50")]
    [InlineData("50x")]
    [InlineData("0x64")]
    [InlineData("50x1")]
    [InlineData("50X64")]
    [InlineData("-1x64")]
    [InlineData("99999999999x64")]
    public void A_shape_that_is_not_one_says_what_one_is(string text)
    {
        Assert.Null(Shape.Parse(text, out var error));
        Assert.Contains("CONNECTIONSxBYTES", error);
        Assert.Contains($"'{text}'", error);
    }

    [Fact]
    public void A_shape_label_uses_binary_units() => Assert.Equal("10 × 16 KiB", new Shape(10, 16384).Label);

    [Theory]
    [InlineData("json", HubProtocol.Json, false, 1, "--hub-protocol json")]
    [InlineData("json-nowait", HubProtocol.Json, true, 1, "--hub-protocol json --hub-no-wait")]
    [InlineData("messagepack-nowait", HubProtocol.MessagePack, true, 1, "--hub-protocol messagepack --hub-no-wait")]
    [InlineData("messagepack-nowait-x5", HubProtocol.MessagePack, true, 5,
        "--hub-protocol messagepack --hub-no-wait --hub-sessions-per-connection 5")]
    [InlineData("json-x8", HubProtocol.Json, false, 8, "--hub-protocol json --hub-sessions-per-connection 8")]
    public void A_hub_variant_is_protocol_wait_and_sessions_per_connection(string text, HubProtocol protocol, bool noWait, int sessions,
        string arguments)
    {
        var variant = HubVariant.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(new HubVariant(protocol, noWait, sessions), variant);
        Assert.Equal(arguments, string.Join(' ', variant!.BenchArguments()));
        Assert.Equal(text, variant.ToString());
    }

    [Theory]
    [InlineData("xml")]
    [InlineData("json-x0")]
    [InlineData("json-x9")]
    [InlineData("json-nowait-nowait")]
    [InlineData("messagepack-x5-nowait")]
    [InlineData("JSON")]
    [InlineData("")]
    public void A_hub_variant_that_is_not_one_says_what_one_is(string text)
    {
        Assert.Null(HubVariant.Parse(text, out var error));
        Assert.Contains("json or messagepack", error);
        Assert.Contains($"'{text}'", error);
    }
}
