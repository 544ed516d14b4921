namespace EchoBridge.Client.Stats;

/// <summary>One point of the chart: the listener's rates at one snapshot.</summary>
public readonly record struct RateSample(DateTimeOffset At, double MessagesIn, double MessagesOut, double BytesIn, double BytesOut);
