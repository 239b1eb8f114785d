#!/usr/bin/env bash
# The packages as a user gets them: packs the solution into a local folder, checks what is inside each
# package (README, XML docs, symbols, dependencies), then restores eng/consumer, a project outside the
# solution, from that folder alone (no project reference; an empty packages folder, so no stale copy of our
# packages can be used) and runs it: it puts a key with EtcdConfiguration.Client, reads it through AddEtcd
# from EtcdConfiguration and waits for a change to arrive live, against etcd started by the test kit package
# EtcdConfiguration.Testing.
# Usage: bash eng/pack-check.sh [--no-build] [--twice]
#   --no-build  pack what `dotnet build EtcdConfiguration.sln -c Release` already built (eng/test.sh does)
#   --twice     also pack a copy of the tree elsewhere and require byte-identical assemblies (deterministic)
# Prints PASS or FAIL last; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

no_build="" twice=0
for arg in "$@"; do
  case "$arg" in
    --no-build) no_build="--no-build" ;;
    --twice) twice=1 ;;
    *) echo "Unknown option '$arg'. Usage: bash eng/pack-check.sh [--no-build] [--twice]" >&2; exit 2 ;;
  esac
done

started=$(date +%s)
work=$(mktemp -d)
cleanup() {
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "pack check: FAIL: $*" >&2
  echo "pack check: FAIL ($(($(date +%s) - started)) s)"
  exit 1
}

cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
packages=$root/artifacts/pack-check/packages
rm -rf "$packages"
mkdir -p "$packages"

# The one version of every package, from Directory.Build.props.
version=$(dotnet msbuild src/EtcdConfiguration/EtcdConfiguration.csproj -getProperty:Version -nologo)
[ -n "$version" ] || fail "could not read <Version> from Directory.Build.props."

echo "pack check: packing EtcdConfiguration.sln $version into $packages"
dotnet pack EtcdConfiguration.sln -c Release -o "$packages" $no_build -nologo -v q >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log" >&2; fail "dotnet pack EtcdConfiguration.sln failed."; }

# Every project under src/ ships.
mapfile -t shipped < <(for p in src/*/*.csproj; do basename "$p" .csproj; done)

python3 eng/check-packages.py "$packages" "$version" "${shipped[@]}" || fail "a package is incomplete (above)."

if [ "$twice" = 1 ]; then
  echo "pack check: packing the shipped projects again from a clone of HEAD in another folder"
  [ -z "$(git status --porcelain)" ] || fail "--twice compares packs of HEAD: commit or stash your changes first."
  # A clone, not a copy of the files: the commit id goes into the assemblies' informational version and the
  # repository's state into the pdb whose checksum the assembly carries, so both packs need the same git state.
  copy=$work/copy
  git clone -q "$root" "$copy"
  git -C "$copy" checkout -q --detach "$(git rev-parse HEAD)"
  if origin=$(git remote get-url origin 2>/dev/null); then
    git -C "$copy" remote set-url origin "$origin"
  else
    git -C "$copy" remote remove origin
  fi
  # Both packs as CI builds (paths mapped), so only the content could make the assemblies differ.
  first=$packages
  if [ "${CI:-}" != "true" ]; then first=$work/packages1; fi
  for project in src/*/*.csproj; do
    if [ "$first" != "$packages" ]; then
      dotnet pack "$project" -c Release -o "$first" -p:ContinuousIntegrationBuild=true -nologo -v q \
        >"$work/pack1.log" 2>&1 || { cat "$work/pack1.log" >&2; fail "dotnet pack $project as a CI build failed."; }
    fi
    dotnet pack "$copy/$project" -c Release -o "$work/packages2" -p:ContinuousIntegrationBuild=true -nologo -v q \
      >"$work/pack2.log" 2>&1 || { cat "$work/pack2.log" >&2; fail "dotnet pack of the copy of $project failed."; }
  done
  python3 eng/check-packages.py --compare "$first" "$work/packages2" || fail "the packages are not reproducible (above)."
fi

# A user's project outside the repository, its own nuget.config and an empty packages folder.
consumer=$work/consumer
mkdir -p "$consumer"
cp eng/consumer/*.csproj eng/consumer/*.cs eng/consumer/Directory.*.props eng/consumer/Directory.*.targets "$consumer/"
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo '  <packageSources>'
  echo '    <clear />'
  echo "    <add key=\"packed\" value=\"$packages\" />"
  # Third-party packages come from what the repository's own restore fetched: the check needs no network.
  echo "    <add key=\"cache\" value=\"$cache\" />"
  echo '  </packageSources>'
  # Our ids come from the freshly packed folder only, never from a cache or a feed.
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="packed"><package pattern="EtcdConfiguration" /><package pattern="EtcdConfiguration.*" /></packageSource>'
  echo '    <packageSource key="cache"><package pattern="*" /></packageSource>'
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} >"$consumer/nuget.config"

echo "pack check: restoring and building eng/consumer from $packages"
export NUGET_PACKAGES=$work/nuget-packages
dotnet build "$consumer/PackCheck.csproj" -c Release -nologo -v q -p:EtcdConfigurationVersion="$version" \
  >"$work/consumer.log" 2>&1 \
  || { cat "$work/consumer.log" >&2; fail "eng/consumer did not restore or build from the packed packages."; }
python3 - "$consumer/obj/project.assets.json" "$NUGET_PACKAGES" <<'PY' || fail "eng/consumer did not get our packages from the packed folder."
import json, os, sys
assets = json.load(open(sys.argv[1]))
libraries = assets["libraries"]
ours = {name: lib for name, lib in libraries.items() if name.split("/")[0].startswith("EtcdConfiguration")}
bad = [name for name, lib in ours.items() if lib["type"] != "package"]
if not ours or bad:
    sys.exit(f"expected our packages as packages, got {sorted(ours)}; not packages: {bad}")
for name in ours:
    if not os.path.isdir(os.path.join(sys.argv[2], name.lower())):
        sys.exit(f"{name} is not in the isolated packages folder")
print("pack check: consumer restored " + ", ".join(sorted(ours)))
PY

consumer_dll=$consumer/bin/Release/net10.0/PackCheck.dll
echo "pack check: running eng/consumer against etcd started by the EtcdConfiguration.Testing package"
dotnet "$consumer_dll" || fail "eng/consumer's live check failed (above)."

echo "pack check: PASS ($(($(date +%s) - started)) s; packages in ${packages#"$root"/})"
