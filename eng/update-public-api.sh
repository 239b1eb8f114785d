#!/usr/bin/env bash
# Rewrites PublicAPI.Unshipped.txt of every shipped project (src/*/*.csproj) from its code: builds, adds each
# symbol the analyzer reports as public and undeclared (RS0016), drops each declared symbol that is gone (RS0017),
# and builds again until the files match. Creates both files for a project that has none yet. Run it after a
# change of public API, then read the diff: every line in it is a change users will see.
# Usage: bash eng/update-public-api.sh [project.csproj ...]   (default: every project under src/)
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ "$#" -gt 0 ]; then
  projects=("$@")
else
  mapfile -t projects < <(ls src/*/*.csproj)
fi

for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    # '#nullable enable' makes the files record nullability (string? vs string!), as RS0037 asks.
    [ -e "$dir/$file" ] || printf '#nullable enable\n' >"$dir/$file"
  done
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for round in 1 2 3 4 5; do
  status=0
  for project in "${projects[@]}"; do
    dotnet build "$project" -c Release -nologo -v q >>"$log" 2>&1 || status=1
  done
  [ "$status" -eq 0 ] && break
  # Each diagnostic names its file, whose project folder holds the API files, and the symbol exactly as the
  # files spell it.
  python3 - "$log" <<'PY'
import re, sys, os, collections
add, drop = collections.defaultdict(set), collections.defaultdict(set)
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"^(?P<file>/\S+?)\(\d+,\d+\): error (?P<rule>RS001[67]): Symbol '(?P<symbol>.+?)' is", line)
    if not m:
        continue
    folder = os.path.dirname(m["file"])
    while not os.path.exists(os.path.join(folder, "PublicAPI.Unshipped.txt")) and folder != "/":
        folder = os.path.dirname(folder)
    (add if m["rule"] == "RS0016" else drop)[folder].add(m["symbol"])
for folder in set(add) | set(drop):
    path = os.path.join(folder, "PublicAPI.Unshipped.txt")
    lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l and l != "#nullable enable"]
    lines = sorted((set(lines) | add[folder]) - drop[folder], key=lambda s: s.encode())
    open(path, "w", encoding="utf-8").write("#nullable enable\n" + "".join(l + "\n" for l in lines))
PY
  : >"$log"
done

# The build is the check: it fails on any public symbol the files do not match.
for project in "${projects[@]}"; do
  dotnet build "$project" -c Release -warnaserror -nologo -v q
done
git status --short -- 'src/*/PublicAPI.*.txt'
