using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EtcdConfiguration.Client.Internal.Leasing;

/// <summary>
/// The leases one client keeps alive, the keep-alive stream they are on now, and why the last stream broke.
/// Every member takes <see cref="Gate"/> (it is reentrant), the one lock of the keep-alive state.
/// </summary>
internal sealed class LeaseTable(TimeProvider time)
{
    private readonly Dictionary<long, KeptLease> _leases = [];
    private TaskCompletionSource _wakeup = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _session;
    private EndpointChannel? _sessionEndpoint;
    private bool _disposed;

    // Why the stream last broke and where, for the message of a lease that expires while it cannot reconnect.
    private Exception? _lastFailure;
    private string? _lastFailedEndpoint;

    public Lock Gate { get; } = new();

    /// <summary>How many leases are kept alive.</summary>
    public int Count
    {
        get
        {
            lock (Gate)
            {
                return _leases.Count;
            }
        }
    }

    /// <summary>The endpoint the keep-alive stream is open on; <see langword="null"/> while none is.</summary>
    public string? StreamEndpoint
    {
        get
        {
            lock (Gate)
            {
                return _sessionEndpoint?.Address;
            }
        }
    }

    /// <summary>Completes when a lease was added since the sender last looked: it has a renewal to send at once.</summary>
    public Task Wakeup
    {
        get
        {
            lock (Gate)
            {
                return _wakeup.Task;
            }
        }
    }

