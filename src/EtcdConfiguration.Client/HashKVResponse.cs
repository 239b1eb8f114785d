namespace EtcdConfiguration.Client;

/// <summary>A member's hash of its key-value history, as <see cref="MaintenanceClient.HashKVAsync"/> returns it.</summary>
/// <param name="Header">The response header.</param>
/// <param name="Hash">The hash of every key revision from the compact revision up to the requested one.</param>
/// <param name="CompactRevision">The member's compact revision when it computed the hash.</param>
/// <remarks>Members that agree on the same revision have the same hash; a different one means diverged data.</remarks>
public sealed record HashKVResponse(ResponseHeader Header, uint Hash, long CompactRevision);
