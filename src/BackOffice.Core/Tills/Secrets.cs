using System.Security.Cryptography;
using System.Text;

namespace BackOffice.Core.Tills;

/// <summary>Till tokens and API keys: random, shown once, stored as SHA-256 (they are high-entropy, so no slow hash is needed).</summary>
public static class Secrets
{
    public static string NewToken(string prefix) =>
        prefix + "_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with a stored hash.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
