using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal.Watching;

/// <summary>
/// What one response on the Watch stream means and who gets it: a create's answer goes to the oldest create
/// waiting, events and cancels go by watch id, a progress notification for the whole stream goes to every watch;
/// a cancel becomes a typed failure for that watch, or ends the stream when the stream is to blame.
/// Runs under the <see cref="WatchRegistry.Gate"/>.
/// </summary>
internal sealed class WatchResponseRouter(EtcdConnection connection, WatchRegistry registry)
{
    private const string Operation = "Watch";

    /// <summary>Routes one response: creates in order, then by watch id.</summary>
    public void Route(WatchSession session, Wire.WatchResponse response)
    {
        if (response.Created)
        {
            if (!session.TryTakePending(out var pending))
            {
                connection.Logger.LogDebug("etcd at {Endpoint} confirmed watch {WatchId} that no create asked for; ignoring it.", session.Endpoint.Address, response.WatchId);
                return;
            }

            var watcher = pending.Watcher;
            if (response.Canceled || response.WatchId < 0)
            {
                OnCreateRefused(session, watcher, response);
            }
            else if (watcher.Removed)
            {
                session.SendCancel(response.WatchId);
            }
            else
            {
                session.Register(response.WatchId, watcher);
                watcher.OnCreated(response);
            }

            return;
        }

        if (response.WatchId < 0)
        {
            // etcd's answer to a progress request is addressed to every watch of the stream.
            foreach (var watcher in session.Established)
            {
                watcher.OnProgress(response);
            }

            return;
        }

        if (!session.TryGet(response.WatchId, out var target))
        {
            return;
        }

        if (response.Canceled)
        {
            session.Forget(target);
            OnCanceled(session, target, response);
        }
        else
        {
            target.OnEvents(response);
        }
    }

    /// <summary>etcd answered a create with a refusal (created and canceled, watch id -1, or a compaction).</summary>
    private void OnCreateRefused(WatchSession session, WatchSubscription watcher, Wire.WatchResponse response)
    {
        if (watcher.Removed)
        {
            return;
        }

        var reason = response.CancelReason;
        if (IsPermissionDenied(reason) && connection.Auth.Enabled && !watcher.RetriedWithFreshToken)
        {
            // etcd 3.4 reports an expired token on a watch create as "permission denied": try once with a fresh one.
            watcher.RetriedWithFreshToken = true;
            RenewToken(session, reason);
            return;
        }

        OnCanceled(session, watcher, response);
    }

    /// <summary>etcd canceled a watch: end it with a typed failure, or re-create it when the stream is to blame.</summary>
    private void OnCanceled(WatchSession session, WatchSubscription watcher, Wire.WatchResponse response)
    {
        var reason = response.CancelReason ?? string.Empty;
        var endpoint = session.Endpoint.Address;
        if (response.CompactRevision != 0)
        {
            registry.Fail(session, watcher, new EtcdCompactedException(
                $"The etcd watch of {watcher.Description} on {endpoint} cannot go on: history before revision {response.CompactRevision} was compacted and the watch needed revision {watcher.LastRevision + 1}. Read the current state and watch again from its revision.",
                response.CompactRevision,
                Operation,
                endpoint,
                null));
        }
        else if (reason.Contains("no leader", StringComparison.Ordinal))
        {
            session.Stop(WatchSessionEnd.Broken(new EtcdUnavailableException($"etcd at {endpoint} canceled the watch of {watcher.Description}: {reason}")));
        }
        else if (RpcFailure.NeedsNewToken(reason))
        {
            RenewToken(session, reason);
        }
        else if (IsPermissionDenied(reason))
        {
            registry.Fail(session, watcher, new EtcdPermissionDeniedException(
                $"etcd Watch on {endpoint} failed: user '{connection.Auth.Username ?? "(none)"}' may not watch {watcher.Description} ({reason}).",
                Operation,
                endpoint,
                StatusCode.PermissionDenied,
                null));
        }
        else
        {
            var why = reason.Length == 0 ? "without a reason" : $"({reason})";
            registry.Fail(session, watcher, new EtcdException(
                $"etcd at {endpoint} canceled the watch of {watcher.Description} {why}.",
                Operation,
                endpoint,
                StatusCode.Cancelled,
                null));
        }
    }

    private void RenewToken(WatchSession session, string reason)
    {
        connection.Auth.Invalidate(session.AuthToken);
        session.Stop(WatchSessionEnd.NewToken(new EtcdInvalidAuthTokenException(reason)));
    }

    private static bool IsPermissionDenied(string? reason) =>
        reason is not null && reason.Contains("permission denied", StringComparison.Ordinal);
}
