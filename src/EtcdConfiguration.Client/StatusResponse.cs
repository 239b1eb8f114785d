namespace EtcdConfiguration.Client;

/// <summary>A member's status, as <see cref="MaintenanceClient.StatusAsync"/> returns it.</summary>
public sealed class StatusResponse
{
    /// <summary>The response header.</summary>
    public required ResponseHeader Header { get; init; }

    /// <summary>The member's etcd version, such as <c>3.4.23</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The size of the backend database, in bytes.</summary>
    public long DbSize { get; init; }

    /// <summary>The size of the database in use, in bytes.</summary>
    public long DbSizeInUse { get; init; }

    /// <summary>The member ID of the cluster's leader (0 when there is none).</summary>
    public ulong Leader { get; init; }

    /// <summary>The member's raft index.</summary>
    public ulong RaftIndex { get; init; }

    /// <summary>The member's raft term.</summary>
    public ulong RaftTerm { get; init; }

    /// <summary>The raft index the member has applied.</summary>
    public ulong RaftAppliedIndex { get; init; }

    /// <summary>Alarms and errors the member reports.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Whether the member is a learner (not voting).</summary>
    public bool IsLearner { get; init; }

    internal static StatusResponse From(Wire.StatusResponse response) => new()
    {
        Header = ResponseHeader.From(response.Header),
        Version = response.Version,
        DbSize = response.DbSize,
        DbSizeInUse = response.DbSizeInUse,
        Leader = response.Leader,
        RaftIndex = response.RaftIndex,
        RaftTerm = response.RaftTerm,
        RaftAppliedIndex = response.RaftAppliedIndex,
        Errors = response.Errors.ToArray(),
        IsLearner = response.IsLearner,
    };
}
