namespace EtcdConfiguration.Benchmarks;

/// <summary>
/// The scale scenario: <see cref="Instances"/> independent app instances per variant in <see cref="Processes"/>
/// child processes on a 3-member cluster, <see cref="Writes"/> writes per variant.
/// </summary>
internal sealed record ScaleResult(
    int Instances,
    int Processes,
    int Keys,
    int Writes,
    ScaleVariantResult Provider,
    ScaleVariantResult Floor,
    long EtcdRssBaselineBytes,
    string LoadBefore,
    string LoadAfter);

/// <summary>
/// One variant's figures. Times are milliseconds from just before the put: <see cref="AllApplied"/> until the last
/// instance had it (one sample per write), <see cref="Arrival"/> each instance's own arrival (one per instance and write).
/// CPU is milliseconds per write during the timed series (etcd: the three members together; clients: every child of
/// the variant together); memory is bytes per instance (RSS both above the child's baseline and whole, the runtime's own included).
/// </summary>
internal sealed record ScaleVariantResult(
    Summary AllApplied,
    Summary Arrival,
    double StartSeconds,
    double EtcdCpuMillisecondsPerWrite,
    double ClientCpuMillisecondsPerWrite,
    double EtcdRssBytesPerInstance,
    double ClientHeapBytesPerInstance,
    double ClientRssBytesPerInstance,
    double ClientTotalRssBytesPerInstance,
    int Missed);
