using EchoBridge.Hosting;
using StackExchange.Redis;

namespace EchoBridge.Cluster;

/// <summary>
/// Scale-out's settings: the Redis server (<c>ConnectionStrings:Redis</c>, a StackExchange.Redis configuration
/// string) and this instance's name (<c>EchoBridge:InstanceName</c>), plus the fixed pace of the cluster view and the
/// names of what it keeps in Redis (all under <see cref="Prefix"/>, so one Redis can serve other things too).
/// </summary>
public sealed class ClusterSettings(ConfigurationOptions redis, string instanceName)
{
    /// <summary>The connection string's name: <c>ConnectionStrings:Redis</c>.</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>Every key and channel of ours starts with this.</summary>
    public const string Prefix = "echobridge";

    /// <summary>How often an instance publishes its summary and reads the others' (a new session on B shows on A within about two ticks).</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a summary lives in Redis: an instance silent this long is gone.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(5);

    /// <summary>How long a gone instance is still listed (as gone).</summary>
    public static readonly TimeSpan GoneRetention = TimeSpan.FromMinutes(10);

    /// <summary>How long a routed <c>Disconnect</c> waits for the owner's answer, and an <c>Inspect</c> for its next batch.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The sessions one summary carries: the instance's most recently active ones.</summary>
    public const int SummarySessionLimit = 50;

    /// <summary>The Redis configuration (a copy per connection: the multiplexer owns what it is given).</summary>
    public ConfigurationOptions Redis => redis.Clone();

    /// <summary>This instance's name.</summary>
    public string InstanceName { get; } = instanceName;

    /// <summary>The sorted set of instance names, scored by their last heartbeat (Unix milliseconds).</summary>
    public static RedisKey InstancesKey => $"{Prefix}:cluster:instances";

    /// <summary>One instance's summary, expiring after <see cref="Expiry"/>.</summary>
    public static RedisKey SummaryKey(string instance) => $"{Prefix}:cluster:instance:{instance}";

    /// <summary>The channel an instance listens on for routed actions and their answers.</summary>
    public static RedisChannel Inbox(string instance) => RedisChannel.Literal($"{Prefix}:cluster:to:{instance}");

    /// <summary>SignalR's backplane channels' prefix.</summary>
    public static RedisChannel BackplanePrefix => RedisChannel.Literal($"{Prefix}:signalr");

    /// <summary>Whether <paramref name="name"/> is a valid instance name (the rule <c>EchoBridge:InstanceName</c> is held to).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// The Redis configuration from <c>ConnectionStrings:Redis</c>, or null when it is not set (one process, as
    /// without scale-out). Never waits on Redis: a server that is down at start is connected to when it comes up.
    /// </summary>
    public static ConfigurationOptions? ReadRedis(IConfiguration configuration)
    {
        var text = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(text);
        }
        catch (ArgumentException e)
        {
            var reason = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new StartupException($"ConnectionStrings:Redis is not a StackExchange.Redis configuration ('host:port,option=value'): {reason}");
        }

        if (options.EndPoints.Count == 0)
        {
            throw new StartupException("ConnectionStrings:Redis names no Redis server (expected 'host:port', e.g. 'redis:6379')");
        }

        options.AbortOnConnectFail = false; // start never waits on Redis, and keeps retrying
        options.BacklogPolicy = BacklogPolicy.FailFast; // while Redis is away a command fails at once instead of queueing
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 2000); // a slow Redis stalls one cluster tick, never more
        return options;
    }
}
