using Grpc.Core;

namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// Copies a member's snapshot stream into a caller's <see cref="Stream"/> as it arrives, so a database of any
/// size passes through without being held in memory.
/// </summary>
internal static class SnapshotDownload
{
    public const string Operation = "Maintenance.Snapshot";

    public static async Task<long> CopyAsync(EtcdConnection connection, EndpointChannel target, Stream destination, CancellationToken cancellationToken)
    {
        long written = 0;
        var total = await EndpointCalls.RunAsync(
            connection,
            target,
            Operation,
            async options =>
            {
                // Streams have no deadline: a snapshot takes as long as the database is large. Keep-alive pings
                // notice a dead connection, and the caller's token bounds the wait.
                written = 0;
                using var call = target.Maintenance.Snapshot(new Wire.SnapshotRequest(), options);
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    await destination.WriteAsync(chunk.Blob.Memory, cancellationToken);
                    written += chunk.Blob.Length;
                }

                return written;
            },
            // A failure after the first bytes leaves a partial copy, which the caller's contract says to discard:
            // only an attempt that wrote nothing may be repeated with a new token.
            mayRenewToken: () => written == 0,
            cancellationToken);
        await destination.FlushAsync(cancellationToken);
        return total;
    }
}
