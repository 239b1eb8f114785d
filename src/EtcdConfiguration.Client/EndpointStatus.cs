namespace EtcdConfiguration.Client;

/// <summary>One endpoint's answer to <see cref="MaintenanceClient.StatusAllAsync"/>: its status, or why it gave none.</summary>
/// <param name="Endpoint">The endpoint, as the client names it.</param>
/// <param name="Status">The member's status; <see langword="null"/> when the call failed.</param>
/// <param name="Error">Why the call failed; <see langword="null"/> when it succeeded.</param>
public sealed record EndpointStatus(string Endpoint, StatusResponse? Status, EtcdException? Error);
