using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>
/// Cluster membership, as Go's <c>clientv3.Cluster</c> offers it: list, add (as a voter or a learner), remove,
/// update and promote members.
/// </summary>
/// <remarks>
/// Listing is retried on transient failures. A membership change is retried only when the request certainly
/// never reached a server: one that may have been applied is not sent twice (a second add of the same peer URL
/// would fail, a second removal would remove nothing), so after an <see cref="EtcdUnavailableException"/> list
/// the members to see whether it happened.
/// </remarks>
public sealed class ClusterClient
{
    private readonly EtcdConnection _connection;

    internal ClusterClient(EtcdConnection connection) => _connection = connection;

    /// <summary>Lists the cluster's members with their names and URLs.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every member of the cluster.</returns>
    public async Task<MemberListResponse> MemberListAsync(CancellationToken cancellationToken = default)
    {
        var response = await _connection.UnaryAsync(
            "Cluster.MemberList",
            static (channel, options) => channel.Cluster.MemberListAsync(new Wire.MemberListRequest(), options),
            idempotent: true,
            cancellationToken);
        return new MemberListResponse(ResponseHeader.From(response.Header), Member.From(response.Members));
    }

    /// <summary>
    /// Adds a voting member (<c>etcdctl member add</c>). Start the new etcd afterwards with
    /// <c>--initial-cluster-state existing</c> and an <c>--initial-cluster</c> that lists every member.
    /// </summary>
    /// <param name="peerUrls">The URLs the new member will listen on for its peers.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new member (with its ID) and every member after the addition.</returns>
    /// <exception cref="ArgumentException"><paramref name="peerUrls"/> is empty or holds a blank URL.</exception>
    /// <exception cref="EtcdException">
    /// etcd refused (typed subclasses say why): a peer URL already in use, or a change that would leave the cluster
    /// without a quorum of started members.
    /// </exception>
    public Task<MemberAddResponse> MemberAddAsync(IEnumerable<string> peerUrls, CancellationToken cancellationToken = default) =>
        AddAsync(peerUrls, isLearner: false, cancellationToken);

    /// <summary>
    /// Adds a learner (<c>etcdctl member add --learner</c>): a member that receives the log but does not vote
    /// until <see cref="MemberPromoteAsync"/> makes it a voter, so a slow catch-up cannot cost the quorum.
    /// </summary>
    /// <inheritdoc cref="MemberAddAsync"/>
    public Task<MemberAddResponse> MemberAddAsLearnerAsync(IEnumerable<string> peerUrls, CancellationToken cancellationToken = default) =>
        AddAsync(peerUrls, isLearner: true, cancellationToken);

    /// <summary>Removes a member (<c>etcdctl member remove</c>); the removed etcd stops by itself.</summary>
    /// <param name="memberId">The member's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every member after the removal.</returns>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as for an unknown member ID.</exception>
    public async Task<MemberListResponse> MemberRemoveAsync(ulong memberId, CancellationToken cancellationToken = default)
    {
        var request = new Wire.MemberRemoveRequest { ID = memberId };
        var response = await _connection.UnaryAsync(
            "Cluster.MemberRemove",
            (channel, options) => channel.Cluster.MemberRemoveAsync(request, options),
            idempotent: false,
            cancellationToken);
        return new MemberListResponse(ResponseHeader.From(response.Header), Member.From(response.Members));
    }

    /// <summary>Changes a member's peer URLs (<c>etcdctl member update</c>).</summary>
    /// <param name="memberId">The member's ID.</param>
    /// <param name="peerUrls">Its new peer URLs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every member after the update.</returns>
    /// <exception cref="ArgumentException"><paramref name="peerUrls"/> is empty or holds a blank URL.</exception>
    /// <exception cref="EtcdException">etcd refused (typed subclasses say why), such as for an unknown member ID.</exception>
    public async Task<MemberListResponse> MemberUpdateAsync(ulong memberId, IEnumerable<string> peerUrls, CancellationToken cancellationToken = default)
    {
        var request = new Wire.MemberUpdateRequest { ID = memberId };
        request.PeerURLs.AddRange(CheckPeerUrls(peerUrls));
        var response = await _connection.UnaryAsync(
            "Cluster.MemberUpdate",
            (channel, options) => channel.Cluster.MemberUpdateAsync(request, options),
            idempotent: false,
            cancellationToken);
        return new MemberListResponse(ResponseHeader.From(response.Header), Member.From(response.Members));
    }

    /// <summary>Makes a learner a voting member (<c>etcdctl member promote</c>).</summary>
    /// <param name="memberId">The learner's ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every member after the promotion.</returns>
    /// <exception cref="EtcdException">
    /// etcd refused (typed subclasses say why): the member is no learner, or it has not caught up with the leader
    /// yet (status FailedPrecondition; try again once it has).
    /// </exception>
    public async Task<MemberListResponse> MemberPromoteAsync(ulong memberId, CancellationToken cancellationToken = default)
    {
        var request = new Wire.MemberPromoteRequest { ID = memberId };
        var response = await _connection.UnaryAsync(
            "Cluster.MemberPromote",
            (channel, options) => channel.Cluster.MemberPromoteAsync(request, options),
            idempotent: false,
            cancellationToken);
        return new MemberListResponse(ResponseHeader.From(response.Header), Member.From(response.Members));
    }

    private async Task<MemberAddResponse> AddAsync(IEnumerable<string> peerUrls, bool isLearner, CancellationToken cancellationToken)
    {
        var request = new Wire.MemberAddRequest { IsLearner = isLearner };
        request.PeerURLs.AddRange(CheckPeerUrls(peerUrls));
        var response = await _connection.UnaryAsync(
            "Cluster.MemberAdd",
            (channel, options) => channel.Cluster.MemberAddAsync(request, options),
            idempotent: false,
            cancellationToken);
        return new MemberAddResponse(ResponseHeader.From(response.Header), Member.From(response.Member), Member.From(response.Members));
    }

    private static string[] CheckPeerUrls(IEnumerable<string> peerUrls)
    {
        ArgumentNullException.ThrowIfNull(peerUrls);
        var urls = peerUrls.ToArray();
        if (urls.Length == 0 || urls.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A member needs at least one peer URL, and none may be blank.", nameof(peerUrls));
        }

        return urls;
    }
}
