#!/usr/bin/env bash
# The main job: start a local etcd, run samples/WebApp against it, change configuration in etcd and show
# the app serving the new values without a restart. Pass --keep to leave both running until Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash eng/ensure-etcd.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ETCDCTL_API=3
echo "Building samples/WebApp and the etcd-config tool..."
dotnet build samples/WebApp/WebApp.csproj -c Release -nologo -v q >/dev/null
dotnet build src/EtcdConfiguration.Tool/EtcdConfiguration.Tool.csproj -c Release -nologo -v q >/dev/null

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

# GET a path from the app with bash alone (no curl needed); prints the body.
http_get() {
  local port=$1 path=$2
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}

data=$(mktemp -d)
client_port=$(free_port); peer_port=$(free_port); app_port=$(free_port)
endpoint="http://127.0.0.1:$client_port"
pids=()
cleanup() {
  # The app first, then etcd: an app whose etcd went away first would log a lost connection on its way out.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  rm -rf "$data"
}
trap cleanup EXIT INT TERM

echo "Starting etcd at $endpoint..."
etcd --name demo --data-dir "$data/etcd" \
  --listen-client-urls "$endpoint" --advertise-client-urls "$endpoint" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "demo=http://127.0.0.1:$peer_port" --logger zap --log-level error >"$data/etcd.log" 2>&1 &
pids+=($!)
etcdctl() { command etcdctl --endpoints "$endpoint" "$@"; }
for _ in $(seq 100); do etcdctl endpoint health >/dev/null 2>&1 && break; sleep 0.1; done
etcdctl endpoint health

# The tool that `dotnet tool install -g EtcdConfiguration.Tool` installs as etcd-config, run from the build.
etcd_config() { dotnet "$root/src/EtcdConfiguration.Tool/bin/Release/net10.0/EtcdConfiguration.Tool.dll" --endpoints "$endpoint" --prefix /webapp/ "$@"; }

echo "Seeding /webapp/ with etcd-config import..."
cat >"$data/webapp.json" <<'JSON'
{
  "Checkout": { "Banner": "Hello from etcd", "MaxItems": 25, "Providers": [ "card", "paypal" ] },
  "FeatureManagement": { "NewCheckout": false }
}
JSON
etcd_config import "$data/webapp.json"
etcdctl get /webapp/ --prefix

echo "Starting samples/WebApp at http://127.0.0.1:$app_port ..."
(cd samples/WebApp && exec dotnet bin/Release/net10.0/WebApp.dll --urls "http://127.0.0.1:$app_port" \
  --Etcd:Endpoints "$endpoint" --Logging:LogLevel:Default Warning) &
pids+=($!)
before=""
for _ in $(seq 150); do before=$(http_get "$app_port" / 2>/dev/null || true); [ -n "$before" ] && break; sleep 0.2; done
[ -n "$before" ] || { echo "The app did not answer." >&2; exit 1; }
echo "Before: $before"

echo "Changing Banner, MaxItems and the NewCheckout flag in one etcd transaction..."
# etcdctl txn reads: compares, a blank line, the ops run on success, a blank line, the ops run on failure.
printf '\n%s\n%s\n%s\n\n\n' \
  'put /webapp/Checkout/Banner "Changed live, no restart"' \
  'put /webapp/Checkout/MaxItems 50' \
  'put /webapp/FeatureManagement/NewCheckout true' | etcdctl txn >/dev/null
after=$before
start=$(date +%s%N)
for _ in $(seq 200); do
  after=$(http_get "$app_port" / 2>/dev/null || true)
  [[ "$after" == *"Changed live"* ]] && break
  sleep 0.05
done
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "After:  $after"
if [[ "$after" != *"Changed live"* ]]; then echo "The change did not reach the app." >&2; exit 1; fi
echo "The app served the new values within ${elapsed_ms} ms of the write (polling the page every 50 ms)."
echo "Health: $(http_get "$app_port" /health)"

# ---- Validated changes (issue 11, part 1): a bad push is held back -------------------------------------
# Kept as one block on purpose: it only needs the app running and `etcdctl`, whatever seeded the keys.
wait_for() { # wait_for PATH TEXT: poll the app until PATH's body contains TEXT; prints the body
  local body=""
  for _ in $(seq 200); do
    body=$(http_get "$app_port" "$1" 2>/dev/null || true)
    [[ "$body" == *"$2"* ]] && break
    sleep 0.05
  done
  echo "$body"
  [[ "$body" == *"$2"* ]]
}
echo "Pushing an invalid MaxItems (0; CheckoutOptions allows 1 to 100)..."
etcdctl put /webapp/Checkout/MaxItems 0 >/dev/null
health=$(wait_for /health Degraded) || { echo "The health check did not report the held-back change: $health" >&2; exit 1; }
echo "Health: $health"
served=$(http_get "$app_port" /)
echo "Served: $served"
if [[ "$served" != *'"maxItems":50'* ]]; then echo "The app did not keep the last valid MaxItems." >&2; exit 1; fi
echo "The app still serves the last valid MaxItems (50); etcd holds 0, held back."
echo "Fixing it (MaxItems 60)..."
etcdctl put /webapp/Checkout/MaxItems 60 >/dev/null
served=$(wait_for / '"maxItems":60') || { echo "The fix did not reach the app: $served" >&2; exit 1; }
echo "Served: $served"
echo "Health: $(wait_for /health Healthy)"
# ---- end of validated changes -----------------------------------------------------------------------

if [ "${1:-}" = "--keep" ]; then
  echo "etcd: $endpoint   app: http://127.0.0.1:$app_port   (Ctrl+C to stop)"
  echo "Try: ETCDCTL_API=3 etcdctl --endpoints $endpoint put /webapp/Checkout/Banner 'your text'"
  echo " or: dotnet src/EtcdConfiguration.Tool/bin/Release/net10.0/EtcdConfiguration.Tool.dll --endpoints $endpoint --prefix /webapp/ watch"
  wait
fi
