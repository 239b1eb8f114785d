using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>Cluster calls: the list of members.</summary>
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
        return new MemberListResponse(
            ResponseHeader.From(response.Header),
            response.Members.Select(m => new Member(m.ID, m.Name, m.PeerURLs.ToArray(), m.ClientURLs.ToArray(), m.IsLearner)).ToArray());
    }
}
