#!/usr/bin/env bash
# Rewrites PublicAPI.Unshipped.txt of every shipped project (src/*/*.csproj) from its code, with the
# PublicApiAnalyzers code fix: adds what is public and undeclared (RS0016), drops what is declared and gone
# (RS0017). Creates both files, empty, for a project that has none yet. Run it after a merge that changes
# public API, then read the diff: every line in it is a change users will see.
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
  echo "Updating the public API files of $project..."
  # Severity 'warn' because the rules are warnings; the code fix then edits PublicAPI.Unshipped.txt.
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn -v q
  # The fix appends in the order it meets symbols; sort below the header so a diff shows only real changes.
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    path="$dir/$file"
    { grep -x '#nullable enable' "$path" || true; grep -vx '#nullable enable' "$path" | grep -v '^$' | LC_ALL=C sort -u || true; } >"$path.tmp"
    mv "$path.tmp" "$path"
  done
done

# The build is the check: it fails on any public symbol the files do not match.
for project in "${projects[@]}"; do
  dotnet build "$project" -c Release -warnaserror -nologo -v q
done
git status --short -- 'src/*/PublicAPI.*.txt'
