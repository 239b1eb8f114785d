#!/usr/bin/env bash
# The benchmarks: the provider against dotnet-etcd, our raw client and the JSON file provider on a real etcd.
# Full run (about 3 minutes on 2 cores): rewrites docs/benchmarks.md, docs/propagation-cdf.png and
# docs/benchmark-results.json. With --quick: small counts, written to artifacts/bench/ instead. With
# --only startup, change-cost, fan-out, scale or tool-import: that scenario alone, logged and not written.
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/ensure-etcd.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out=docs
if [ "${1:-}" = "--quick" ]; then
  out=artifacts/bench
fi

dotnet run -c Release --project tests/EtcdConfiguration.Benchmarks -- "$@" --out "$out"
