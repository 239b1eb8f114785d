namespace EtcdConfiguration.Client;

/// <summary>What every etcd response says about the cluster that served it.</summary>
/// <param name="ClusterId">The cluster's ID.</param>
/// <param name="MemberId">The ID of the member that answered.</param>
/// <param name="Revision">The key-value store's revision when the request was served.</param>
/// <param name="RaftTerm">The member's raft term.</param>
public sealed record ResponseHeader(ulong ClusterId, ulong MemberId, long Revision, ulong RaftTerm)
{
    internal static ResponseHeader From(Wire.ResponseHeader? header) =>
        header is null ? new ResponseHeader(0, 0, 0, 0) : new ResponseHeader(header.ClusterId, header.MemberId, header.Revision, header.RaftTerm);
}
