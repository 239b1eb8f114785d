using EtcdConfiguration.Client.Internal;

namespace EtcdConfiguration.Client;

/// <summary>Maintenance calls: a member's status.</summary>
public sealed class MaintenanceClient
{
    private readonly EtcdConnection _connection;

    internal MaintenanceClient(EtcdConnection connection) => _connection = connection;

    /// <summary>Asks one member (the one in <paramref name="endpoint"/>, or the client's current one) for its status.</summary>
    /// <param name="endpoint">An endpoint of this client, or <see langword="null"/> for the current one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The member's version, leader, database size and raft indexes.</returns>
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

        var target = _connection.Endpoints.FirstOrDefault(e => string.Equals(e.Address, endpoint.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"'{endpoint}' is not one of this client's endpoints ({_connection.EndpointList}).", nameof(endpoint));
        try
        {
            var headers = await _connection.Auth.GetHeadersAsync(target, cancellationToken);
            var reply = await target.Maintenance.StatusAsync(
                new Wire.StatusRequest(),
                new Grpc.Core.CallOptions(headers, DateTime.UtcNow + _connection.Options.RequestTimeout, cancellationToken));
            return StatusResponse.From(reply);
        }
        catch (Grpc.Core.RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw EtcdErrorTranslator.Translate(ex, "Maintenance.Status", target.Address, _connection.Auth.Username);
        }
    }
}
