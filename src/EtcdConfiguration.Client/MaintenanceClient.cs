using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>
/// Maintenance calls, as Go's <c>clientv3.Maintenance</c> offers them: status, alarms, defragmentation, hashes,
/// snapshots and leader transfer.
/// </summary>
/// <remarks>
/// Calls that name an endpoint ask that member and no other: they do not fail over or retry, since another
/// member's answer would answer another question. The others go through the client's usual policy: alarm lists
/// are retried on transient failures, disarming and leader transfer only when the request never left.
/// </remarks>
public sealed class MaintenanceClient
{
    private readonly EtcdConnection _connection;

    internal MaintenanceClient(EtcdConnection connection) => _connection = connection;

    /// <summary>Asks one member (the one in <paramref name="endpoint"/>, or the client's current one) for its status.</summary>
    /// <param name="endpoint">An endpoint of this client, or <see langword="null"/> for the current one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The member's version, leader, database size and raft indexes.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not one of this client's endpoints.</exception>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public async Task<StatusResponse> StatusAsync(string? endpoint = null, CancellationToken cancellationToken = default)
    {
        if (endpoint is null)
        {
            var response = await _connection.UnaryAsync(
                "Maintenance.Status",
                static (channel, options) => channel.Maintenance.StatusAsync(new Wire.StatusRequest(), options),
                idempotent: true,
                cancellationToken);
            return StatusResponse.From(response);
        }

        var target = EndpointCalls.Find(_connection, endpoint, nameof(endpoint));
        return await StatusOfAsync(target, cancellationToken);
    }

    /// <summary>
    /// Asks every endpoint of the client for its status at once (<c>etcdctl endpoint status</c>). An endpoint
    /// that fails gives its error instead of failing the whole call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>One entry per endpoint, in the client's order.</returns>
    public async Task<IReadOnlyList<EndpointStatus>> StatusAllAsync(CancellationToken cancellationToken = default)
    {
        var answers = await Task.WhenAll(_connection.Endpoints.Select(async target =>
        {
            try
            {
                return new EndpointStatus(target.Address, await StatusOfAsync(target, cancellationToken), null);
            }
            catch (EtcdException ex)
            {
                return new EndpointStatus(target.Address, null, ex);
            }
        }));
        cancellationToken.ThrowIfCancellationRequested();
        return answers;
    }

    /// <summary>Lists the alarms raised by any member (<c>etcdctl alarm list</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The active alarms; none when the cluster is healthy.</returns>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public async Task<AlarmResponse> AlarmListAsync(CancellationToken cancellationToken = default)
    {
        var request = new Wire.AlarmRequest { Action = Wire.AlarmRequest.Types.AlarmAction.Get };
        var response = await _connection.UnaryAsync(
            "Maintenance.Alarm",
            (channel, options) => channel.Maintenance.AlarmAsync(request, options),
            idempotent: true,
            cancellationToken);
        return AlarmResponse.From(response);
    }

    /// <summary>
    /// Disarms an alarm (<c>etcdctl alarm disarm</c>). Free the space first (compact, then defragment every
    /// member) before disarming <see cref="AlarmType.NoSpace"/>, or the next write raises it again.
    /// </summary>
    /// <param name="alarm">The member and alarm to disarm; <see langword="null"/> disarms every active alarm.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The alarms that were disarmed.</returns>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public async Task<AlarmResponse> AlarmDisarmAsync(AlarmMember? alarm = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AlarmMember> targets = alarm is null ? (await AlarmListAsync(cancellationToken)).Alarms : [alarm];
        var disarmed = new List<AlarmMember>();
        var header = new ResponseHeader(0, 0, 0, 0);
        foreach (var target in targets)
        {
            var request = new Wire.AlarmRequest
            {
                Action = Wire.AlarmRequest.Types.AlarmAction.Deactivate,
                MemberID = target.MemberId,
                Alarm = (Wire.AlarmType)target.Alarm,
            };
            var response = await _connection.UnaryAsync(
                "Maintenance.Alarm",
                (channel, options) => channel.Maintenance.AlarmAsync(request, options),
                idempotent: false,
                cancellationToken);
            var result = AlarmResponse.From(response);
            header = result.Header;
            disarmed.AddRange(result.Alarms);
        }

