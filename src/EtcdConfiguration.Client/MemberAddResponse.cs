namespace EtcdConfiguration.Client;

/// <summary>The result of <see cref="ClusterClient.MemberAddAsync"/> and <see cref="ClusterClient.MemberAddAsLearnerAsync"/>.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Member">The new member: its ID and peer URLs (its name and client URLs are empty until it starts).</param>
/// <param name="Members">Every member after the addition, the new one included.</param>
public sealed record MemberAddResponse(ResponseHeader Header, Member Member, IReadOnlyList<Member> Members);
