using System.Diagnostics;
using EtcdConfiguration.Testing;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace EtcdConfiguration.Client.Tests.Harness;

/// <summary>Waits until etcd's simple tokens issued now have expired, which needs a cluster with a short --auth-token-ttl.</summary>
internal static class TokenExpiry
{
    // When each probe token is tried, in seconds after the first was issued: often at first, where expiry is due
    // (a 2 s TTL, checked by etcd once a second), then rarer up to the bound, for a loaded machine.
    private static readonly int[] _probeSeconds = [1, 2, 3, 4, 5, 6, 8, 11, 15, 20, 25, 30];

    /// <summary>
    /// Issues tokens for <paramref name="user"/> now and tries one after another (a use renews a token's TTL, so each
    /// is used once) until etcd rejects one. A token a client last used before this call has expired by then too.
    /// </summary>
    /// <param name="cluster">The cluster; its first member is asked.</param>
    /// <param name="user">A user with read permission on <paramref name="readableKey"/>.</param>
    /// <param name="password">The user's password.</param>
    /// <param name="readableKey">A key the user may read, so a valid token gets an answer, not a refusal.</param>
    public static async Task WaitUntilTokensIssuedNowExpireAsync(EtcdCluster cluster, string user, string password, string readableKey)
    {
        using var channel = GrpcChannel.ForAddress(cluster.ClientUrls[0]);
        var auth = new Wire.Auth.AuthClient(channel);
        var kv = new Wire.KV.KVClient(channel);
        var sinceIssued = Stopwatch.StartNew();
        var tokens = new Queue<string>();
        foreach (var _ in _probeSeconds)
        {
            var issued = await auth.AuthenticateAsync(new Wire.AuthenticateRequest { Name = user, Password = password }, deadline: Deadline());
            tokens.Enqueue(issued.Token);
        }

        foreach (var second in _probeSeconds)
        {
            var wait = TimeSpan.FromSeconds(second) - sinceIssued.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            try
            {
                await kv.RangeAsync(
                    new Wire.RangeRequest { Key = ByteString.CopyFromUtf8(readableKey) },
                    new Metadata { { "token", tokens.Dequeue() } },
                    Deadline());
            }
            catch (RpcException ex) when (ex.Status.Detail.Contains("invalid auth token", StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"Tokens of user '{user}' did not expire within {_probeSeconds[^1]} s.");
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);
}
