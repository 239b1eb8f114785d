#!/usr/bin/env bash
# The etcd writes README.md's "Getting started" tries on samples/WebApp (a test runs this file). etcdctl talks to
# http://127.0.0.1:2379 unless ETCDCTL_ENDPOINTS says otherwise.
set -euo pipefail
export ETCDCTL_API=3

etcdctl put /webapp/Checkout/Banner "Hello from etcd"
etcdctl put /webapp/Checkout/MaxItems 25
etcdctl put /webapp/Checkout/Providers '["card", "paypal"]'
etcdctl put /webapp/FeatureManagement/NewCheckout false

# One transaction: the compares, a blank line, the writes made if they hold, a blank line, the writes made if
# not, and a last blank line; without it etcdctl stops with "Error: EOF".
etcdctl txn <<'TXN'
value("/webapp/FeatureManagement/NewCheckout") = "false"

put /webapp/Checkout/Banner "Changed live, no restart"
put /webapp/Checkout/MaxItems 50
put /webapp/FeatureManagement/NewCheckout true


TXN