        return new AlarmResponse(header, disarmed);
    }

    /// <summary>
    /// Defragments one member's backend database, giving the space freed by compaction back to the file system
    /// (<c>etcdctl defrag</c>). The member answers nothing else while it runs; defragment members one at a time.
    /// </summary>
    /// <param name="endpoint">The member's endpoint, one of this client's.</param>
    /// <param name="cancellationToken">Cancels the wait (the member may finish anyway).</param>
    /// <returns>The response header.</returns>
    /// <remarks>The call is bounded by <see cref="EtcdClientOptions.RequestTimeout"/>; raise it for a large database.</remarks>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not one of this client's endpoints.</exception>
    /// <exception cref="EtcdException">The call failed (typed subclasses say why).</exception>
    public async Task<ResponseHeader> DefragmentAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var target = EndpointCalls.Find(_connection, endpoint, nameof(endpoint));
        var response = await EndpointCalls.UnaryAsync(
            _connection,
            target,
            "Maintenance.Defragment",
            static (channel, options) => channel.Maintenance.DefragmentAsync(new Wire.DefragmentRequest(), options),
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    /// <summary>
    /// Asks one member for the hash of its key-value history up to <paramref name="revision"/>; members whose
    /// hashes at the same revision differ hold different data.
    /// </summary>
    /// <param name="endpoint">The member's endpoint, one of this client's.</param>
    /// <param name="revision">The last revision to hash; 0 for the member's latest.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The hash and the compact revision it starts from.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not one of this client's endpoints.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is negative.</exception>
    /// <exception cref="EtcdCompactedException"><paramref name="revision"/> has been compacted.</exception>
    /// <exception cref="EtcdFutureRevisionException"><paramref name="revision"/> is ahead of the store.</exception>
    public async Task<HashKVResponse> HashKVAsync(string endpoint, long revision = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        var target = EndpointCalls.Find(_connection, endpoint, nameof(endpoint));
        var request = new Wire.HashKVRequest { Revision = revision };
        var response = await EndpointCalls.UnaryAsync(
            _connection,
            target,
            "Maintenance.HashKV",
            (channel, options) => channel.Maintenance.HashKVAsync(request, options),
            cancellationToken);
        return new HashKVResponse(ResponseHeader.From(response.Header), response.Hash, response.CompactRevision);
    }

    /// <summary>
    /// Streams a snapshot of one member's backend database into <paramref name="destination"/>, the file
    /// <c>etcdctl snapshot save</c> writes and <c>etcdctl snapshot restore</c> reads.
    /// </summary>
    /// <param name="destination">Where the bytes go, as they arrive; the caller owns it (it is flushed, not closed).</param>
    /// <param name="endpoint">An endpoint of this client, or <see langword="null"/> for the current one.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    /// <returns>How many bytes were written.</returns>
    /// <remarks>
    /// The transfer has no deadline (it takes as long as the database is large). If it fails, the destination
    /// holds an incomplete snapshot: discard it.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is not one of this client's endpoints.</exception>
    /// <exception cref="EtcdException">The transfer failed (typed subclasses say why).</exception>
    public Task<long> SnapshotAsync(Stream destination, string? endpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
        {
            throw new ArgumentException("The snapshot destination stream is not writable.", nameof(destination));
        }

        var target = endpoint is null ? _connection.Current : EndpointCalls.Find(_connection, endpoint, nameof(endpoint));
        return SnapshotDownload.CopyAsync(_connection, target, destination, cancellationToken);
    }

    /// <summary>
    /// Hands the cluster's leadership to another voting member (<c>etcdctl move-leader</c>). The client finds the
    /// current leader among its endpoints and asks it, as etcd requires.
    /// </summary>
    /// <param name="targetMemberId">The ID of the member to become leader.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response header.</returns>
    /// <exception cref="InvalidOperationException">No endpoint of this client is the leader.</exception>
    /// <exception cref="EtcdException">The transfer failed (typed subclasses say why), such as when the target is not a voting member.</exception>
    public async Task<ResponseHeader> MoveLeaderAsync(ulong targetMemberId, CancellationToken cancellationToken = default)
    {
        var statuses = await StatusAllAsync(cancellationToken);
        var leader = statuses.FirstOrDefault(s => s.Status is { } status && status.Leader != 0 && status.Leader == status.Header.MemberId)
            ?? throw new InvalidOperationException(
                $"etcd Maintenance.MoveLeader failed: none of the endpoints {_connection.EndpointList} is the leader."
                + string.Concat(statuses.Where(s => s.Error is not null).Select(s => " " + s.Error!.Message)));
        var target = EndpointCalls.Find(_connection, leader.Endpoint, nameof(leader));
        var request = new Wire.MoveLeaderRequest { TargetID = targetMemberId };
        var response = await EndpointCalls.UnaryAsync(
            _connection,
            target,
            "Maintenance.MoveLeader",
            (channel, options) => channel.Maintenance.MoveLeaderAsync(request, options),
            cancellationToken);
        return ResponseHeader.From(response.Header);
    }

    private async Task<StatusResponse> StatusOfAsync(EndpointChannel target, CancellationToken cancellationToken)
    {
        var response = await EndpointCalls.UnaryAsync(
            _connection,
            target,
            "Maintenance.Status",
            static (channel, options) => channel.Maintenance.StatusAsync(new Wire.StatusRequest(), options),
            cancellationToken);
        return StatusResponse.From(response);
    }
}
