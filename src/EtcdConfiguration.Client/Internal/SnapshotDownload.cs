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
        var tokenRefreshed = false;
        while (true)
        {
            var token = connection.Auth.CurrentToken;
            long written = 0;
            try
            {
                // Streams have no deadline: a snapshot takes as long as the database is large. Keep-alive pings
                // notice a dead connection, and the caller's token bounds the wait.
                var options = await connection.CreateCallOptionsAsync(target, requireLeader: false, cancellationToken);
                token = connection.Auth.CurrentToken;
                using var call = target.Maintenance.Snapshot(new Wire.SnapshotRequest(), options);
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    await destination.WriteAsync(chunk.Blob.Memory, cancellationToken);
                    written += chunk.Blob.Length;
                }

                connection.ReportSuccess(target);
                await destination.FlushAsync(cancellationToken);
                return written;
            }
            catch (RpcException ex) when (RpcFailure.NeedsNewToken(ex) && !tokenRefreshed && written == 0)
            {
                tokenRefreshed = true;
                connection.Auth.Invalidate(token);
            }
            catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"etcd {Operation} on {target.Address} was canceled.", ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                // A failure after the first bytes leaves a partial copy; the caller's contract says to discard it.
                throw EndpointCalls.Translate(connection, ex, Operation, target);
            }
        }
    }
}
