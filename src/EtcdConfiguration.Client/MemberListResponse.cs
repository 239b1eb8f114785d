namespace EtcdConfiguration.Client;

/// <summary>
/// The cluster's members, as <see cref="ClusterClient.MemberListAsync"/> returns them, and as they are after
/// <see cref="ClusterClient.MemberRemoveAsync"/>, <see cref="ClusterClient.MemberUpdateAsync"/> or
/// <see cref="ClusterClient.MemberPromoteAsync"/>.
/// </summary>
/// <param name="Header">The response header.</param>
/// <param name="Members">Every member.</param>
public sealed record MemberListResponse(ResponseHeader Header, IReadOnlyList<Member> Members);
