namespace EtcdConfiguration.Benchmarks;

/// <summary><c>etcd-config import</c> of <see cref="Keys"/> settings: the time per run (ms) and the command's own summary line.</summary>
internal sealed record ToolImportResult(int Keys, Summary Milliseconds, string ToolSummary, bool Failed);
