#!/usr/bin/env bash
# Installs etcd (server and etcdctl) from Debian's packages when either is missing.
# Tests and the sample look for them through ETCD_BIN / ETCDCTL_BIN or PATH.
set -euo pipefail

if [ -n "${ETCD_BIN:-}" ] && [ -x "${ETCD_BIN}" ] && command -v "${ETCDCTL_BIN:-etcdctl}" >/dev/null 2>&1; then
  exit 0
fi
if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then
  exit 0
fi

echo "etcd or etcdctl is missing: installing Debian's etcd-server and etcd-client packages..." >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Cannot install etcd: not root and no sudo. Install it with 'apt-get install etcd-server etcd-client', or set ETCD_BIN." >&2
    exit 1
  fi
fi
# Debian starts a packaged service by default; our tests and sample run their own members on free ports,
# so keep the package's service from starting (it would take 2379 on a machine with systemd).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  remove_policy=1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends etcd-server etcd-client >/dev/null
if [ "${remove_policy:-0}" = 1 ]; then $sudo rm -f /usr/sbin/policy-rc.d; fi
etcd --version | head -1 >&2