    /// <summary>
    /// Keeps <paramref name="id"/> alive for a new reader of its renewals, renewing it at once; <paramref name="knownTtlSeconds"/>,
    /// when the caller knows the lease lives that long from now, starts its deadline before the first renewal.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public Channel<LeaseKeepAliveResponse> Add(long id, long? knownTtlSeconds = null)
    {
        lock (Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(EtcdClient));
            if (!_leases.TryGetValue(id, out var lease))
            {
                lease = new KeptLease(id, time);
                _leases.Add(id, lease);
            }

            if (knownTtlSeconds is { } ttl)
            {
                // The caller just granted the lease: its deadline runs from now, not from the first renewal.
                lease.Deadline.Known(ttl);
            }

            var reader = lease.AddReader();
            if (!lease.InFlight)
            {
                // A new reader gets a renewal at once, not a third of the TTL later; one in flight serves it too.
                lease.RenewNow();
            }

            _wakeup.TrySetResult();
            _wakeup = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return reader;
        }
    }

    /// <summary>A reader left: the lease is no longer renewed once it has no reader, and the stream closes with the last.</summary>
    public void Remove(long id, Channel<LeaseKeepAliveResponse> reader)
    {
        lock (Gate)
        {
            if (!_leases.TryGetValue(id, out var lease) || !lease.RemoveReader(reader))
            {
                return;
            }

            reader.Writer.TryComplete();
            if (!lease.HasReaders)
            {
                _leases.Remove(id);
            }

            StopSessionIfEmpty();
        }
    }

    /// <summary>The lease was revoked by this client: its readers end normally.</summary>
    public void Release(long id)
    {
        lock (Gate)
        {
            if (_leases.Remove(id, out var lease))
            {
                lease.Complete(null);
            }

            StopSessionIfEmpty();
        }
    }

    /// <summary>Ends every keep-alive normally; false when already disposed. Unless <paramref name="dispose"/>, later ones are accepted.</summary>
    public bool TryClose(bool dispose)
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return false;
            }

            _disposed = dispose;
            FailAll(null);
            return true;
        }
    }

    /// <summary>Ends every keep-alive: normally (null) or with <paramref name="failure"/>.</summary>
    public void FailAll(Exception? failure)
    {
        lock (Gate)
        {
            foreach (var lease in _leases.Values)
            {
                lease.Complete(failure);
            }

            _leases.Clear();
        }
    }

    /// <summary>
    /// Makes <paramref name="session"/> the open stream and marks every lease due at once; false when no lease is
    /// left.
    /// </summary>
    public bool TryAttach(CancellationTokenSource session, EndpointChannel endpoint)
    {
        lock (Gate)
        {
            if (_leases.Count == 0)
            {
                return false;
            }

            _session = session;
            _sessionEndpoint = endpoint;
            foreach (var lease in _leases.Values)
            {
                lease.RenewNow();
            }

            return true;
        }
    }

    /// <summary><paramref name="session"/> ended: it is no longer the open stream.</summary>
    public void Detach(CancellationTokenSource session)
    {
        lock (Gate)
        {
            if (_session == session)
            {
                _session = null;
                _sessionEndpoint = null;
            }
        }
    }

    /// <summary>Ends the open stream if it is on one of the <paramref name="removed"/> endpoints, so it reconnects.</summary>
    public void BreakIfOn(IReadOnlyList<EndpointChannel> removed)
    {
        lock (Gate)
        {
            if (_sessionEndpoint is { } endpoint && removed.Contains(endpoint))
            {
                _session?.Cancel();
            }
        }
    }

    /// <summary>The stream on <paramref name="endpoint"/> broke with <paramref name="cause"/>.</summary>
    public void RecordFailure(Exception cause, string endpoint)
    {
        lock (Gate)
        {
            _lastFailure = cause;
            _lastFailedEndpoint = endpoint;
        }
    }

    /// <summary>
    /// The leases whose renewal is due now (each marked in flight) and how long until the next is; a
    /// <see cref="TimeoutException"/> instead when a renewal went unanswered longer than <paramref name="timeout"/>.
    /// </summary>
    public TimeoutException? TakeDue(TimeSpan timeout, List<long> due, ref TimeSpan wait)
    {
        var now = Stopwatch.GetTimestamp();
        lock (Gate)
        {
            foreach (var lease in _leases.Values)
            {
                switch (lease.Step(now, timeout, ref wait))
                {
                    case KeptLease.RenewalStep.Stalled:
                        return new TimeoutException(
                            $"etcd did not answer the keep-alive of lease {lease.Id} within {timeout.TotalSeconds:0.###} s (RequestTimeout).");
                    case KeptLease.RenewalStep.Send:
                        due.Add(lease.Id);
                        break;
                }
            }

            return null;
        }
    }

    /// <summary>Routes a renewal to the lease's readers, or ends them when etcd says the lease is gone.</summary>
    public void OnRenewal(EndpointChannel endpoint, Wire.LeaseKeepAliveResponse response)
    {
        lock (Gate)
        {
            if (!_leases.TryGetValue(response.ID, out var lease))
            {
                return;
            }

            if (response.TTL <= 0)
            {
                lease.Answered();
                _leases.Remove(lease.Id);
                lease.Complete(LeaseErrors.NotFound(lease.Id, "Lease.KeepAlive", endpoint.Address));
                return;
            }

            lease.Renewed(response.TTL);
            _lastFailure = null;
            _lastFailedEndpoint = null;
            lease.Publish(new LeaseKeepAliveResponse(response));
        }
    }

    /// <summary>
    /// Ends each lease whose last TTL has run out with no renewal since; returns how long until the next may run out
    /// (at most <paramref name="longest"/>).
    /// </summary>
    public TimeSpan ExpireOverdue(TimeSpan longest, string endpointList, ILogger logger)
    {
        var wait = longest;
        lock (Gate)
        {
            List<KeptLease>? expired = null;
            foreach (var lease in _leases.Values)
            {
                if (lease.Deadline.Remaining is not { } remaining)
                {
                    continue;
                }

                if (remaining == TimeSpan.Zero)
                {
                    (expired ??= []).Add(lease);
                }
                else if (remaining < wait)
                {
                    wait = remaining;
                }
            }

            foreach (var lease in expired ?? [])
            {
                var failure = LeaseErrors.Expired(lease.Id, lease.Deadline.Ttl!.Value, endpointList, _lastFailedEndpoint, _lastFailure);
                logger.LogWarning("{Message}", failure.Message);
                _leases.Remove(lease.Id);
                lease.Complete(failure);
            }

            if (expired is not null)
            {
                StopSessionIfEmpty();
            }
        }

        return wait;
    }

    private void StopSessionIfEmpty()
    {
        if (_leases.Count == 0)
        {
            _session?.Cancel();
        }
    }
}
