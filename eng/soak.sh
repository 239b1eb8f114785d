#!/usr/bin/env bash
# The opt-in soak: a 3-member cluster whose members are killed and frozen at random for MINUTES (default 10)
# while a writer changes configuration; at the end the app must hold exactly etcd's keys.
# Usage: bash eng/soak.sh [minutes]   (ETCD_SOAK_SEED=<n> repeats a run)
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/ensure-etcd.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export ETCD_SOAK_MINUTES="${1:-${ETCD_SOAK_MINUTES:-10}}"

dotnet test tests/EtcdConfiguration.Tests/EtcdConfiguration.Tests.csproj -c Release -nologo \
  --filter "Category=Soak" --logger "console;verbosity=detailed"
