#!/usr/bin/env bash
# The whole test suite: installs etcd when missing, builds with warnings as errors, checks formatting,
# runs every test project against real etcd members, checks the packed packages (eng/pack-check.sh), and
# checks that no etcd process outlives the run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/ensure-etcd.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build EtcdConfiguration.sln -c Release -warnaserror -nologo -v q
dotnet format EtcdConfiguration.sln --verify-no-changes --no-restore -v q

results=artifacts/test-results
rm -rf "$results"
log=$(mktemp)
status=0
# A hang dumps and fails after 5 minutes instead of eating CI's budget. The soak (eng/soak.sh) is opt-in.
dotnet test EtcdConfiguration.sln -c Release --no-build -nologo --filter "Category!=Soak" \
  --blame-hang-timeout 5m --results-directory "$results" 2>&1 | tee "$log" || status=$?

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"

# The packages as a user restores them, from a local folder into a project outside the solution.
bash eng/pack-check.sh --no-build || status=$?

leftover=$(pgrep -a -x etcd || true)
if [ -n "$leftover" ]; then
  echo "etcd processes outlived the test run:" >&2
  echo "$leftover" >&2
  status=1
fi
if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
if [ "$skipped" -ne 0 ]; then
  echo "$skipped tests were skipped; a skipped test is not a pass." >&2
  status=1
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
