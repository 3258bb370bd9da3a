# Sourced by the bench scripts here: starts a fresh Qingyun server from "$bin" (a release
# build) on 127.0.0.1:PORT (18400), with a temporary data directory (or QY_DATABASE_URL),
# logs in as the bootstrap admin, and sets `pid`, `token` and `base` (the SensorThings root).
# The server and its directory go away when the calling script exits.
port="${PORT:-18400}"
data=$(mktemp -d)
password="bench-$(date +%s%N)"
export QY_DATA_DIR="$data" QY_HTTP_ADDR="127.0.0.1:$port" QY_HJ212_ADDR="127.0.0.1:$((port + 1))" QY_LOG=warn
export QY_BOOTSTRAP_ADMIN_PASSWORD="$password"
"$bin" serve >"$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
token=$(curl -sf -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/identity/sessions" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
base="http://127.0.0.1:$port/sta/v1.1"
