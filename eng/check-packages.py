#!/usr/bin/env python3
"""Checks the packages eng/pack-check.sh packed, as a user would meet them.

check-packages.py DIR VERSION ID...   every ID has DIR/ID.VERSION.nupkg with the README, and a library also its
                                      XML docs, a .snupkg with its .pdb, and only real dependencies
check-packages.py --compare DIR1 DIR2 the assemblies inside the packages of both folders are byte-identical
"""
import hashlib
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

# Build-time only: never a dependency a user's restore should see.
BUILD_ONLY = {"grpc.tools", "microsoft.codeanalysis.publicapianalyzers"}


def nuspec(package):
    name = next(n for n in package.namelist() if n.endswith(".nuspec") and "/" not in n)
    return ET.fromstring(package.read(name))


def local(tag):
    return tag.rsplit("}", 1)[-1]


def check(folder, version, ids):
    problems = []
    for package_id in ids:
        path = os.path.join(folder, f"{package_id}.{version}.nupkg")
        if not os.path.exists(path):
            problems.append(f"{package_id}: no {os.path.basename(path)} was packed")
            continue
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            spec = nuspec(package)
            metadata = next(e for e in spec if local(e.tag) == "metadata")
            fields = {local(e.tag): e for e in metadata}
            is_tool = "DotnetTool" in [t.get("name") for t in fields["packageTypes"]] if "packageTypes" in fields else False
            if "README.md" not in names or fields.get("readme") is None:
                problems.append(f"{package_id}: no README.md in the package")
            if fields.get("version") is None or fields["version"].text != version:
                problems.append(f"{package_id}: version is not {version}")
            dependencies = [d for d in metadata.iter() if local(d.tag) == "dependency"]
            for dependency in dependencies:
                dep_id = dependency.get("id")
                if dep_id.lower() in BUILD_ONLY:
                    problems.append(f"{package_id}: depends on the build-time package {dep_id}")
                if dep_id.startswith("EtcdConfiguration") and dependency.get("version") not in (version, f"[{version}]"):
                    problems.append(f"{package_id}: depends on {dep_id} {dependency.get('version')}, not {version}")
            if is_tool:
                entry = [n for n in names if n.startswith("tools/") and n.endswith(f"/{package_id}.dll")]
                if not entry:
                    problems.append(f"{package_id}: a tool package without tools/.../{package_id}.dll")
                summary = "tool"
            else:
                dll = f"lib/net10.0/{package_id}.dll"
                for required in (dll, f"lib/net10.0/{package_id}.xml"):
                    if required not in names:
                        problems.append(f"{package_id}: no {required} in the package")
                symbols = os.path.join(folder, f"{package_id}.{version}.snupkg")
                if not os.path.exists(symbols):
                    problems.append(f"{package_id}: no symbols package {os.path.basename(symbols)}")
                else:
                    with zipfile.ZipFile(symbols) as snupkg:
                        if f"lib/net10.0/{package_id}.pdb" not in snupkg.namelist():
                            problems.append(f"{package_id}: the symbols package has no {package_id}.pdb")
                summary = "dll, xml docs, snupkg"
            deps = ", ".join(sorted(f"{d.get('id')} {d.get('version')}" for d in dependencies)) or "none"
            print(f"  {package_id} {version}: README, {summary}; dependencies: {deps}")
    for problem in problems:
        print(f"  problem: {problem}", file=sys.stderr)
    return not problems


def assemblies(folder):
    hashes = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".nupkg"):
            continue
        with zipfile.ZipFile(os.path.join(folder, name)) as package:
            for entry in package.namelist():
                if entry.endswith(".dll"):
                    hashes[f"{name}/{entry}"] = hashlib.sha256(package.read(entry)).hexdigest()
    return hashes


def compare(first, second):
    a, b = assemblies(first), assemblies(second)
    if not a:
        print("  problem: no assemblies to compare", file=sys.stderr)
        return False
    ok = a.keys() == b.keys()
    if not ok:
        print(f"  problem: different assemblies: {sorted(a.keys() ^ b.keys())}", file=sys.stderr)
    for key in sorted(a.keys() & b.keys()):
        same = a[key] == b[key]
        ok &= same
        print(f"  {'same' if same else 'DIFFERENT'} {a[key][:16]} {key}", file=sys.stdout if same else sys.stderr)
    return ok


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3]) else 1)
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(0 if check(sys.argv[1], sys.argv[2], sys.argv[3:]) else 1)
