using System.Security.Cryptography;
using System.Text;

namespace EchoBridge.Hosting;

/// <summary>The optional shared secret of the hub and dashboard (<c>EchoBridge:AccessToken</c>; empty = open).</summary>
public sealed class AccessToken
{
    /// <summary>The setting's key.</summary>
    public const string Setting = "EchoBridge:AccessToken";

    /// <summary>The query parameter SignalR's browser client uses for WebSockets, also accepted by the dashboard.</summary>
    public const string QueryParameter = "access_token";

    /// <summary>The HttpOnly cookie a dashboard visit with <c>?access_token=</c> gets.</summary>
    public const string CookieName = "echobridge_token";

    private readonly byte[] _expected;

    /// <summary>Reads the token from configuration.</summary>
    public AccessToken(IConfiguration configuration)
    {
        Value = configuration[Setting] ?? "";
        _expected = SHA256.HashData(Encoding.UTF8.GetBytes(Value));
    }

    /// <summary>The token, or empty when none is required.</summary>
    public string Value { get; }

    /// <summary>Whether a token is required.</summary>
    public bool Required => Value.Length > 0;

    /// <summary>
    /// Whether <paramref name="presented"/> is the token. Hashes of equal length are compared in constant time, so
    /// timing tells neither the token's bytes nor its length.
    /// </summary>
    public bool Matches(string? presented) =>
        Required && presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
}
