namespace EtcdConfiguration.Client.Internal;

/// <summary>
/// The client's endpoints and the one calls go to, replaced as a whole (on failover or a new list) so a reader
/// never sees an index into another list.
/// </summary>
internal sealed class EndpointSet(EndpointChannel[] channels, int current)
{
    public EndpointChannel[] Channels { get; } = channels;

    public EndpointChannel Current => Channels[current];

    /// <summary>Every endpoint, comma-separated, for messages.</summary>
    public string Description { get; } = string.Join(", ", channels.Select(c => c.Address));

    /// <summary>The same endpoints with calls moved to the next one.</summary>
    public EndpointSet Next() => new(Channels, (current + 1) % Channels.Length);
}
